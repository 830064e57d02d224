#include "server/static_files.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <ctime>

#include "server/files/byte_range.h"
#include "server/files/content_type.h"
#include "server/files/http_date.h"
#include "server/files/safe_path.h"
#include "server/files/validators.h"

namespace shockwave {
namespace {

// A status answered with its reason as the text.
void answer_status(ResponseWriter& response, int status) {
  response.status(status);
  response.header("Content-Type", "text/plain");
  const std::string_view reason = http1::reason_phrase(status);
  std::array<char, 64> text{};
  std::memcpy(text.data(), reason.data(), reason.size());
  text[reason.size()] = '\n';
  response.body(std::string_view(text.data(), reason.size() + 1));
}

// The request's fields that decide a conditional or range request, in one
// pass over the header section (the first of each, as Request::header does).
files::ConditionalRequest conditional_fields(const Request& request) {
  files::ConditionalRequest c;
  for (const http1::Header& h : request.head.headers) {
    std::string_view* field = nullptr;
    if (http1::equals_ignore_case(h.name, "If-Match")) {
      field = &c.if_match;
    } else if (http1::equals_ignore_case(h.name, "If-None-Match")) {
      field = &c.if_none_match;
    } else if (http1::equals_ignore_case(h.name, "If-Modified-Since")) {
      field = &c.if_modified_since;
    } else if (http1::equals_ignore_case(h.name, "If-Unmodified-Since")) {
      field = &c.if_unmodified_since;
    } else if (http1::equals_ignore_case(h.name, "If-Range")) {
      field = &c.if_range;
    } else if (http1::equals_ignore_case(h.name, "Range")) {
      field = &c.range;
    }
    if (field != nullptr && field->empty()) *field = h.value;
  }
  return c;
}

// RFC 9110 §15.4.2: a directory named without its "/" moves there (the
// names in its index.html resolve against the directory, not its parent).
void redirect_to_directory(const Request& request, ResponseWriter& response) {
  const std::string_view path = request.path();
  std::array<char, files::kMaxRelativePath + 1> location;
  if (path.size() + 1 > location.size()) return answer_status(response, 404);
  std::memcpy(location.data(), path.data(), path.size());
  location[path.size()] = '/';
  response.status(301);
  response.header("Location", std::string_view(location.data(), path.size() + 1));
  response.header("Content-Type", "text/plain");
  response.body("Moved Permanently\n");
}

// The validator fields every answer about the file carries (RFC 9110
// §15.4.5: a 304 sends those a 200 would).
void validator_fields(const files::Validators& v, ResponseWriter& response) {
  response.header("ETag", v.etag.view());
  if (v.has_last_modified) {
    std::array<char, files::kHttpDateSize> date;
    const std::size_t n = files::format_http_date(v.last_modified, date);
    if (n != 0) response.header("Last-Modified", std::string_view(date.data(), n));
  }
}

}  // namespace

void StaticFiles::handle(const Request& request, const RouteParams& params, ResponseWriter& response) const noexcept {
  const std::string_view path = request.path();
  const std::string_view rest = params.wildcard();
  // The wildcard is the path's tail after a "/": serve "/" + that. A route
  // without one (an empty wildcard at the path's end is one too) serves the
  // whole path.
  if (rest.data() != nullptr && rest.data() > path.data() && rest.data() <= path.data() + path.size() &&
      rest.data()[-1] == '/') {
    return serve(request, std::string_view(rest.data() - 1, rest.size() + 1), response);
  }
  serve(request, path, response);
}

void StaticFiles::handle(const Request& request, ResponseWriter& response) const noexcept {
  serve(request, request.path(), response);
}

void StaticFiles::serve(const Request& request, std::string_view path, ResponseWriter& response) const noexcept {
  const bool head = request.method() == "HEAD";
  if (!head && request.method() != "GET") return answer_status(response, 405);

  std::array<char, files::kMaxRelativePath> name;
  const files::RelativePath relative = files::to_relative_path(path, name);
  if (relative.error != files::PathError::kNone) return answer_status(response, relative.status());
  const files::OpenedFile file = files::open_beneath(root_fd_, name.data());
  if (file.status != 200) {
    if (file.directory() && !request.path().ends_with('/')) return redirect_to_directory(request, response);
    return answer_status(response, file.status);
  }

  const std::int64_t now = std::time(nullptr);
  const auto size = static_cast<std::uint64_t>(file.info.st_size);
  const files::Validators validators = files::make_validators(file.info, now);
  const files::ConditionalRequest conditions = conditional_fields(request);
  files::ByteRangeResult range;
  switch (
      files::evaluate_preconditions(head ? files::Method::kHead : files::Method::kGet, conditions, validators, now)) {
    case files::Precondition::kNotModified:
      Exchange::close_file(file.fd);
      response.status(304);
      validator_fields(validators, response);
      return response.finish();
    case files::Precondition::kPreconditionFailed:
      Exchange::close_file(file.fd);
      return answer_status(response, 412);
    case files::Precondition::kServeRange:
      range = files::parse_byte_range(conditions.range, size);
      break;
    case files::Precondition::kServeFull:
      break;
  }

  std::array<char, files::kMaxContentRange> content_range;
  if (range.kind == files::ByteRangeKind::kUnsatisfiable) {
    Exchange::close_file(file.fd);
    // RFC 9110 §15.5.17: 416 says the current length.
    const std::size_t n = files::format_unsatisfied_range(size, content_range);
    response.status(416);
    response.header("Content-Range", std::string_view(content_range.data(), n));
    response.header("Content-Type", "text/plain");
    return response.body("Range Not Satisfiable\n");
  }
  files::ByteRange served{0, size};
  if (range.kind == files::ByteRangeKind::kSatisfiable) {
    served = range.range;
    const std::size_t n = files::format_content_range(served, size, content_range);
    response.status(206);
    response.header("Content-Range", std::string_view(content_range.data(), n));
  }
  response.header("Content-Type", files::content_type_for_path(std::string_view(name.data(), relative.size)));
  response.header("Accept-Ranges", "bytes");
  validator_fields(validators, response);
  request.send_file(response, file.fd, served.first, served.length);
}

}  // namespace shockwave
