#ifndef SHOCKWAVE_BENCH_REQUESTS_H_
#define SHOCKWAVE_BENCH_REQUESTS_H_

// The requests the parser benchmarks feed to every parser, in one place so
// other benchmarks (and tests) can reuse them. Each comes with the facts a
// correct parse must report, so a benchmark can prove, before timing, that it
// is measuring a successful parse of the whole input.
//
// All data is constexpr and lives in static storage; the string_views below
// point into it. Benchmarks must copy `wire` into a writable buffer: our
// parser decodes chunked bodies in place.

#include <array>
#include <cstddef>
#include <initializer_list>
#include <string_view>

namespace shockwave::bench {

struct BenchRequest {
  std::string_view name;      // benchmark-name suffix, e.g. "minimal"
  std::string_view wire;      // the bytes as received, all requests back to back
  std::size_t request_count;  // complete requests in `wire`
  // Facts of each request in `wire` (all copies are identical).
  std::string_view method;
  std::string_view target;
  std::size_t field_count;  // header field lines
  std::string_view first_field_name;
  std::string_view first_field_value;
  std::string_view body;  // decoded body (empty when none)
  bool chunked;           // body sent with Transfer-Encoding: chunked
};

namespace detail {

constexpr std::size_t total_size(std::initializer_list<std::string_view> parts) {
  std::size_t n = 0;
  for (std::string_view p : parts) n += p.size();
  return n;
}

template <std::size_t N>
constexpr std::array<char, N> concat(std::initializer_list<std::string_view> parts) {
  std::array<char, N> out{};
  std::size_t i = 0;
  for (std::string_view p : parts) {
    for (char c : p) out[i++] = c;
  }
  return out;
}

template <std::size_t N, std::size_t Copies>
constexpr std::array<char, N * Copies> repeat(std::string_view s) {
  std::array<char, N * Copies> out{};
  for (std::size_t k = 0; k < Copies; ++k) {
    for (std::size_t i = 0; i < N; ++i) out[k * N + i] = s[i];
  }
  return out;
}

template <std::size_t N>
constexpr std::string_view view(const std::array<char, N>& a) {
  return std::string_view(a.data(), a.size());
}

// ---- 1. minimal ------------------------------------------------------------

inline constexpr std::string_view kMinimalWire =
    "GET /plaintext HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "\r\n";

// ---- 2. browser-like GET ---------------------------------------------------
// picohttpparser's own benchmark request, byte for byte (bench.c in
// picohttpparser, also deps/picohttpparser/bench.c of H2O 2.2.5): a browser
// fetching an image, 703 bytes, 9 field lines (10 lines with the request-line).

inline constexpr std::string_view kBrowserWire =
    "GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n"
    "Host: www.kittyhell.com\r\n"
    "User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 "
    "Pathtraq/0.9\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n"
    "Accept-Encoding: gzip,deflate\r\n"
    "Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n"
    "Keep-Alive: 115\r\n"
    "Connection: keep-alive\r\n"
    "Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; "
    "__utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; "
    "__utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral\r\n"
    "\r\n";
static_assert(kBrowserWire.size() == 703, "picohttpparser's bench request is 703 bytes");

// ---- 3. POST with a 1 KiB chunked body -------------------------------------

inline constexpr std::size_t kChunkSize = 256;
inline constexpr std::size_t kChunkCount = 4;

constexpr std::array<char, kChunkSize * kChunkCount> make_body() {
  constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
  std::array<char, kChunkSize * kChunkCount> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = alphabet[(i * 7 + i / 64) % alphabet.size()];
  return out;
}

inline constexpr auto kBody = make_body();

constexpr std::string_view chunk(std::size_t k) { return std::string_view(kBody.data() + k * kChunkSize, kChunkSize); }

inline constexpr std::string_view kChunkedHead =
    "POST /upload HTTP/1.1\r\n"
    "Host: localhost\r\n"
    "User-Agent: shockwave-bench/1\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n";

#define SHOCKWAVE_BENCH_CHUNKED_PARTS                                                                               \
  {                                                                                                                 \
    kChunkedHead, "100\r\n", chunk(0), "\r\n", "100\r\n", chunk(1), "\r\n", "100\r\n", chunk(2), "\r\n", "100\r\n", \
        chunk(3), "\r\n", "0\r\n\r\n"                                                                               \
  }
inline constexpr auto kChunkedWire = concat<total_size(SHOCKWAVE_BENCH_CHUNKED_PARTS)>(SHOCKWAVE_BENCH_CHUNKED_PARTS);
#undef SHOCKWAVE_BENCH_CHUNKED_PARTS
static_assert(kChunkCount == 4 && kChunkSize == 0x100, "the chunk-size lines above say 100 (hex)");
static_assert(kChunkedWire.size() == 1198, "README.md gives the size");

// ---- 4. pipelined batch ----------------------------------------------------

inline constexpr std::size_t kPipelineDepth = 16;
inline constexpr auto kPipelinedWire = repeat<kMinimalWire.size(), kPipelineDepth>(kMinimalWire);

}  // namespace detail

inline constexpr BenchRequest kMinimal{
    .name = "minimal",
    .wire = detail::kMinimalWire,
    .request_count = 1,
    .method = "GET",
    .target = "/plaintext",
    .field_count = 1,
    .first_field_name = "Host",
    .first_field_value = "localhost",
    .body = {},
    .chunked = false,
};

inline constexpr BenchRequest kBrowser{
    .name = "browser",
    .wire = detail::kBrowserWire,
    .request_count = 1,
    .method = "GET",
    .target = "/wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg",
    .field_count = 9,
    .first_field_name = "Host",
    .first_field_value = "www.kittyhell.com",
    .body = {},
    .chunked = false,
};

inline constexpr BenchRequest kChunkedPost{
    .name = "chunked_post",
    .wire = detail::view(detail::kChunkedWire),
    .request_count = 1,
    .method = "POST",
    .target = "/upload",
    .field_count = 4,
    .first_field_name = "Host",
    .first_field_value = "localhost",
    .body = detail::view(detail::kBody),
    .chunked = true,
};

inline constexpr BenchRequest kPipelined{
    .name = "pipelined16",
    .wire = detail::view(detail::kPipelinedWire),
    .request_count = detail::kPipelineDepth,
    .method = "GET",
    .target = "/plaintext",
    .field_count = 1,
    .first_field_name = "Host",
    .first_field_value = "localhost",
    .body = {},
    .chunked = false,
};

inline constexpr std::array<const BenchRequest*, 4> kAllRequests = {&kMinimal, &kBrowser, &kChunkedPost, &kPipelined};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_REQUESTS_H_
