#include "testing/response.h"

#include <algorithm>
#include <span>

#include "server/http1/error.h"
#include "server/http1/response_parser.h"
#include "testing/strings.h"

namespace shockwave::testing {

http1::ParserOptions response_options() {
  http1::ParserOptions options;
  options.limits.max_field_section = 64 * 1024;
  options.limits.max_body = std::uint64_t{1} << 30;
  return options;
}

std::string Response::header(std::string_view name) const {
  for (const Field& f : headers) {
    if (iequals(f.name, name)) return f.value;
  }
  return "";
}

std::size_t Response::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const Field& f) { return iequals(f.name, name); }));
}

bool Response::connection_close() const {
  for (const Field& f : headers) {
    if (iequals(f.name, "Connection") && has_token(f.value, "close")) return true;
  }
  return false;
}

ResponseParse parse_response(std::string_view data, bool head_request, bool eof) {
  // The parser decodes chunked bodies in place: it works on a copy.
  std::string bytes(data);
  std::vector<http1::Header> fields(1024);
  http1::ResponseParser parser(fields, response_options());
  parser.answers(head_request ? http1::RequestKind::kHead : http1::RequestKind::kOther);
  const std::span<char> input(bytes.data(), bytes.size());
  http1::ParseStatus status = parser.parse(input);
  if (status == http1::ParseStatus::kIncomplete && eof) {
    status = parser.finish(input);
    // Cut short by the close: incomplete, for the caller to report.
    if (status == http1::ParseStatus::kError && parser.error() == http1::Error::kIncompleteResponse) {
      status = http1::ParseStatus::kIncomplete;
    }
  }
  ResponseParse out;
  switch (status) {
    case http1::ParseStatus::kIncomplete:
      return out;
    case http1::ParseStatus::kError:
      out.status = ResponseParse::Status::kError;
      out.error =
          std::string(http1::error_name(parser.error())) + ": " + std::string(http1::error_reason(parser.error()));
      return out;
    case http1::ParseStatus::kComplete:
      break;
  }
  const http1::ResponseHead& head = parser.head();
  Response& r = out.response;
  r.version = "HTTP/1." + std::to_string(head.version_minor);
  r.status = head.status;
  r.reason = std::string(head.reason);
  for (const http1::Header& h : head.headers) r.headers.push_back({std::string(h.name), std::string(h.value)});
  for (const http1::Header& h : parser.trailers()) r.trailers.push_back({std::string(h.name), std::string(h.value)});
  r.body = std::string(parser.body());
  r.framing = head.framing;
  out.status = ResponseParse::Status::kComplete;
  out.consumed = parser.consumed();
  return out;
}

}  // namespace shockwave::testing
