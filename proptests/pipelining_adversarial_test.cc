// The standing adversarial pipelining test: generated sessions against a
// real server, every response checked against an oracle.
//
// A session is one connection carrying 1..N pipelined requests (any token
// method, targets of every form, HTTP/1.0 and 1.1, bodies by Content-Length
// and by chunked with random chunk sizes, extensions and trailers, Expect:
// 100-continue, and at the end perhaps Connection: close or a request that
// breaks one RFC rule), whose bytes are sent in pieces cut at random offsets
// with pauses between them, and which ends in one of three ways:
//   keep-alive  every response, then one more request on the same connection;
//   half-close  the client shuts down writing after its last byte: every
//               response still arrives (RFC 9112 §9.6), then the server's EOF;
//   reset       the client resets the connection after its last byte; a new
//               connection is then served.
// The oracle (server_exchange.h, testing::Client::expect): each response
// has the status, order, framing and echoed body its request calls for, at
// most one 100 Continue before the answer to a request that asked for it,
// Connection: close exactly when due, nothing extra and nothing missing,
// and the end of the stream exactly after a closing response.
//
// Servers: epoll and io_uring, each with small buffers (requests and
// responses barely fit, so partial requests move, chunked bodies are decoded
// across reads and output applies back-pressure) and with the default ones.
//
// Short form (`bazel test //...`): ADVERSARIAL_SECONDS unset, a few hundred
// sessions. Long form: //proptests:pipelining_adversarial_test_long, tagged
// manual, runs for ADVERSARIAL_SECONDS (default 600); ADVERSARIAL_IO=epoll
// or uring keeps it to one event loop. Each run prints a FIGURE line with
// the sessions it ran.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "proptests/generators.h"
#include "proptests/server_exchange.h"
#include "server/config.h"
#include "server/server.h"
#include "testing/client.h"
#include "testing/escape.h"

namespace shockwave::proptests {
namespace {

using testing::Client;
using testing::ExpectedResponse;

constexpr std::size_t kMaxFields = 24;
constexpr std::size_t kSmallWriteBuffer = 600;  // the small servers' Config::write_buffer_size
// A response's head is at most this long (status line, Content-Type, Date,
// Content-Length, Connection).
constexpr std::size_t kMaxResponseHead = 400;

enum class Ending : std::uint8_t { kKeepAlive, kHalfClose, kReset };

// One step of a session: what is sent and what must come back.
struct Step {
  std::string bytes;
  int status = 200;
  std::string body;  // the content a GET would carry
  bool closing = false;
  bool head = false;
  bool interim_continue = false;  // Expect: 100-continue was sent
  bool any_body = false;          // an error's fixed reason: not compared
  std::string label;              // for counterexamples

  ExpectedResponse expected() const { return {status, body, closing, head, interim_continue, any_body}; }
};

struct Session {
  std::vector<Step> steps;
  std::string bytes;              // every step's bytes, back to back
  std::vector<std::size_t> cuts;  // where the bytes are cut into pieces
  std::vector<int> pauses_ms;     // after each piece
  Ending ending = Ending::kKeepAlive;
  bool small_buffers = false;
  bool uring = false;
};

void showValue(const Session& s, std::ostream& os) {
  static constexpr const char* kEndings[] = {"keep-alive", "half-close", "reset"};
  os << (s.uring ? "io_uring" : "epoll") << ", " << (s.small_buffers ? "small" : "default") << " buffers, "
     << s.steps.size() << " request(s), " << s.bytes.size() << " bytes in " << s.cuts.size() + 1 << " pieces, ending "
     << kEndings[static_cast<int>(s.ending)] << ":";
  for (const Step& step : s.steps) {
    os << "\n  \"" << testing::escape(step.bytes) << "\"\n    -> " << step.status << (step.head ? ", no content" : "")
       << (step.closing ? ", closes" : "") << (step.interim_continue ? ", 100 Continue allowed" : "") << " ("
       << step.label << ")";
  }
  os << "\n  cuts:";
  for (std::size_t i = 0; i < s.cuts.size(); ++i) os << " " << s.cuts[i] << "+" << s.pauses_ms[i] << "ms";
}

ExchangeSpace space(bool small) {
  ExchangeSpace sp;
  sp.max_pipeline = 12;
  sp.max_fields = kMaxFields - 4;  // room for Expect and the server's own count
  sp.max_body = small ? 1024 : 3000;
  return sp;
}

GenField* x_response(GenRequest& r) {
  for (GenField& f : r.fields) {
    if (f.name == "X-Response") return &f;
  }
  return nullptr;
}

// rechunk sends a chunked body in chunks of 1..max_piece octets, so that
// framing outweighs content (the body limit counts content only).
void rechunk(GenRequest& r, std::size_t max_piece) {
  r.chunks.clear();
  for (std::size_t at = 0; at < r.body.size();) {
    const std::size_t n = std::min(*rc::gen::inRange<std::size_t>(1, max_piece + 1), r.body.size() - at);
    char size[20];
    std::snprintf(size, sizeof size, "%zx", n);
    r.chunks.push_back(Chunk{r.body.substr(at, n), size, ""});
    at += n;
  }
}

// fit_write_buffer: with the small servers, an echoed body that cannot fit
// the output buffer is answered 500 (and the connection closed), decided
// before any byte of it is sent. Bodies too close to the limit to say which
// are streamed instead (chunked: no limit).
void fit_write_buffer(Exchange& ex, bool* any_body) {
  GenRequest& r = ex.request;
  GenField* how = x_response(r);
  if (how == nullptr || how->value != "echo" || ex.head || r.method == "CONNECT" || r.target == "*") return;
  if (ex.body.size() > kSmallWriteBuffer) {
    ex.status = 500;
    ex.closing = true;
    *any_body = true;
  } else if (ex.body.size() + kMaxResponseHead > kSmallWriteBuffer) {
    how->value = "stream 64";
    // HTTP/1.0 gets a streamed body delimited by the close (RFC 9112 §6.1).
    ex.closing = !r.keep_alive || r.version_minor == 0;
  }
}

Step step_of(Exchange ex, bool ask_continue, bool any_body = false) {
  Step step;
  if (ask_continue) ex.request.fields.push_back(GenField{"Expect", "100-continue", " ", ""});
  step.bytes = serialize(ex.request);
  step.status = ex.status;
  step.body = ex.body;
  step.closing = ex.closing;
  step.head = ex.head;
  step.interim_continue = ask_continue;
  step.any_body = any_body;
  step.label = ex.request.method + " " + ex.request.target + " HTTP/1." + std::to_string(ex.request.version_minor);
  return step;
}

rc::Gen<Session> gen_session() {
  return rc::gen::exec([] {
    Session s;
    s.uring = *rc::gen::arbitrary<bool>();
    if (const char* io = std::getenv("ADVERSARIAL_IO")) s.uring = std::string_view(io) == "uring";
    s.small_buffers = *rc::gen::arbitrary<bool>();
    const ExchangeSpace sp = space(s.small_buffers);
    const auto n = *rc::gen::inRange<std::size_t>(0, sp.max_pipeline);
    // add: one generated exchange, its body perhaps in tiny chunks, its
    // response fitted to the small write buffer, perhaps with 100-continue.
    auto add = [&](bool persistent) {
      Exchange ex = *gen_exchange(sp, persistent);
      if (ex.request.framing == Framing::kChunked && *rc::gen::weightedElement<int>({{2, 0}, {1, 1}}) == 1) {
        rechunk(ex.request, *rc::gen::element<std::size_t>(1, 2, 8));
      }
      bool any_body = false;
      if (s.small_buffers) fit_write_buffer(ex, &any_body);
      // RFC 9110 §10.1.1: only HTTP/1.1 requests with content ask.
      const bool can_ask = ex.request.version_minor == 1 && !ex.request.body.empty();
      const bool ask = can_ask && *rc::gen::weightedElement<int>({{3, 0}, {1, 1}}) == 1;
      s.steps.push_back(step_of(std::move(ex), ask, any_body));
    };
    for (std::size_t i = 0; i < n; ++i) add(/*persistent=*/true);
    // The last request: another persistent one, one that closes
    // (Connection: close, HTTP/1.0, CONNECT), or one the parser rejects.
    const int last = *rc::gen::weightedElement<int>({{2, 0}, {1, 1}, {1, 2}});
    if (last == 1 || (last == 0 && s.steps.empty())) {
      add(/*persistent=*/false);
    } else if (last == 2) {
      const Mutant m = *gen_mutant();
      Step step;
      step.bytes = m.bytes;
      step.status = m.status;
      step.closing = true;
      step.any_body = true;
      step.head = m.method == "HEAD";  // its request-line was read: no content
      step.label = "rejected: " + m.rule;
      s.steps.push_back(std::move(step));
    }
    for (std::size_t i = 0; i < s.steps.size(); ++i) {
      s.bytes += s.steps[i].bytes;
      if (s.steps[i].closing) {  // nothing after a closing request is answered
        s.steps.resize(i + 1);
        break;
      }
    }
    // Up to 8 cuts, each followed by a pause of 0..20 ms (mostly none).
    std::vector<std::size_t> cuts = *gen_split_points(s.bytes.size());
    while (cuts.size() > 8)
      cuts.erase(cuts.begin() + static_cast<std::ptrdiff_t>(*rc::gen::inRange<std::size_t>(0, cuts.size())));
    s.cuts = cuts;
    for (std::size_t i = 0; i < cuts.size(); ++i) {
      s.pauses_ms.push_back(*rc::gen::weightedElement<int>({{4, 0}, {2, 1}, {1, 20}}));
    }
    s.ending = *rc::gen::element(Ending::kKeepAlive, Ending::kHalfClose, Ending::kReset);
    return s;
  });
}

// config: the servers, by event loop and buffer size.
Config config(bool uring, bool small) {
  Config c;
  c.address = "127.0.0.1";
  c.port = 0;
  c.io = uring ? IoBackend::kUring : IoBackend::kEpoll;
  c.threads = 2;
  c.max_connections = 64;
  c.max_fields = kMaxFields;
  if (small) {
    // Just room for the largest generated request and response.
    c.limits.max_request_line = 1024;
    c.limits.max_field_section = 2048;
    c.limits.max_body = 1024;
    c.write_buffer_size = kSmallWriteBuffer;
  }
  return c;
}

ExchangeServers* servers() {
  static ExchangeServers* s = [] {
    auto* created = new ExchangeServers(config);
    std::string error;
    if (!created->start(&error)) {
      std::cerr << "pipelining_adversarial_test: " << error << "\n";
      delete created;
      return static_cast<ExchangeServers*>(nullptr);
    }
    return created;
  }();
  return s;
}

// How long the property keeps generating new sessions (long form), from the
// first session on; 0: as many as RapidCheck asks for.
std::chrono::steady_clock::time_point deadline() {
  static const auto d = [] {
    const char* s = std::getenv("ADVERSARIAL_SECONDS");
    const long seconds = s != nullptr ? std::atol(s) : 0;
    return seconds > 0 ? std::chrono::steady_clock::now() + std::chrono::seconds(seconds)
                       : std::chrono::steady_clock::time_point::max();
  }();
  return d;
}

std::size_t g_sessions = 0;
std::size_t g_requests = 0;
std::size_t g_bytes = 0;

// send_in_pieces sends the session's bytes cut where it says, pausing.
bool send_in_pieces(Client& client, const Session& s) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < s.cuts.size(); ++i) {
    if (!client.send(std::string_view(s.bytes).substr(at, s.cuts[i] - at))) return false;
    at = s.cuts[i];
    if (s.pauses_ms[i] > 0) std::this_thread::sleep_for(std::chrono::milliseconds(s.pauses_ms[i]));
  }
  return client.send(std::string_view(s.bytes).substr(at));
}

// probe: one more request on `client` is answered and keeps the connection.
bool probe(Client& client) {
  return client.send("GET /probe HTTP/1.1\r\nHost: a\r\nX-Response: echo\r\n\r\n") && client.expect("", false);
}

RC_GTEST_PROP(PipeliningAdversarial, EveryResponseAsTheOracleSays, ()) {
  // The long form's time is up: pass at once, generating nothing.
  if (std::chrono::steady_clock::now() > deadline()) return;
  const Session s = *gen_session();
  ExchangeServers* all = servers();
  RC_ASSERT(all != nullptr);
  const std::uint16_t port = all->at(ExchangeServers::index(s.uring, s.small_buffers)).port();
  Client client;
  RC_ASSERT(client.connect(port));
  const bool closes = s.steps.back().closing;
  bool ok = send_in_pieces(client, s);
  // A closing request may be answered, and the connection closed, before
  // the client has sent everything: a failed send is then no failure.
  if (!ok && !closes) RC_FAIL(std::string("send failed: ") + client.failure());
  ok = true;
  if (s.ending == Ending::kReset) {
    client.reset();
    // The server goes on serving: a new connection gets its answer.
    RC_ASSERT(client.connect(port));
    ok = probe(client);
  } else {
    if (s.ending == Ending::kHalfClose && !closes) client.shutdown_write();
    for (const Step& step : s.steps) {
      ok = ok && client.expect(step.expected());
    }
    if (ok && (closes || s.ending == Ending::kHalfClose)) ok = client.expect_eof();
    if (ok && !closes && s.ending == Ending::kKeepAlive) ok = probe(client);
  }
  RC_LOG() << "client: " << client.failure() << " after " << client.responses() << " response(s); received \""
           << testing::escape(client.pending()) << "\"";
  RC_ASSERT(ok);
  ++g_sessions;
  g_requests += s.steps.size();
  g_bytes += s.bytes.size();
}

class Figures : public ::testing::Environment {
 public:
  void TearDown() override {
    std::cout << "FIGURE sessions=" << g_sessions << " requests=" << g_requests << " request_bytes=" << g_bytes << "\n";
  }
};

const auto* const kFigures = ::testing::AddGlobalTestEnvironment(new Figures);

}  // namespace
}  // namespace shockwave::proptests
