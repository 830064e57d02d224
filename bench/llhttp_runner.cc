#include "bench/llhttp_runner.h"

#include <string>

#include "bench/parsed.h"

namespace shockwave::bench {
namespace {

LlhttpMessage& message(llhttp_t* p) { return *static_cast<LlhttpMessage*>(p->data); }

// llhttp splits a token across callbacks only where the data handed to one
// llhttp_execute call ends; a server reading into one growing buffer gets
// adjacent pieces, so a view is extended rather than copied.
std::string_view extend(std::string_view v, const char* at, std::size_t length) {
  if (v.data() == nullptr) return {at, length};
  return {v.data(), static_cast<std::size_t>(at + length - v.data())};
}

int on_message_begin(llhttp_t* p) {
  LlhttpMessage& m = message(p);
  m.method = {};
  m.target = {};
  m.reason = {};
  m.field_count = 0;
  m.in_value = false;
  m.body_piece_count = 0;
  m.body_size = 0;
  ++m.messages_begun;
  return 0;
}

int on_method(llhttp_t* p, const char* at, std::size_t length) {
  LlhttpMessage& m = message(p);
  m.method = extend(m.method, at, length);
  return 0;
}

int on_url(llhttp_t* p, const char* at, std::size_t length) {
  LlhttpMessage& m = message(p);
  m.target = extend(m.target, at, length);
  return 0;
}

int on_status(llhttp_t* p, const char* at, std::size_t length) {
  LlhttpMessage& m = message(p);
  m.reason = extend(m.reason, at, length);
  return 0;
}

// A name piece after a value (or the first one) starts a new field; llhttp
// reports every value, even an empty one, so a name piece right after a name
// piece continues it (the bookkeeping Node's http parser binding does).
int on_header_field(llhttp_t* p, const char* at, std::size_t length) {
  LlhttpMessage& m = message(p);
  if (m.in_value || m.field_count == 0) {
    if (m.field_count == m.fields.size()) return -1;  // like our parser's 431
    m.fields[m.field_count++] = {std::string_view(at, length), std::string_view()};
    m.in_value = false;
  } else {
    LlhttpMessage::Field& f = m.fields[m.field_count - 1];
    f.name = extend(f.name, at, length);
  }
  return 0;
}

int on_header_value(llhttp_t* p, const char* at, std::size_t length) {
  LlhttpMessage& m = message(p);
  LlhttpMessage::Field& f = m.fields[m.field_count - 1];
  f.value = extend(f.value, at, length);
  m.in_value = true;
  return 0;
}

int on_headers_complete(llhttp_t* p) {
  LlhttpMessage& m = message(p);
  m.version_major = p->http_major;
  m.version_minor = p->http_minor;
  m.status = p->status_code;
  m.chunked = (p->flags & F_CHUNKED) != 0;
  m.content_length = (p->flags & F_CONTENT_LENGTH) != 0 ? p->content_length : 0;
  m.keep_alive = llhttp_should_keep_alive(p) != 0;
  return 0;
}

int on_body(llhttp_t* p, const char* at, std::size_t length) {
  LlhttpMessage& m = message(p);
  if (m.body_piece_count == m.body_pieces.size()) return -1;
  m.body_pieces[m.body_piece_count++] = std::string_view(at, length);
  m.body_size += length;
  return 0;
}

int on_message_complete(llhttp_t* p) {
  ++message(p).messages_completed;
  return 0;
}

}  // namespace

LlhttpRunner::LlhttpRunner(llhttp_type_t type) noexcept {
  llhttp_settings_init(&settings_);
  settings_.on_message_begin = on_message_begin;
  settings_.on_method = on_method;
  settings_.on_url = on_url;
  if (type == HTTP_RESPONSE) settings_.on_status = on_status;
  settings_.on_header_field = on_header_field;
  settings_.on_header_value = on_header_value;
  settings_.on_headers_complete = on_headers_complete;
  settings_.on_body = on_body;
  settings_.on_message_complete = on_message_complete;
  llhttp_init(&parser_, type, &settings_);
  parser_.data = &message_;
}

std::string LlhttpRunner::label() const {
  // llhttp's SIMD path is compiled in only when __SSE4_2__ is defined; the
  // same --copt flags build this file and llhttp's sources.
#ifdef __SSE4_2__
  constexpr const char* kSimd = "built with SSE4.2: its SSE4.2 path on";
#else
  constexpr const char* kSimd = "default x86-64 flags: its SSE4.2 path off";
#endif
  return "llhttp " + std::to_string(LLHTTP_VERSION_MAJOR) + "." + std::to_string(LLHTTP_VERSION_MINOR) + "." +
         std::to_string(LLHTTP_VERSION_PATCH) + " (Debian node-llhttp C sources), " + kSimd;
}

std::size_t LlhttpRunner::parse_all(std::span<char> input) noexcept {
  llhttp_reset(&parser_);
  message_.messages_begun = 0;
  message_.messages_completed = 0;
  if (llhttp_execute(&parser_, input.data(), input.size()) != HPE_OK) return 0;
  return message_.messages_completed;
}

std::string LlhttpRunner::run_checked(std::span<char> input, std::size_t count) {
  llhttp_reset(&parser_);
  message_.messages_begun = 0;
  message_.messages_completed = 0;
  const llhttp_errno_t err = llhttp_execute(&parser_, input.data(), input.size());
  if (err != HPE_OK) {
    const char* pos = llhttp_get_error_pos(&parser_);
    return std::string("llhttp: ") + llhttp_errno_name(err) + ": " + llhttp_get_error_reason(&parser_) + " at byte " +
           std::to_string(pos != nullptr ? pos - input.data() : -1);
  }
  const LlhttpMessage& m = message_;
  // Every byte belongs to a complete message: any byte after the last one
  // would have begun another message.
  if (m.messages_completed != count || m.messages_begun != m.messages_completed) {
    return "llhttp: " + std::to_string(m.messages_completed) + " messages complete, " +
           std::to_string(m.messages_begun) + " begun, want " + std::to_string(count);
  }
  return "";
}

std::string LlhttpRunner::check(std::span<char> input, const BenchRequest& req) {
  if (std::string why = run_checked(input, req.request_count); !why.empty()) return why;
  const LlhttpMessage& m = message_;
  Parsed got{
      .method = m.method,
      .target = m.target,
      .http11 = m.version_major == 1 && m.version_minor == 1,
      .keep_alive = m.keep_alive,
      .field_count = m.field_count,
      .first_field_name = m.fields[0].name,
      .first_field_value = m.fields[0].value,
      .chunked = m.chunked,
      .body = {},
  };
  for (std::size_t i = 0; i < m.body_piece_count; ++i) got.body += m.body_pieces[i];
  if (m.body_size != got.body.size()) return "llhttp: body pieces do not add up";
  const std::string why = mismatch(got, req);
  return why.empty() ? "" : "llhttp: " + why;
}

std::string LlhttpRunner::check(std::span<char> input, const BenchResponse& resp) {
  if (std::string why = run_checked(input, resp.response_count); !why.empty()) return why;
  const LlhttpMessage& m = message_;
  const bool any = m.field_count != 0;
  ParsedResponse got{
      .status = m.status,
      .reason = m.reason,
      .http11 = m.version_major == 1 && m.version_minor == 1,
      .keep_alive = m.keep_alive,
      .field_count = m.field_count,
      .first_field_name = m.fields[0].name,
      .first_field_value = m.fields[0].value,
      .last_field_name = any ? m.fields[m.field_count - 1].name : std::string_view(),
      .last_field_value = any ? m.fields[m.field_count - 1].value : std::string_view(),
      .chunked = m.chunked,
      .body = {},
  };
  for (std::size_t i = 0; i < m.body_piece_count; ++i) got.body += m.body_pieces[i];
  if (m.body_size != got.body.size()) return "llhttp: body pieces do not add up";
  const std::string why = mismatch(got, resp);
  return why.empty() ? "" : "llhttp: " + why;
}

}  // namespace shockwave::bench
