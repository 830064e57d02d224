#include "bench/shockwave_response_runner.h"

#include <string>
#include <string_view>

#include "bench/parsed.h"
#include "server/http1/error.h"
#include "server/http1/parse_status.h"

namespace shockwave::bench {

using http1::ParseStatus;

ShockwaveResponseRunner::ShockwaveResponseRunner() noexcept : fields_{}, parser_(fields_) {}

std::string ShockwaveResponseRunner::label() const {
  // The line scan picks its SIMD level at run time (server/http1/scan.cc).
  const char* simd = __builtin_cpu_supports("avx2") ? "AVX2" : __builtin_cpu_supports("sse4.2") ? "SSE4.2" : "scalar";
  return std::string("shockwave ResponseParser, strict defaults, scan: ") + simd + " (chosen at run time)";
}

std::size_t ShockwaveResponseRunner::parse_all(std::span<char> input) noexcept {
  std::size_t done = 0;
  while (!input.empty()) {
    parser_.reset();
    if (parser_.parse(input) != ParseStatus::kComplete) break;
    ++done;
    input = input.subspan(parser_.consumed());
  }
  return done;
}

std::string ShockwaveResponseRunner::check(std::span<char> input, const BenchResponse& resp) {
  std::size_t done = 0;
  while (!input.empty()) {
    parser_.reset();
    const ParseStatus status = parser_.parse(input);
    const std::string at = "shockwave: response " + std::to_string(done + 1) + ": ";
    if (status == ParseStatus::kError) {
      return at + std::string(http1::error_name(parser_.error())) + " (" +
             std::string(http1::error_reason(parser_.error())) + ")";
    }
    if (status != ParseStatus::kComplete) return at + "incomplete";
    if (parser_.consumed() == 0 || parser_.consumed() > input.size()) {
      return at + "consumed " + std::to_string(parser_.consumed()) + " of " + std::to_string(input.size());
    }
    ++done;
    const http1::ResponseHead& h = parser_.head();
    const bool any = !h.headers.empty();
    const ParsedResponse got{
        .status = h.status,
        .reason = h.reason,
        .http11 = h.version_major == 1 && h.version_minor == 1,
        .keep_alive = h.keep_alive,
        .field_count = h.headers.size(),
        .first_field_name = any ? h.headers.front().name : std::string_view(),
        .first_field_value = any ? h.headers.front().value : std::string_view(),
        .last_field_name = any ? h.headers.back().name : std::string_view(),
        .last_field_value = any ? h.headers.back().value : std::string_view(),
        .chunked = h.framing == http1::BodyFraming::kChunked,
        .body = std::string(parser_.body()),
    };
    if (const std::string why = mismatch(got, resp); !why.empty()) return at + why;
    input = input.subspan(parser_.consumed());
  }
  if (done != resp.response_count) {
    return "shockwave: " + std::to_string(done) + " responses, want " + std::to_string(resp.response_count);
  }
  return "";
}

}  // namespace shockwave::bench
