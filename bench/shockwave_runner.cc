#include "bench/shockwave_runner.h"

#include <string>
#include <string_view>

#include "server/http1/error.h"
#include "server/http1/parse_status.h"

namespace shockwave::bench {

using http1::ParseStatus;

ShockwaveRunner::ShockwaveRunner() noexcept : fields_{}, parser_(fields_) {}

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
    if (h.method != req.method) return at + "method " + std::string(h.method);
    if (h.target != req.target) return at + "target " + std::string(h.target);
    if (h.version_major != 1 || h.version_minor != 1) return at + "not HTTP/1.1";
    if (!h.keep_alive) return at + "not keep-alive";
    if (h.headers.size() != req.field_count) return at + std::to_string(h.headers.size()) + " fields";
    if (h.headers[0].name != req.first_field_name || h.headers[0].value != req.first_field_value) {
      return at + "first field " + std::string(h.headers[0].name) + ": " + std::string(h.headers[0].value);
    }
    if ((h.framing == http1::BodyFraming::kChunked) != req.chunked) return at + "chunked framing not as expected";
    if (parser_.body() != req.body) {
      return at + "body of " + std::to_string(parser_.body().size()) + " bytes differs";
    }
    input = input.subspan(parser_.consumed());
  }
  if (done != req.request_count) {
    return "shockwave: " + std::to_string(done) + " requests, want " + std::to_string(req.request_count);
  }
  return "";
}

}  // namespace shockwave::bench
