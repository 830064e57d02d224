#include "bench/shockwave_runner.h"

#include <string>
#include <string_view>

#include "bench/parsed.h"
#include "server/http1/error.h"
#include "server/http1/parse_status.h"

namespace shockwave::bench {

using http1::ParseStatus;

ShockwaveRunner::ShockwaveRunner() noexcept : fields_{}, parser_(fields_) {}

std::string ShockwaveRunner::label() const {
  // The line scan picks its SIMD level at run time (server/http1/scan.cc).
  const char* simd = __builtin_cpu_supports("avx2") ? "AVX2" : __builtin_cpu_supports("sse4.2") ? "SSE4.2" : "scalar";
  return std::string("shockwave RequestParser, strict defaults, scan: ") + simd + " (chosen at run time)";
}

std::size_t ShockwaveRunner::parse_all(std::span<char> input) noexcept {
  std::size_t done = 0;
  while (!input.empty()) {
    parser_.reset();
    if (parser_.parse(input) != ParseStatus::kComplete) break;
    ++done;
    input = input.subspan(parser_.consumed());
  }
  return done;
}

std::string ShockwaveRunner::check(std::span<char> input, const BenchRequest& req) {
  std::size_t done = 0;
  while (!input.empty()) {
    parser_.reset();
    const ParseStatus status = parser_.parse(input);
    const std::string at = "shockwave: request " + std::to_string(done + 1) + ": ";
    if (status == ParseStatus::kError) {
      return at + std::string(http1::error_name(parser_.error())) + " (" +
             std::string(http1::error_reason(parser_.error())) + ")";
    }
    if (status != ParseStatus::kComplete) return at + "incomplete";
    if (parser_.consumed() == 0 || parser_.consumed() > input.size()) {
      return at + "consumed " + std::to_string(parser_.consumed()) + " of " + std::to_string(input.size());
    }
    ++done;
    const http1::RequestHead& h = parser_.head();
    const Parsed got{
        .method = h.method,
        .target = h.target,
        .http11 = h.version_major == 1 && h.version_minor == 1,
        .keep_alive = h.keep_alive,
        .field_count = h.headers.size(),
        .first_field_name = h.headers.empty() ? std::string_view() : h.headers[0].name,
        .first_field_value = h.headers.empty() ? std::string_view() : h.headers[0].value,
        .chunked = h.framing == http1::BodyFraming::kChunked,
        .body = std::string(parser_.body()),
    };
    if (const std::string why = mismatch(got, req); !why.empty()) return at + why;
    input = input.subspan(parser_.consumed());
  }
  if (done != req.request_count) {
    return "shockwave: " + std::to_string(done) + " requests, want " + std::to_string(req.request_count);
  }
  return "";
}

}  // namespace shockwave::bench
