#include "conformance/adapters/llhttp_adapter.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "llhttp.h"
#include "testing/strings.h"

namespace shockwave::conformance {
namespace {

// 8.1 declares LENIENT_VERSION but has no llhttp_set_lenient_version (9.x does).
void set_lenient_version(llhttp_t* parser, int enabled) {
  if (enabled)
    parser->lenient_flags |= LENIENT_VERSION;
  else
    parser->lenient_flags &= static_cast<std::uint8_t>(~LENIENT_VERSION);
}

struct Profile {
  std::string_view name;
  void (*enable)(llhttp_t*, int);  // nullptr: no leniency
};

constexpr std::array<Profile, 6> kProfiles = {{
    {"llhttp", nullptr},
    {"llhttp-lenient-headers", llhttp_set_lenient_headers},
    {"llhttp-lenient-chunked_length", llhttp_set_lenient_chunked_length},
    {"llhttp-lenient-keep_alive", llhttp_set_lenient_keep_alive},
    {"llhttp-lenient-transfer_encoding", llhttp_set_lenient_transfer_encoding},
    {"llhttp-lenient-version", set_lenient_version},
}};

// Collector gathers one parse's messages from llhttp's callbacks. Data
// callbacks may deliver a span in pieces (at the end of each execute call),
// so every one of them appends.
struct Collector {
  ParseOutcome* out;
  Message current;
  std::string field, value;
  bool headers_done = false;  // fields from now on are trailers
  // Responses: the requests answered (ResponseAdapter's contract) and the
  // final responses so far.
  std::span<const std::string> requests = {};
  std::size_t finals = 0;

  static Collector& of(llhttp_t* p) { return *static_cast<Collector*>(p->data); }

  static int on_message_begin(llhttp_t* p) {
    Collector& c = of(p);
    c.current = Message{};
    c.field.clear();
    c.value.clear();
    c.headers_done = false;
    return 0;
  }
  static int on_method(llhttp_t* p, const char* at, size_t n) { return append(of(p).current.method, at, n); }
  static int on_url(llhttp_t* p, const char* at, size_t n) { return append(of(p).current.target, at, n); }
  static int on_status(llhttp_t* p, const char* at, size_t n) { return append(of(p).current.reason, at, n); }
  static int on_header_field(llhttp_t* p, const char* at, size_t n) { return append(of(p).field, at, n); }
  static int on_header_value(llhttp_t* p, const char* at, size_t n) { return append(of(p).value, at, n); }
  static int on_header_value_complete(llhttp_t* p) {
    Collector& c = of(p);
    (c.headers_done ? c.current.trailers : c.current.headers)
        .emplace_back(c.field, std::string(::shockwave::testing::trim(c.value)));
    c.field.clear();
    c.value.clear();
    return 0;
  }
  static int on_headers_complete(llhttp_t* p) {
    Collector& c = of(p);
    c.headers_done = true;
    c.current.version = "HTTP/" + std::to_string(p->http_major) + "." + std::to_string(p->http_minor);
    if (p->type != HTTP_RESPONSE) return 0;
    c.current.status = p->status_code;
    const bool interim = p->status_code < 200 && p->status_code != 101;
    if (interim) return 0;
    const std::string_view method = answered_method(c.requests, c.finals++);
    // llhttp cannot know the request; its API for saying so (llhttp.h,
    // on_headers_complete): 1 = no body, 2 = no body and the connection
    // leaves HTTP (a tunnel after a 2xx to CONNECT).
    if (method == "CONNECT" && p->status_code / 100 == 2) return 2;
    if (method == "HEAD") return 1;
    return 0;
  }
  static int on_body(llhttp_t* p, const char* at, size_t n) { return append(of(p).current.body, at, n); }
  static int on_message_complete(llhttp_t* p) {
    Collector& c = of(p);
    // A response after which the connection leaves HTTP (101, or the
    // tunnel above) reports keep_alive false, as the contract says.
    c.current.keep_alive = llhttp_should_keep_alive(p) != 0 && !(p->type == HTTP_RESPONSE && p->upgrade);
    c.out->messages.push_back(std::move(c.current));
    // Pausing makes llhttp_execute return here, where error_pos tells the
    // caller where the message ended (see LlhttpAdapter::parse).
    return HPE_PAUSED;
  }

  static int append(std::string& s, const char* at, size_t n) {
    s.append(at, n);
    return 0;
  }
};

llhttp_settings_t make_settings() {
  llhttp_settings_t s;
  llhttp_settings_init(&s);
  s.on_message_begin = Collector::on_message_begin;
  s.on_method = Collector::on_method;
  s.on_url = Collector::on_url;
  s.on_status = Collector::on_status;
  s.on_header_field = Collector::on_header_field;
  s.on_header_value = Collector::on_header_value;
  s.on_header_value_complete = Collector::on_header_value_complete;
  s.on_headers_complete = Collector::on_headers_complete;
  s.on_body = Collector::on_body;
  s.on_message_complete = Collector::on_message_complete;
  return s;
}

// status_for maps an llhttp error to the status a server would answer with
// (see llhttp_adapter.h for the rules).
int status_for(const llhttp_t& parser, llhttp_errno_t err) {
  if (err == HPE_PAUSED_H2_UPGRADE) return 505;
  // "Invalid HTTP version" is llhttp's reason for well-formed digits it does
  // not support; malformed versions have other reasons.
  if (err == HPE_INVALID_VERSION && std::string_view(llhttp_get_error_reason(&parser)) == "Invalid HTTP version" &&
      parser.http_major != 1) {
    return 505;
  }
  return 400;
}

// execute runs llhttp as `profile` over bytes, requests (HTTP_REQUEST) or
// responses (HTTP_RESPONSE, answering `requests`), into the model.
ParseOutcome execute(const Profile& profile, llhttp_type_t type, std::string_view bytes,
                     std::span<const std::string> requests) {
  static const llhttp_settings_t settings = make_settings();
  ParseOutcome out;
  Collector collector{&out, {}, {}, {}, false, requests, 0};
  llhttp_t parser;
  llhttp_init(&parser, type, &settings);
  if (profile.enable) profile.enable(&parser, 1);
  parser.data = &collector;
  const bool responses = type == HTTP_RESPONSE;

  const char* data = bytes.empty() ? "" : bytes.data();
  const char* end = data + bytes.size();
  const char* p = data;
  for (;;) {
    llhttp_errno_t err = llhttp_execute(&parser, p, static_cast<size_t>(end - p));
    if (err == HPE_OK) break;
    if (err == HPE_PAUSED) {  // only on_message_complete pauses
      p = llhttp_get_error_pos(&parser);
      out.consumed = static_cast<std::size_t>(p - data);
      // Responses: nothing after one that ends HTTP/1.1 on the connection
      // is parsed (the contract; llhttp would call later bytes an error).
      if (responses && !out.messages.back().keep_alive) return out;
      llhttp_resume(&parser);
      continue;  // even at the end: llhttp finishes the message's bookkeeping
    }
    if (err == HPE_PAUSED_UPGRADE) return out;  // the upgrade request was recorded above
    out.error = Error{responses ? 502 : status_for(parser, err), llhttp_get_error_reason(&parser)};
    return out;
  }
  // Every byte was accepted; whether the input ended inside a message is
  // llhttp_finish's verdict. For requests it never completes a message; for
  // a response whose body is delimited by close, the end completes it (its
  // on_message_complete pauses, which is not an error here).
  const llhttp_errno_t finished = llhttp_finish(&parser);
  if (finished == HPE_INVALID_EOF_STATE) {
    out.incomplete = true;
  } else if (finished == HPE_PAUSED) {
    out.consumed = bytes.size();
  }
  return out;
}

class LlhttpAdapter final : public ParserAdapter {
 public:
  explicit LlhttpAdapter(const Profile& profile) : profile_(profile) {}

  std::string_view name() const override { return profile_.name; }
  ParseOutcome parse(std::string_view bytes) override { return execute(profile_, HTTP_REQUEST, bytes, {}); }

 private:
  const Profile& profile_;
};

// Responses: llhttp in HTTP_RESPONSE mode, as Node's HTTP client uses it.
class LlhttpResponseAdapter final : public ResponseAdapter {
 public:
  explicit LlhttpResponseAdapter(const Profile& profile) : profile_(profile) {}

  std::string_view name() const override { return profile_.name; }
  ParseOutcome parse(std::string_view bytes, std::span<const std::string> requests) override {
    return execute(profile_, HTTP_RESPONSE, bytes, requests);
  }

 private:
  const Profile& profile_;
};

}  // namespace

std::unique_ptr<ParserAdapter> make_llhttp_adapter(std::string_view name) {
  for (const Profile& profile : kProfiles) {
    if (profile.name == name) return std::make_unique<LlhttpAdapter>(profile);
  }
  return nullptr;
}

std::unique_ptr<ResponseAdapter> make_llhttp_response_adapter() {
  return std::make_unique<LlhttpResponseAdapter>(kProfiles[0]);
}

std::vector<std::string_view> llhttp_profile_names() {
  std::vector<std::string_view> names;
  for (const Profile& profile : kProfiles) names.push_back(profile.name);
  return names;
}

}  // namespace shockwave::conformance
