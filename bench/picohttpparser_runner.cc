#include "bench/picohttpparser_runner.h"

#include <string>
#include <string_view>

#include "bench/parsed.h"

namespace shockwave::bench {
namespace {

// The field handling below is the least a server must do after
// phr_parse_request, kept lean the way H2O keeps it (compare names by length
// first, then case-insensitively).

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// is_name: `name` equals `lower_name` ignoring ASCII case.
bool is_name(const PhrField& f, std::string_view lower_name) {
  if (f.name_len != lower_name.size()) return false;
  for (std::size_t i = 0; i < lower_name.size(); ++i) {
    if (lower(f.name[i]) != lower_name[i]) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view lower_b) {
  if (a.size() != lower_b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower_b[i]) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// has_token: the comma-separated list `value` holds `lower_token`.
bool has_token(std::string_view value, std::string_view lower_token) {
  for (;;) {
    const std::size_t comma = value.find(',');
    if (iequals(trim(value.substr(0, comma)), lower_token)) return true;
    if (comma == std::string_view::npos) return false;
    value.remove_prefix(comma + 1);
  }
}

// last_token: the last element of a comma-separated list.
std::string_view last_token(std::string_view value) {
  const std::size_t comma = value.rfind(',');
  return trim(comma == std::string_view::npos ? value : value.substr(comma + 1));
}

}  // namespace

bool PicoRunnerBase::take_body(std::span<char>& input, std::size_t head, bool may_have_body) noexcept {
  Message& m = message_;
  // Framing and keep-alive: the caller's job with picohttpparser.
  bool has_length = false, close = false, keep_alive = false;
  std::uint64_t length = 0;
  m.chunked = false;
  for (std::size_t i = 0; i < m.field_count; ++i) {
    const PhrField& f = m.fields[i];
    const std::string_view value(f.value, f.value_len);
    if (is_name(f, "content-length")) {
      if (has_length || value.empty() || value.size() > 18) return false;
      for (char c : value) {
        if (c < '0' || c > '9') return false;
        length = length * 10 + static_cast<std::uint64_t>(c - '0');
      }
      has_length = true;
    } else if (is_name(f, "transfer-encoding")) {
      if (!iequals(last_token(value), "chunked")) return false;
      m.chunked = true;
    } else if (is_name(f, "connection")) {
      close = close || has_token(value, "close");
      keep_alive = keep_alive || has_token(value, "keep-alive");
    }
  }
  if (m.chunked && has_length) return false;
  m.keep_alive = m.minor_version == 1 ? !close : keep_alive;

  char* const body = input.data() + head;
  const std::size_t rest = input.size() - head;
  if (!may_have_body) {
    m.chunked = false;
    m.body = {};
    input = input.subspan(head);
  } else if (m.chunked) {
    PhrDecoder decoder{};
    decoder.consume_trailer = 1;
    std::size_t size = rest;
    const ssize_t left = build_.decode_chunked(&decoder, body, &size);
    if (left < 0) return false;  // -1: error, -2: incomplete
    // The decoded body is at `body`, and the bytes after the message were
    // moved to just after it.
    m.body = {body, size};
    input = std::span<char>(body + size, static_cast<std::size_t>(left));
  } else {
    if (length > rest) return false;
    m.body = {body, static_cast<std::size_t>(length)};
    input = input.subspan(head + static_cast<std::size_t>(length));
  }
  return true;
}

bool PicoRunner::parse_one(std::span<char>& input) noexcept {
  Message& m = message_;
  const char* method = nullptr;
  const char* path = nullptr;
  std::size_t method_len = 0, path_len = 0;
  m.field_count = m.fields.size();
  const int head = build_.parse_request(input.data(), input.size(), &method, &method_len, &path, &path_len,
                                        &m.minor_version, m.fields.data(), &m.field_count, 0);
  if (head <= 0) return false;  // -1: error, -2: incomplete
  m.method = {method, method_len};
  m.target = {path, path_len};
  return take_body(input, static_cast<std::size_t>(head), true);
}

bool PicoResponseRunner::parse_one(std::span<char>& input) noexcept {
  Message& m = message_;
  const char* reason = nullptr;
  std::size_t reason_len = 0;
  m.field_count = m.fields.size();
  const int head = build_.parse_response(input.data(), input.size(), &m.minor_version, &m.status, &reason, &reason_len,
                                         m.fields.data(), &m.field_count, 0);
  if (head <= 0) return false;  // -1: error, -2: incomplete
  m.reason = {reason, reason_len};
  if (m.status == 101) return false;  // a tunnel: not benchmarked
  // RFC 9112 §6.3 item 1 (the check H2O's client makes too).
  const bool may_have_body = m.status >= 200 && m.status != 204 && m.status != 304;
  return take_body(input, static_cast<std::size_t>(head), may_have_body);
}

std::size_t PicoRunner::parse_all(std::span<char> input) noexcept {
  std::size_t done = 0;
  while (!input.empty() && parse_one(input)) ++done;
  return done;
}

std::string PicoRunner::check(std::span<char> input, const BenchRequest& req) {
  if (!build_.available) return build_.label;
  std::size_t done = 0;
  while (!input.empty()) {
    const std::string at = "picohttpparser: request " + std::to_string(done + 1) + ": ";
    if (!parse_one(input)) return at + "error or incomplete";
    ++done;
    const Message& m = message_;
    const Parsed got{
        .method = m.method,
        .target = m.target,
        .http11 = m.minor_version == 1,
        .keep_alive = m.keep_alive,
        .field_count = m.field_count,
        .first_field_name = {m.fields[0].name, m.fields[0].name_len},
        .first_field_value = {m.fields[0].value, m.fields[0].value_len},
        .chunked = m.chunked,
        .body = std::string(m.body),
    };
    if (const std::string why = mismatch(got, req); !why.empty()) return at + why;
  }
  if (done != req.request_count) {
    return "picohttpparser: " + std::to_string(done) + " requests, want " + std::to_string(req.request_count);
  }
  return "";
}

std::size_t PicoResponseRunner::parse_all(std::span<char> input) noexcept {
  std::size_t done = 0;
  while (!input.empty() && parse_one(input)) ++done;
  return done;
}

std::string PicoResponseRunner::check(std::span<char> input, const BenchResponse& resp) {
  if (!build_.available) return build_.label;
  std::size_t done = 0;
  while (!input.empty()) {
    const std::string at = "picohttpparser: response " + std::to_string(done + 1) + ": ";
    if (!parse_one(input)) return at + "error or incomplete";
    ++done;
    const Message& m = message_;
    const bool any = m.field_count != 0;
    const PhrField& last = m.fields[any ? m.field_count - 1 : 0];
    const ParsedResponse got{
        .status = m.status,
        .reason = m.reason,
        .http11 = m.minor_version == 1,
        .keep_alive = m.keep_alive,
        .field_count = m.field_count,
        .first_field_name = {m.fields[0].name, m.fields[0].name_len},
        .first_field_value = {m.fields[0].value, m.fields[0].value_len},
        .last_field_name = any ? std::string_view(last.name, last.name_len) : std::string_view(),
        .last_field_value = any ? std::string_view(last.value, last.value_len) : std::string_view(),
        .chunked = m.chunked,
        .body = std::string(m.body),
    };
    if (const std::string why = mismatch(got, resp); !why.empty()) return at + why;
  }
  if (done != resp.response_count) {
    return "picohttpparser: " + std::to_string(done) + " responses, want " + std::to_string(resp.response_count);
  }
  return "";
}

}  // namespace shockwave::bench
