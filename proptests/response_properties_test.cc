// Round trip of responses: what our ResponseWriter (server/http1/response_writer.h)
// produces for generated calls, 1..4 responses back to back as on a
// keep-alive connection, is parsed by llhttp's response parser (strict) to
// the same status, reason, field lines in order, body and keep-alive; the
// fields the writer adds (Date, Content-Length or Transfer-Encoding,
// Connection) are the ones RFC 9112 asks for (see expected_fields).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "llhttp.h"
#include "proptests/generators.h"
#include "server/http1/response_writer.h"
#include "testing/escape.h"

namespace shockwave::proptests {
using http1::format_date_line;
using http1::OutputBuffer;
using http1::reason_phrase;
using http1::ResponseContext;
using http1::ResponseWriter;

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

// What a handler does with the writer, and what the request said.
struct GenResponse {
  bool head_request = false;
  bool http10 = false;
  bool keep_alive = true;
  int status = 200;
  std::string reason;  // empty: the standard one
  std::vector<GenField> fields;
  bool streaming = false;
  std::vector<std::string> chunks;  // streaming: write_chunk each (empty ones write nothing)
  std::string body;                 // the content: body() or the chunks together
};

bool owned_by_server(std::string_view name) {
  for (std::string_view owned : {"content-length", "transfer-encoding", "connection", "date"}) {
    if (name.size() != owned.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < name.size() && same; ++i) same = (name[i] | 0x20) == owned[i];
    if (same) return true;
  }
  return false;
}

bool no_content(int status) { return status == 204 || status == 304; }

int final_status(int status) { return status < 200 || status > 599 ? 500 : status; }

// closes: the response ends its connection (not kept alive, or delimited
// by the close: streamed to HTTP/1.0, RFC 9112 §6.1).
bool closes(const GenResponse& r) {
  return !r.keep_alive || (r.streaming && r.http10 && !no_content(final_status(r.status)));
}

rc::Gen<GenResponse> gen_response(bool last) {
  return rc::gen::exec([last] {
    GenResponse r;
    r.head_request = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
    r.http10 = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    r.keep_alive = !last || *rc::gen::arbitrary<bool>();
    r.status = *rc::gen::weightedOneOf<int>({{4, rc::gen::element(200, 201, 204, 301, 304, 400, 404, 500, 503)},
                                             {2, rc::gen::inRange(200, 600)},
                                             {1, rc::gen::inRange(0, 1000)}});
    if (*rc::gen::weightedElement<bool>({{3, false}, {1, true}})) {
      // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) (RFC 9112 §4); now
      // and then a CR, LF or NUL, which the writer must not let through.
      r.reason = *rc::gen::container<std::string>(
          *rc::gen::inRange(1, 20),
          rc::gen::weightedOneOf<char>({{30, rc::gen::map(rc::gen::inRange(0x20, 0x7F), [](int c) { return char(c); })},
                                        {1, rc::gen::element('\r', '\n', '\0')}}));
    }
    r.fields = *rc::gen::container<std::vector<GenField>>(*rc::gen::inRange(0, 9), gen_field(24));
    r.streaming = *rc::gen::arbitrary<bool>();
    if (r.streaming) {
      r.chunks = *rc::gen::container<std::vector<std::string>>(*rc::gen::inRange(0, 6), gen_string_of_bytes(0, 64));
      for (const std::string& c : r.chunks) r.body += c;
    } else {
      r.body = *gen_string_of_bytes(0, 300);
    }
    // Only the last response may end the connection.
    if (!last && closes(r)) r.streaming = false, r.body.clear(), r.chunks.clear();
    return r;
  });
}

// write: the handler's calls; whether each field was accepted.
std::vector<bool> write(const GenResponse& r, OutputBuffer& out, std::string_view date_line) {
  const ResponseContext context{r.head_request, r.http10, r.keep_alive, date_line};
  ResponseWriter w(out, context);
  w.status(r.status, r.reason);
  std::vector<bool> accepted;
  for (const GenField& f : r.fields) accepted.push_back(w.header(f.name, f.value));
  if (r.streaming) {
    w.begin_chunked();
    for (const std::string& c : r.chunks) w.write_chunk(c);
    w.end_chunked();
  } else {
    w.body(r.body);
  }
  w.finish();
  return accepted;
}

// expected_fields: the handler's fields, then what the writer adds.
Fields expected_fields(const GenResponse& r, std::string_view date_value) {
  Fields fields;
  for (const GenField& f : r.fields) {
    if (!owned_by_server(f.name)) fields.emplace_back(f.name, f.value);
  }
  fields.emplace_back("Date", date_value);
  const int status = final_status(r.status);
  if (!no_content(status)) {
    // RFC 9112 §6.1: no Transfer-Encoding to HTTP/1.0; §6.3 item 8: close-delimited.
    if (r.streaming && !r.http10) fields.emplace_back("Transfer-Encoding", "chunked");
    if (!r.streaming) fields.emplace_back("Content-Length", std::to_string(r.body.size()));
  }
  // RFC 9112 §9.6 and Appendix C.2.2.
  if (closes(r)) {
    fields.emplace_back("Connection", "close");
  } else if (r.http10) {
    fields.emplace_back("Connection", "keep-alive");
  }
  return fields;
}

// What llhttp reports of one response.
struct Parsed {
  int status = 0;
  std::string reason;
  Fields fields;
  std::string body;
  bool complete = false;
  bool keep_alive = false;

  bool operator==(const Parsed&) const = default;
};

struct Collector {
  std::vector<Parsed> responses;
  std::vector<bool> head;  // by response: answers HEAD, so no content follows
  bool in_value = false;

  static Collector& of(llhttp_t* p) { return *static_cast<Collector*>(p->data); }
  Parsed& current() { return responses.back(); }

  static int on_message_begin(llhttp_t* p) {
    of(p).responses.emplace_back();
    of(p).in_value = false;
    return 0;
  }
  static int on_status(llhttp_t* p, const char* at, std::size_t n) {
    of(p).current().reason.append(at, n);
    return 0;
  }
  static int on_header_field(llhttp_t* p, const char* at, std::size_t n) {
    Collector& c = of(p);
    if (c.current().fields.empty() || c.in_value) c.current().fields.emplace_back();
    c.in_value = false;
    c.current().fields.back().first.append(at, n);
    return 0;
  }
  static int on_header_value(llhttp_t* p, const char* at, std::size_t n) {
    Collector& c = of(p);
    c.in_value = true;
    c.current().fields.back().second.append(at, n);
    return 0;
  }
  static int on_headers_complete(llhttp_t* p) {
    Collector& c = of(p);
    c.current().status = p->status_code;
    const std::size_t i = c.responses.size() - 1;
    return i < c.head.size() && c.head[i] ? 1 : 0;  // 1: no body follows (a response to HEAD)
  }
  static int on_body(llhttp_t* p, const char* at, std::size_t n) {
    of(p).current().body.append(at, n);
    return 0;
  }
  static int on_message_complete(llhttp_t* p) {
    of(p).current().complete = true;
    of(p).current().keep_alive = llhttp_should_keep_alive(p) != 0;
    return 0;
  }
};

struct Parse {
  std::vector<Parsed> responses;
  std::string error;  // empty: none
};

Parse parse_with_llhttp(std::string_view bytes, const std::vector<bool>& head) {
  llhttp_settings_t settings;
  llhttp_settings_init(&settings);
  settings.on_message_begin = Collector::on_message_begin;
  settings.on_status = Collector::on_status;
  settings.on_header_field = Collector::on_header_field;
  settings.on_header_value = Collector::on_header_value;
  settings.on_headers_complete = Collector::on_headers_complete;
  settings.on_body = Collector::on_body;
  settings.on_message_complete = Collector::on_message_complete;
  llhttp_t parser;
  llhttp_init(&parser, HTTP_RESPONSE, &settings);
  Collector collector;
  collector.head = head;
  parser.data = &collector;
  llhttp_errno_t err = llhttp_execute(&parser, bytes.data(), bytes.size());
  if (err == HPE_OK) err = llhttp_finish(&parser);  // the end of the stream (a close-delimited body ends there)
  Parse out;
  out.responses = std::move(collector.responses);
  if (err != HPE_OK) out.error = std::string(llhttp_errno_name(err)) + ": " + llhttp_get_error_reason(&parser);
  return out;
}

void showValue(const Parsed& p, std::ostream& os) {
  os << p.status << " \"" << testing::escape(p.reason) << "\"" << (p.complete ? "" : " (incomplete)")
     << (p.keep_alive ? " keep-alive" : " close");
  for (const auto& [name, value] : p.fields) os << "\n    " << testing::escape(name) << ": " << testing::escape(value);
  os << "\n    body \"" << testing::escape(p.body) << "\"";
}

void showValue(const GenResponse& r, std::ostream& os) {
  os << "status(" << r.status << ", \"" << testing::escape(r.reason) << "\")" << (r.head_request ? " HEAD" : "")
     << (r.http10 ? " HTTP/1.0" : "") << (r.keep_alive ? " keep-alive" : " close") << "; " << r.fields.size()
     << " fields; " << (r.streaming ? "streamed" : "body") << " of " << r.body.size() << " octets";
}

RC_GTEST_PROP(ResponseProperties, LlhttpParsesWhatTheWriterWrites, ()) {
  const std::vector<GenResponse> responses = *rc::gen::withSize([](int size) {
    return rc::gen::exec([size] {
      auto all =
          *rc::gen::resize(3, rc::gen::container<std::vector<GenResponse>>(rc::gen::resize(size, gen_response(false))));
      all.push_back(*gen_response(true));
      return all;
    });
  });
  char date_line[64];
  const std::size_t date_size = format_date_line(*rc::gen::inRange<std::int64_t>(0, 4'102'444'800), date_line);
  const std::string_view date(date_line, date_size);
  const std::string_view date_value = date.substr(6, date.size() - 8);  // "Date: " ... "\r\n"

  std::vector<char> storage(64 * 1024);
  OutputBuffer out{storage.data(), storage.size(), 0, nullptr, nullptr};
  std::vector<Parsed> expected;
  std::vector<bool> head;
  for (const GenResponse& r : responses) {
    const std::vector<bool> accepted = write(r, out, date);
    for (std::size_t i = 0; i < r.fields.size(); ++i) RC_ASSERT(accepted[i] == !owned_by_server(r.fields[i].name));
    Parsed p;
    p.status = final_status(r.status);
    const bool bad_reason = r.reason.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos;
    p.reason = r.reason.empty() || bad_reason ? std::string(reason_phrase(p.status)) : r.reason;
    p.fields = expected_fields(r, date_value);
    p.body = r.head_request || no_content(p.status) ? "" : r.body;
    p.complete = true;
    p.keep_alive = !closes(r);
    expected.push_back(std::move(p));
    head.push_back(r.head_request);
  }
  const std::string_view bytes(out.data, out.size);
  const Parse got = parse_with_llhttp(bytes, head);
  RC_LOG() << "bytes \"" << testing::escape(bytes) << "\"\nllhttp: " << (got.error.empty() ? "ok" : got.error) << "\n";
  for (std::size_t i = 0; i < std::max(got.responses.size(), expected.size()); ++i) {
    if (i < expected.size()) {
      RC_LOG() << "[" << i << "] expected ";
      showValue(expected[i], RC_LOG());
      RC_LOG() << "\n";
    }
    if (i < got.responses.size()) {
      RC_LOG() << "[" << i << "] got      ";
      showValue(got.responses[i], RC_LOG());
      RC_LOG() << "\n";
    }
  }
  RC_ASSERT(got.error.empty());
  RC_ASSERT(got.responses == expected);
}

}  // namespace
}  // namespace shockwave::proptests
