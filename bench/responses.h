#ifndef SHOCKWAVE_BENCH_RESPONSES_H_
#define SHOCKWAVE_BENCH_RESPONSES_H_

// The responses the parser benchmarks feed to every response parser, the
// other direction of requests.h, with the facts a correct parse must report
// (so a benchmark proves, before timing, that it measures a successful parse
// of the whole input). Every response answers a GET (it has a body).
//
// Benchmarks must copy `wire` into a writable buffer: our parser and
// picohttpparser decode chunked bodies in place.

#include <array>
#include <cstddef>
#include <string_view>

#include "bench/requests.h"

namespace shockwave::bench {

struct BenchResponse {
  std::string_view name;       // benchmark-name suffix, e.g. "response_small"
  std::string_view wire;       // the bytes as received, all responses back to back
  std::size_t response_count;  // complete responses in `wire`
  // Facts of each response in `wire` (all copies are identical).
  int status;
  std::string_view reason;
  std::size_t field_count;  // header field lines
  std::string_view first_field_name;
  std::string_view first_field_value;
  std::string_view last_field_name;  // proves every line was parsed
  std::string_view last_field_value;
  std::string_view body;  // decoded body
  bool chunked;           // body sent with Transfer-Encoding: chunked
};

namespace detail {

// ---- 1. small 200 ----------------------------------------------------------
// What a plaintext benchmark server answers (the server_bench response).

inline constexpr std::string_view kSmallResponseWire =
    "HTTP/1.1 200 OK\r\n"
    "Content-Length: 13\r\n"
    "Date: Fri, 27 Nov 2026 11:57:32 GMT\r\n"
    "Server: shockwave\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "Hello, World!";
static_assert(kSmallResponseWire.size() == 134, "README.md gives the size");

// ---- 2. a CDN's answer to a browser ----------------------------------------
// A cached HTML page as a CDN edge serves it: 17 field lines, 779 bytes of
// head (long Cache-Control, Set-Cookie, Strict-Transport-Security, Via and
// request id), then a 33-byte body.

inline constexpr std::string_view kCdnBody = "<!doctype html><title>ok</title>\n";
inline constexpr std::string_view kCdnResponseWire =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/html; charset=utf-8\r\n"
    "Content-Length: 33\r\n"
    "Connection: keep-alive\r\n"
    "Date: Fri, 27 Nov 2026 11:57:32 GMT\r\n"
    "Cache-Control: public, max-age=300, s-maxage=86400, stale-while-revalidate=60\r\n"
    "ETag: \"5f3c9a7b-2d41e\"\r\n"
    "Last-Modified: Thu, 26 Nov 2026 18:03:11 GMT\r\n"
    "Server: nginx\r\n"
    "Set-Cookie: session=8f14e45fceea167a5a36dedd4bea2543; Path=/; Expires=Sat, 28 Nov 2026 11:57:32 GMT; Secure; "
    "HttpOnly; SameSite=Lax\r\n"
    "Strict-Transport-Security: max-age=31536000; includeSubDomains; preload\r\n"
    "Vary: Accept-Encoding, Origin\r\n"
    "X-Content-Type-Options: nosniff\r\n"
    "Age: 1432\r\n"
    "Via: 1.1 5b8d7e3a1f0c2d4e6a8b9c0d1e2f3a4b.cloudfront.net (CloudFront)\r\n"
    "X-Cache: Hit from cloudfront\r\n"
    "X-Amz-Cf-Pop: FRA56-P7\r\n"
    "X-Amz-Cf-Id: 3kQ0bXr4Yx2pN7s9vJ1mZ8cT6uW5eA0dF3gH2iK4lM6nO8pQrStU==\r\n"
    "\r\n"
    "<!doctype html><title>ok</title>\n";
static_assert(kCdnResponseWire.size() == 779 + kCdnBody.size(), "README.md gives the head's size");

// ---- 3. chunked: 1 KiB in five chunks of different sizes --------------------
// The body of requests.h's chunked POST, cut 500 + 256 + 200 + 64 + 4, so the
// chunk-size lines have 3, 3, 2, 2 and 1 hex digits.

constexpr std::string_view body_slice(std::size_t from, std::size_t size) {
  return std::string_view(kBody.data() + from, size);
}

inline constexpr std::string_view kChunkedResponseHead =
    "HTTP/1.1 200 OK\r\n"
    "Date: Fri, 27 Nov 2026 11:57:32 GMT\r\n"
    "Server: shockwave\r\n"
    "Content-Type: application/octet-stream\r\n"
    "Transfer-Encoding: chunked\r\n"
    "\r\n";

#define SHOCKWAVE_BENCH_CHUNKED_RESPONSE_PARTS                                                                      \
  {                                                                                                                 \
    kChunkedResponseHead, "1f4\r\n", body_slice(0, 500), "\r\n", "100\r\n", body_slice(500, 256), "\r\n", "c8\r\n", \
        body_slice(756, 200), "\r\n", "40\r\n", body_slice(956, 64), "\r\n", "4\r\n", body_slice(1020, 4), "\r\n",  \
        "0\r\n\r\n"                                                                                                 \
  }
inline constexpr auto kChunkedResponseWire =
    concat<total_size(SHOCKWAVE_BENCH_CHUNKED_RESPONSE_PARTS)>(SHOCKWAVE_BENCH_CHUNKED_RESPONSE_PARTS);
#undef SHOCKWAVE_BENCH_CHUNKED_RESPONSE_PARTS
static_assert(500 + 256 + 200 + 64 + 4 == kBody.size(), "the chunks carry the whole body");
static_assert(kChunkedResponseWire.size() == 1203, "README.md gives the size");

// ---- 4. pipelined batch ----------------------------------------------------

inline constexpr auto kPipelinedResponseWire = repeat<kSmallResponseWire.size(), kPipelineDepth>(kSmallResponseWire);

}  // namespace detail

inline constexpr BenchResponse kSmallResponse{
    .name = "response_small",
    .wire = detail::kSmallResponseWire,
    .response_count = 1,
    .status = 200,
    .reason = "OK",
    .field_count = 4,
    .first_field_name = "Content-Length",
    .first_field_value = "13",
    .last_field_name = "Content-Type",
    .last_field_value = "text/plain",
    .body = "Hello, World!",
    .chunked = false,
};

inline constexpr BenchResponse kCdnResponse{
    .name = "response_cdn",
    .wire = detail::kCdnResponseWire,
    .response_count = 1,
    .status = 200,
    .reason = "OK",
    .field_count = 17,
    .first_field_name = "Content-Type",
    .first_field_value = "text/html; charset=utf-8",
    .last_field_name = "X-Amz-Cf-Id",
    .last_field_value = "3kQ0bXr4Yx2pN7s9vJ1mZ8cT6uW5eA0dF3gH2iK4lM6nO8pQrStU==",
    .body = detail::kCdnBody,
    .chunked = false,
};

inline constexpr BenchResponse kChunkedResponse{
    .name = "response_chunked",
    .wire = detail::view(detail::kChunkedResponseWire),
    .response_count = 1,
    .status = 200,
    .reason = "OK",
    .field_count = 4,
    .first_field_name = "Date",
    .first_field_value = "Fri, 27 Nov 2026 11:57:32 GMT",
    .last_field_name = "Transfer-Encoding",
    .last_field_value = "chunked",
    .body = detail::view(detail::kBody),
    .chunked = true,
};

inline constexpr BenchResponse kPipelinedResponses{
    .name = "response_pipelined16",
    .wire = detail::view(detail::kPipelinedResponseWire),
    .response_count = detail::kPipelineDepth,
    .status = 200,
    .reason = "OK",
    .field_count = 4,
    .first_field_name = "Content-Length",
    .first_field_value = "13",
    .last_field_name = "Content-Type",
    .last_field_value = "text/plain",
    .body = "Hello, World!",
    .chunked = false,
};

inline constexpr std::array<const BenchResponse*, 4> kAllResponses = {&kSmallResponse, &kCdnResponse, &kChunkedResponse,
                                                                      &kPipelinedResponses};

// message_count: the messages in one input, for code that handles both
// directions (the harness, parse_loop).
inline constexpr std::size_t message_count(const BenchRequest& req) { return req.request_count; }
inline constexpr std::size_t message_count(const BenchResponse& resp) { return resp.response_count; }

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_RESPONSES_H_
