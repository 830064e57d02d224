// response_writer_fuzzer: a response emitted from fuzzed ResponseWriter calls
// (status, header, body or begin_chunked/write_chunk/end_chunked) must parse
// back with llhttp's HTTP_RESPONSE parser (strict) to the same status, the
// same accepted header fields in order, and the same body.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "llhttp.h"
#include "server/http1/response_writer.h"
#include "testing/strings.h"

namespace {

// Reader hands out the fuzz input as small integers and strings.
struct Reader {
  std::string_view in;
  std::uint8_t byte() {
    if (in.empty()) return 0;
    std::uint8_t b = static_cast<std::uint8_t>(in[0]);
    in.remove_prefix(1);
    return b;
  }
  std::string_view str() {
    std::size_t n = byte() % 32;
    if (n > in.size()) n = in.size();
    std::string_view s = in.substr(0, n);
    in.remove_prefix(n);
    return s;
  }
};

using ::shockwave::testing::trim;

struct Parsed {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool complete = false;
  bool in_value = false;
};

int on_header_field(llhttp_t* p, const char* at, std::size_t n) {
  auto* r = static_cast<Parsed*>(p->data);
  if (r->headers.empty() || r->in_value) r->headers.emplace_back();
  r->in_value = false;
  r->headers.back().first.append(at, n);
  return 0;
}
int on_header_value(llhttp_t* p, const char* at, std::size_t n) {
  auto* r = static_cast<Parsed*>(p->data);
  r->in_value = true;
  r->headers.back().second.append(at, n);
  return 0;
}
int on_body(llhttp_t* p, const char* at, std::size_t n) {
  static_cast<Parsed*>(p->data)->body.append(at, n);
  return 0;
}
int on_message_complete(llhttp_t* p) {
  static_cast<Parsed*>(p->data)->complete = true;
  return HPE_PAUSED;
}

bool owned_by_server(std::string_view name) {
  auto eq = [&](std::string_view b) {
    if (name.size() != b.size()) return false;
    for (std::size_t i = 0; i < b.size(); ++i) {
      if ((name[i] | 0x20) != (b[i] | 0x20)) return false;
    }
    return true;
  };
  return eq("content-length") || eq("transfer-encoding") || eq("connection") || eq("date");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Reader in{std::string_view(reinterpret_cast<const char*>(data), size)};
  static char storage[16384];
  shockwave::http1::OutputBuffer out{storage, sizeof storage, 0, nullptr, nullptr};
  shockwave::http1::ResponseContext context;
  // The default date_line (a null, empty view) once made append() call
  // memcpy from null, which UBSan reported; it is left as it is on purpose.
  const std::uint8_t flags = in.byte();
  context.http10 = flags & 1;
  context.keep_alive = flags & 2;
  shockwave::http1::ResponseWriter w(out, context);
  const int status = 200 + (in.byte() | in.byte() << 8) % 400;
  w.status(status);
  std::vector<std::pair<std::string_view, std::string_view>> sent;
  const int fields = in.byte() % 8;
  for (int i = 0; i < fields; ++i) {
    std::string_view name = in.str(), value = in.str();
    bool control = false;
    for (char c : value) {
      if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) control = true;
    }
    if (control) {
      // RFC 9110 §5.5, and RFC 9112 §11.1 (CR/LF/NUL: response splitting).
      FUZZ_CHECK(!w.header(name, value));
      continue;
    }
    if (w.header(name, value)) sent.emplace_back(name, value);
  }
  std::string body;
  const bool streaming = flags & 4;
  if (streaming) {
    w.begin_chunked();
    const int chunks = in.byte() % 8;
    for (int i = 0; i < chunks; ++i) {
      std::string_view c = in.str();
      w.write_chunk(c);
      body.append(c);
    }
    w.end_chunked();
  } else {
    body = in.str();
    w.body(body);
  }
  w.finish();
  FUZZ_CHECK(w.finished());
  FUZZ_CHECK(!w.overflowed());
  if (status == 204 || status == 304) body.clear();

  static const llhttp_settings_t settings = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_header_field = on_header_field;
    s.on_header_value = on_header_value;
    s.on_body = on_body;
    s.on_message_complete = on_message_complete;
    return s;
  }();
  llhttp_t parser;
  llhttp_init(&parser, HTTP_RESPONSE, &settings);
  Parsed parsed;
  parser.data = &parsed;
  llhttp_errno_t err = llhttp_execute(&parser, out.data, out.size);
  const bool paused_in_execute = err == HPE_PAUSED;
  if (err == HPE_OK && !parsed.complete) err = llhttp_finish(&parser);  // close-delimited
  if (err != HPE_OK && err != HPE_PAUSED) {
    std::fprintf(stderr, "llhttp rejects our response (%s): %.*s\n", llhttp_get_error_reason(&parser),
                 static_cast<int>(out.size), out.data);
    std::abort();
  }
  FUZZ_CHECK(parsed.complete);
  if (paused_in_execute) {
    // Everything we wrote belongs to this one response.
    if (llhttp_get_error_pos(&parser) != out.data + out.size) {
      std::fprintf(stderr, "llhttp ends our response early, at %td of %zu bytes: %.*s\n",
                   llhttp_get_error_pos(&parser) - out.data, out.size, static_cast<int>(out.size), out.data);
      std::abort();
    }
  }
  FUZZ_CHECK(parser.status_code == status);
  std::size_t j = 0;
  for (const auto& [name, value] : parsed.headers) {
    if (owned_by_server(name)) continue;
    FUZZ_CHECK(j < sent.size());
    FUZZ_CHECK(name == sent[j].first);
    FUZZ_CHECK(trim(value) == trim(sent[j].second));
    ++j;
  }
  FUZZ_CHECK(j == sent.size());
  FUZZ_CHECK(parsed.body == body);
  return 0;
}
