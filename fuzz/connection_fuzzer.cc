// connection_fuzzer: the whole connection state machine (server/net/
// connection.h: parser, handler, response writer, keep-alive, pipelining,
// 100-continue, errors, timeouts, shutdown, lingering close) over an
// in-memory transport built on its Io hooks: no sockets. The fuzz input
// decides the client's bytes, every read's and write's size, EAGAIN and
// EINTR, the order of events and the passing of time.
//
// Input: byte 0 = flags (below), byte 1 = schedule length K (0-63), K
// schedule bytes (used in turn, cyclically, for every transport and event
// decision; K = 0: whole reads and writes, no errors), then the client bytes.
//
// The handler streams the body of /upload... (handler.h: on_body, taking at
// most ?take=N octets a call, and with ?pause deferring after its first
// slice: back-pressure) and defers the response of /later... and /delay...;
// an event bit wakes every ticket it holds, and the loop's delivery runs as
// the worker's does. Once the connection has closed (and on_close() ran, as
// the worker calls it), waking a ticket must do nothing. /file?at=N&len=M
// answers with bytes of a 20,000-byte file (Request::send_file), sent by a
// fake sendfile(2) under the epoll-shaped Io and read through the output
// buffer under the io_uring-shaped one (no send_file there).
//
// Invariants, checked once the connection has closed:
//  - every byte written is a sequence of well-formed responses (the strict
//    response parser of conformance/live), interim 100s allowed; only a
//    response the handler overflowed may be cut short (documented: it is
//    cut, not replaced, once part of it is on the wire), or the last one
//    when the write timeout closed the connection;
//  - the handler sees a prefix of the requests a one-shot parse of the same
//    bytes finds, in order (a streamed body as the slices it took), and each
//    handler call gets its response, with its status (or 500 when it
//    overflowed); a deferred one when it is resumed;
//  - a deferred or paused request that ends unanswered was abandoned, once,
//    and answered 503 (its timeout) or not at all (the connection closed);
//  - no more final responses than requests (complete ones, plus one for
//    trailing bytes that are not a complete request);
//  - a response with Connection: close is the last thing written, and every
//    server error response carries it (RFC 9112 §9.6); nothing is written
//    after shutdown(SHUT_WR);
//  - the connection closes by itself once the client goes idle (timeouts,
//    linger), and the byte counters agree with the transport;
//  - a file response carries exactly the file's bytes it announced, and
//    every file descriptor handed to send_file is closed by the end.

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "server/config.h"
#include "server/endpoints.h"
#include "server/handler.h"
#include "server/http1/error.h"
#include "server/http1/request_parser.h"
#include "server/net/connection.h"
#include "server/net/connection_rig.h"
#include "server/stats.h"
#include "testing/response.h"

namespace {

namespace http1 = shockwave::http1;
namespace live = ::shockwave::testing;  // responses, through http1::ResponseParser
using shockwave::net::Connection;

// Flags (byte 0).
constexpr std::size_t kWriteBufferSizes[4] = {256, 1024, 4096, 64 * 1024};
constexpr std::uint8_t kEofAtEnd = 1 << 2;     // the client half-closes after its bytes
constexpr std::uint8_t kBareLf = 1 << 3;       // the bare_lf leniency
constexpr std::uint8_t kShutdown = 1 << 4;     // the server shuts down mid-way
constexpr std::uint8_t kStats = 1 << 5;        // counters on
constexpr std::uint8_t kFewRequests = 1 << 6;  // max_requests_per_connection = 2
constexpr std::uint8_t kUringIo = 1 << 7;      // Io shaped like io_uring's (below)
// Tickets are woken in the drain phase (else they time out: 503). Bits 0-1
// pick the write buffer; with 64 KiB (3), this one is taken from kFewRequests.
constexpr std::uint8_t kWakeInDrain = kFewRequests;

// The in-memory transport: one connection at a time (the fuzzer is single
// threaded), reached from the Io function pointers through this global.
struct Transport {
  std::string_view client;  // everything the client sends
  std::size_t delivered = 0;
  bool eof_at_end = false;
  std::span<const std::uint8_t> schedule;
  std::size_t cursor = 0;
  bool ideal = false;  // drain phase: whole reads and writes, no errors
  std::string written;
  bool write_shut = false;
  bool eof_seen = false;       // a read returned 0
  bool eintr = false;          // the last call failed with EINTR
  bool write_blocked = false;  // the last write returned EAGAIN
  bool stalled = false;        // no write has gone through since an EAGAIN

  // next is the next schedule byte; 0x80 (a whole read/write) without one.
  std::uint8_t next() {
    if (schedule.empty()) return 0x80;
    return schedule[cursor++ % schedule.size()];
  }
};
Transport* g_transport = nullptr;

// size_or_error: 0 → EAGAIN, 1 → EINTR, bit 7 → all of `want`, else b*k.
// EINTR never twice in a row: a signal interrupts a call, it does not make
// the retry fail forever (a schedule of 1s would otherwise spin the
// connection's retry loops).
ssize_t size_or_error(Transport& t, std::size_t want, std::size_t k) {
  const std::uint8_t b = t.ideal ? 0x80 : t.next();
  const bool eintr = b == 1 && !t.eintr;
  t.eintr = eintr;
  if (b == 0) {
    errno = EAGAIN;
    return -1;
  }
  if (eintr) {
    errno = EINTR;
    return -1;
  }
  const std::size_t n = (b & 0x80) ? want : b * k;
  return static_cast<ssize_t>(n < want ? n : want);
}

ssize_t fake_read(void*, int, char* buffer, std::size_t size) {
  Transport& t = *g_transport;
  FUZZ_CHECK(size > 0);
  const std::size_t left = t.client.size() - t.delivered;
  if (left == 0) {
    if (t.eof_at_end) {
      t.eof_seen = true;
      return 0;
    }
    errno = EAGAIN;
    return -1;
  }
  const ssize_t n = size_or_error(t, size < left ? size : left, 1);
  if (n > 0) {
    std::memcpy(buffer, t.client.data() + t.delivered, static_cast<std::size_t>(n));
    t.delivered += static_cast<std::size_t>(n);
  }
  return n;
}

ssize_t fake_write(void*, int, const char* data, std::size_t size) {
  Transport& t = *g_transport;
  FUZZ_CHECK(size > 0);
  FUZZ_CHECK(!t.write_shut);  // nothing after shutdown(SHUT_WR)
  const ssize_t n = size_or_error(t, size, 4);
  t.write_blocked = n < 0 && errno == EAGAIN;
  if (t.write_blocked) t.stalled = true;
  if (n > 0) t.stalled = false;
  if (n > 0) t.written.append(data, static_cast<std::size_t>(n));
  return n;
}

// fake_send_file: sendfile(2) over the transport, shaped like fake_write.
ssize_t fake_send_file(void*, int, int file_fd, off_t* offset, std::size_t count) {
  Transport& t = *g_transport;
  FUZZ_CHECK(count > 0);
  FUZZ_CHECK(!t.write_shut);
  const ssize_t n = size_or_error(t, std::min<std::size_t>(count, 64 * 1024), 4);
  t.write_blocked = n < 0 && errno == EAGAIN;
  if (t.write_blocked) t.stalled = true;
  if (n <= 0) return n;
  t.stalled = false;
  std::string bytes(static_cast<std::size_t>(n), '\0');
  FUZZ_CHECK(::pread(file_fd, bytes.data(), bytes.size(), *offset) == n);  // the file never shrinks here
  t.written += bytes;
  *offset += n;
  return n;
}

void fake_shutdown_write(void*, int) {
  FUZZ_CHECK(!g_transport->write_shut);
  g_transport->write_shut = true;
}

// The epoll shape (a short read means drained) and the io_uring shape (read
// on until EAGAIN; write_now for bytes that must leave at once), both over
// the same transport.
constexpr shockwave::net::Io kFakeEpollIo = {nullptr, fake_read, fake_write, fake_shutdown_write,
                                             true,    nullptr,   nullptr,    fake_send_file};
constexpr shockwave::net::Io kFakeUringIo = {nullptr, fake_read, fake_write, fake_shutdown_write, false, fake_write};

// What the handler saw, per call.
struct Call {
  std::string method, target, body;
  int status = 0;
  bool overflowed = false;
  bool file = false;       // answered with send_file
  std::string file_bytes;  // the bytes it announced
};

// The handler's choices, which the one-shot oracle mirrors.
constexpr std::uint64_t kUploadMax = 8192;  // a streamed body's bound (max_body is 2048)
// By path, as the endpoints route (an absolute-form target has one too).
bool streams(const shockwave::Request& r) { return r.path().starts_with("/upload"); }
bool defers(const shockwave::Request& r) { return r.path().starts_with("/later") || r.path().starts_with("/delay"); }

// number: the digits after `key` in the target, or `fallback`.
std::size_t number(std::string_view target, std::string_view key, std::size_t fallback) {
  const std::size_t at = target.find(key);
  if (at == std::string_view::npos) return fallback;
  std::size_t n = 0;
  for (std::size_t i = at + key.size(); i < target.size() && target[i] >= '0' && target[i] <= '9' && n < 1'000'000;
       ++i) {
    n = n * 10 + static_cast<std::size_t>(target[i] - '0');
  }
  return n;
}

// take: ?take=N in the target, at least 1 (octets per on_body call).
std::size_t take(std::string_view target) {
  const std::size_t n = number(target, "take=", SIZE_MAX);
  return n == 0 ? 1 : n;
}

// The file /file serves: 20,000 known bytes in memory (memfd), once per
// process; each response gets a dup of it, which the server then owns.
constexpr std::size_t kFileSize = 20'000;
const std::string& file_content() {
  static const std::string content = [] {
    std::string s(kFileSize, '\0');
    for (std::size_t i = 0; i < s.size(); ++i) s[i] = static_cast<char>('a' + i * 7 % 26);
    return s;
  }();
  return content;
}
int file_fd() {
  static const int fd = [] {
    const int f = memfd_create("connection_fuzzer", MFD_CLOEXEC);
    FUZZ_CHECK(f >= 0);
    FUZZ_CHECK(::write(f, file_content().data(), kFileSize) == static_cast<ssize_t>(kFileSize));
    return f;
  }();
  return fd;
}

// The shockwave binary's endpoints, once per process: its /delay thread
// would wake tickets behind the fuzzer's back, so /delay... never gets there.
shockwave::Endpoints& endpoints() {
  static shockwave::Endpoints e;
  return e;
}

// FuzzHandler: the shockwave binary's endpoints, plus /stream (the body back
// in chunks, exercising chunked output and mid-response flushes), /big (a
// response larger than any write buffer: answered 500, or cut), and the
// streamed and deferred requests above.
struct FuzzHandler {
  std::vector<Call>* calls;
  std::vector<shockwave::Ticket> tickets;  // deferrals not woken yet
  std::string streamed;                    // the current streamed body, as taken
  std::size_t abandoned = 0;
  std::vector<int> files;  // descriptors handed to send_file

  shockwave::BodyPlan plan_body(const shockwave::Request& head) noexcept {
    return streams(head) ? shockwave::BodyPlan::streamed(kUploadMax) : shockwave::BodyPlan::whole();
  }
  std::size_t on_body(const shockwave::Request& head, std::string_view slice) noexcept {
    const std::size_t n = std::min(slice.size(), take(head.target()));
    streamed.append(slice.substr(0, n));
    const std::span<std::uint64_t, 4> s = head.scratch();
    if (head.target().find("pause") != std::string_view::npos && s[0] == 0) {
      s[0] = 1;
      tickets.push_back(head.defer());
    }
    return n;
  }
  void resume(const shockwave::Request& request, std::uint64_t value, shockwave::ResponseWriter& w) noexcept {
    FUZZ_CHECK(value == 7);
    w.header("Content-Type", "text/plain");
    w.body("later");
    record(request, w);
  }
  void abandon(const shockwave::Request&) noexcept {
    ++abandoned;
    streamed.clear();
  }

  void record(const shockwave::Request& request, const shockwave::ResponseWriter& w) {
    std::string body = streams(request) ? std::move(streamed) : std::string(request.body);
    streamed.clear();
    calls->push_back(Call{std::string(request.method()),
                          std::string(request.target()),
                          std::move(body),
                          w.status_code(),
                          w.overflowed(),
                          false,
                          {}});
  }

  void handle(const shockwave::Request& request, shockwave::ResponseWriter& w) noexcept {
    if (defers(request)) {
      tickets.push_back(request.defer());
      return;  // recorded when resumed
    }
    if (streams(request)) {
      FUZZ_CHECK(request.body.empty());  // every byte went to on_body
      w.header("Content-Type", "text/plain");
      w.body("got it");
    } else if (request.path() == "/stream") {
      w.header("Content-Type", "text/plain");
      w.begin_chunked();
      std::string_view b = request.body;
      while (!b.empty()) {
        const std::size_t n = b.size() < 100 ? b.size() : 100;
        w.write_chunk(b.substr(0, n));
        b.remove_prefix(n);
      }
      w.end_chunked();
    } else if (request.path() == "/file") {
      const std::size_t offset = number(request.target(), "at=", 0) % kFileSize;
      const std::size_t length = std::min(number(request.target(), "len=", kFileSize), kFileSize - offset);
      const int fd = ::dup(file_fd());
      FUZZ_CHECK(fd >= 0);
      files.push_back(fd);
      w.header("Content-Type", "application/octet-stream");
      request.send_file(w, fd, offset, length);
      record(request, w);
      calls->back().file = true;
      calls->back().file_bytes = file_content().substr(offset, length);
      return;
    } else if (request.path() == "/big") {
      static const std::string big(70 * 1024, 'x');
      w.body(big);
    } else {
      endpoints().handle(request, w);
    }
    record(request, w);
  }
};

struct Expected {
  std::vector<Call> requests;  // complete requests, up to an error or a close
  bool leftover = false;       // bytes after them (an error or an incomplete request)
  bool leftover_head = false;  // those bytes begin with a whole request-line, of HEAD
};

// one_shot parses the client's bytes as the connection's parser would, all
// at once, back to back.
Expected one_shot(std::string_view client, const http1::ParserOptions& options, std::size_t max_fields) {
  Expected e;
  std::unique_ptr<char[]> copy(new char[client.size() + 1]);
  std::memcpy(copy.get(), client.data(), client.size());
  std::vector<http1::Header> fields(max_fields);
  http1::RequestParser parser(fields, options);
  std::size_t offset = 0;
  while (offset < client.size()) {
    parser.reset();
    const std::span<char> input(copy.get() + offset, client.size() - offset);
    // As the connection does for the handler: the head, then its body plan.
    http1::ParseStatus s = parser.parse_head(input);
    if (s == http1::ParseStatus::kComplete && streams(shockwave::Request{parser.head(), {}, {}})) {
      parser.stream_body(kUploadMax);
    }
    if (s == http1::ParseStatus::kComplete) s = parser.parse(input);
    if (s != http1::ParseStatus::kComplete) {
      e.leftover = true;
      e.leftover_head = parser.request_line_complete() && parser.head().method == "HEAD";
      break;
    }
    const http1::RequestHead& h = parser.head();
    e.requests.push_back(
        Call{std::string(h.method), std::string(h.target), std::string(parser.body()), 0, false, false, {}});
    offset += parser.consumed();
    if (!h.keep_alive) break;
  }
  return e;
}

bool has_close(const live::Response& r) {
  for (const auto& [name, value] : r.headers) {
    if (http1::equals_ignore_case(name, "Connection") && http1::equals_ignore_case(value, "close")) return true;
  }
  return false;
}

[[noreturn]] void fail(const Transport& t, const char* what, std::size_t at) {
  std::fprintf(stderr, "connection_fuzzer: %s (at byte %zu of %zu written)\n--- written ---\n%.*s\n--- end ---\n", what,
               at, t.written.size(), static_cast<int>(t.written.size()), t.written.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t flags = data[0];
  const std::size_t k = data[1] % 64;
  if (size < 2 + k) return 0;

  std::vector<Call> calls;
  FuzzHandler handler{&calls, {}, {}, 0, {}};
  shockwave::net::ConnectionRig rig(shockwave::Dispatch::to(handler),
                                    (flags & kUringIo) ? &kFakeUringIo : &kFakeEpollIo);
  shockwave::Config& config = rig.config;
  config.limits.max_request_line = 512;
  config.limits.max_field_section = 1024;
  config.limits.max_body = 2048;
  config.max_fields = 16;
  config.leniency.bare_lf = flags & kBareLf;
  config.write_buffer_size = kWriteBufferSizes[flags & 3];
  config.max_requests_per_connection = (flags & kFewRequests) ? 2 : 10'000;
  config.header_timeout = std::chrono::milliseconds(1000);
  config.body_timeout = std::chrono::milliseconds(1000);
  config.idle_timeout = std::chrono::milliseconds(2000);
  config.write_timeout = std::chrono::milliseconds(1000);
  config.deferred_timeout = std::chrono::milliseconds(1500);

  Transport t;
  t.schedule = std::span<const std::uint8_t>(data + 2, k);
  t.client = std::string_view(reinterpret_cast<const char*>(data) + 2 + k, size - 2 - k);
  t.eof_at_end = flags & kEofAtEnd;
  g_transport = &t;

  shockwave::WorkerStats stats;
  shockwave::net::ConnectionEnv& env = rig.env;
  env.stats = (flags & kStats) ? &stats : nullptr;
  rig.open();
  Connection& c = rig.connection;

  // wake_all wakes every ticket the handler holds and delivers them as the
  // worker does (after the event that queued them).
  std::size_t woken = 0;
  auto wake_all = [&] {
    for (const shockwave::Ticket& ticket : handler.tickets) woken += ticket.wake(7) ? 1 : 0;
    handler.tickets.clear();
    return rig.deliver();
  };

  // Fuzzed events, as the worker delivers them (spurious ones included: the
  // connection must cope with a readiness that turns out to be EAGAIN).
  bool closed = false;
  bool write_timed_out = false;
  const std::size_t steps = 16 + 2 * t.client.size();
  const std::size_t shutdown_step = (flags & kShutdown) ? (k ? data[2] % (steps + 1) : steps / 2) : SIZE_MAX;
  std::size_t after_delivery = 0;  // steps since every byte was delivered
  for (std::size_t step = 0; step < steps && !closed && after_delivery < 32; ++step) {
    if (t.delivered == t.client.size()) ++after_delivery;
    if (step == shutdown_step && !env.shutting_down) {
      env.shutting_down = true;
      closed = c.on_shutdown() == Connection::Status::kClose;
      continue;
    }
    const std::uint8_t raw = k ? t.next() : (step % 2 ? 4 : 0);
    const std::uint8_t e = raw % 8;
    // The client's FIN is queued behind its bytes from the start; an event
    // may or may not report it (EPOLLRDHUP).
    const bool hung_up = t.eof_at_end && (raw & 8);
    Connection::Status s = Connection::Status::kOpen;
    if (raw & 16) s = wake_all();
    if (s == Connection::Status::kOpen && (e <= 3 || e == 7)) s = c.on_readable(hung_up);
    if (s == Connection::Status::kOpen && (e == 4 || e == 5 || e == 7)) s = c.on_writable();
    if (e == 6) {
      env.now_ms += 250;
      s = c.on_tick();
      // Closed by the clock while our last write was refused: the write
      // timeout (the client stopped reading), which cuts a response short.
      write_timed_out = s == Connection::Status::kClose && t.stalled;
    }
    closed = s == Connection::Status::kClose;
  }
  // Drain: the network becomes ideal and time passes; the connection must
  // get every byte out and close by itself. Events now come only as epoll
  // would raise them (bytes or EOF to read, a blocked write), so that
  // spurious wake-ups cannot keep postponing the idle timeout.
  t.ideal = true;
  // A connection that read nothing although bytes wait has stopped reading
  // (a deferred request holds the pipelined ones, the buffer is full): no
  // new event comes for those bytes, so time passes instead.
  bool read_stalled = false;
  for (int i = 0; i < 64 && !closed; ++i) {
    if (!handler.tickets.empty() && (flags & kWakeInDrain)) {
      closed = wake_all() == Connection::Status::kClose;
    } else if (!read_stalled && (t.delivered < t.client.size() || (t.eof_at_end && !t.eof_seen))) {
      const std::size_t before = t.delivered;
      const bool eof_before = t.eof_seen;
      closed = c.on_readable(t.eof_at_end) == Connection::Status::kClose;
      read_stalled = t.delivered == before && t.eof_seen == eof_before;
    } else if (t.write_blocked) {
      t.write_blocked = false;
      closed = c.on_writable() == Connection::Status::kClose;
    } else {
      env.now_ms += 1000;
      read_stalled = false;
      closed = c.on_tick() == Connection::Status::kClose;
      // The write timeout may fire here too: a write refused in the last
      // phase and not retried since (the peer was not reading).
      write_timed_out = write_timed_out || (closed && t.stalled);
    }
  }
  if (!closed) fail(t, "the connection never closes", t.written.size());
  // The worker's close: a request still held is abandoned, and its tickets,
  // woken now (the completion after the peer went away), wake nothing.
  c.on_close();
  for (const shockwave::Ticket& ticket : handler.tickets) FUZZ_CHECK(!ticket.wake(7));
  // Every file handed over is closed: sent, answered without content, or
  // dropped with the connection (a number reused by a later dup was closed
  // before it, and is checked as that one).
  for (const int fd : handler.files) {
    if (fcntl(fd, F_GETFD) != -1) fail(t, "a file descriptor given to send_file is still open", t.written.size());
  }
  rig.mailbox.deliver([&](void*, std::uint64_t) { fail(t, "a ticket delivered after the close", t.written.size()); });
  g_transport = nullptr;

  // A safe request's response that overflowed behind queued ones is taken
  // back unsent, and its handler called again once they are out (handler.h):
  // an overflowed call followed by another is that retry, of the same
  // request, and happens once. Without a retry an overflow ends the
  // connection, so nothing else follows an overflowed call.
  std::vector<Call> answered;
  bool retried = false;
  for (const Call& call : calls) {
    if (!answered.empty() && answered.back().overflowed) {
      const Call& first = answered.back();
      if (retried || call.method != first.method || call.target != first.target || call.body != first.body) {
        fail(t, "a handler call after an overflow that is not its one retry", t.written.size());
      }
      // RFC 9110 §9.2.1's list, written out rather than taken from
      // RequestHead::safe_method(), so that the oracle checks that function.
      if (!(call.method == "GET" || call.method == "HEAD" || call.method == "OPTIONS" || call.method == "TRACE")) {
        fail(t, "a request with an unsafe method was retried", t.written.size());
      }
      answered.back() = call;
      retried = true;
      continue;
    }
    answered.push_back(call);
    retried = false;
  }

  // What was written must be the answers to what was asked.
  const Expected expected = one_shot(t.client, env.parser_options, config.max_fields);
  // RFC 9110 §9.3.7: the server answers OPTIONS * itself; the handler sees
  // every other request.
  auto asterisk = [&](std::size_t i) { return i < expected.requests.size() && expected.requests[i].target == "*"; };
  std::vector<std::size_t> handled;  // indexes of the requests a handler answers
  for (std::size_t i = 0; i < expected.requests.size(); ++i) {
    if (!asterisk(i)) handled.push_back(i);
  }
  if (answered.size() > handled.size()) {
    for (const Call& call : answered)
      std::fprintf(stderr, "handler call: %s %s (%zu body bytes)\n", call.method.c_str(), call.target.c_str(),
                   call.body.size());
    fail(t, "more handler calls than requests in the one-shot parse", t.written.size());
  }
  for (std::size_t i = 0; i < answered.size(); ++i) {
    FUZZ_CHECK(answered[i].method == expected.requests[handled[i]].method);
    FUZZ_CHECK(answered[i].target == expected.requests[handled[i]].target);
    FUZZ_CHECK(answered[i].body == expected.requests[handled[i]].body);
  }
  std::string_view rest = t.written;
  std::size_t finals = 0;           // final responses read, one per request in order
  std::size_t handler_answers = 0;  // of those, the handler's
  bool closing_seen = false;
  while (!rest.empty()) {
    const std::size_t at = t.written.size() - rest.size();
    if (closing_seen) fail(t, "bytes written after a response with Connection: close", at);
    // RFC 9110 §9.3.2: an answer to HEAD has no content, the server's error
    // answer too, once it knew the method.
    const bool head =
        finals < expected.requests.size() ? expected.requests[finals].method == "HEAD" : expected.leftover_head;
    live::ResponseParse r = live::parse_response(rest, head, /*eof=*/true);
    if (head && r.status == live::ResponseParse::Status::kComplete && r.response.status == 408 &&
        r.consumed < rest.size()) {
      // The request timeout may strike before the request-line had all
      // arrived (the clock runs while bytes are still on their way), when
      // the method was not known yet: then the reason is content.
      r = live::parse_response(rest, /*head=*/false, /*eof=*/true);
    }
    if (r.status == live::ResponseParse::Status::kIncomplete) {
      // Only a response the handler overflowed, or one the write timeout
      // cut, may be cut short.
      if (write_timed_out ||
          (!asterisk(finals) && handler_answers < answered.size() && answered[handler_answers].overflowed))
        break;
      fail(t, "a response is cut short", at);
    }
    if (r.status == live::ResponseParse::Status::kError) {
      std::fprintf(stderr, "response parser: %s\n", r.error.c_str());
      fail(t, "malformed response", at);
    }
    rest.remove_prefix(r.consumed);
    if (r.response.interim()) {
      if (r.response.status != 100) fail(t, "an interim response other than 100 Continue", at);
      continue;
    }
    if (asterisk(finals) && r.response.status == 200) {
      // The server's own answer to OPTIONS *.
    } else if (!asterisk(finals) && handler_answers < answered.size()) {
      const Call& call = answered[handler_answers++];
      if (r.response.status != (call.overflowed ? 500 : call.status)) fail(t, "not the handler's status", at);
      if (call.file && !call.overflowed && !head && r.response.body != call.file_bytes) {
        fail(t, "a file response's bytes are not the file's", at);
      }
    } else {
      // The server's own answer: an error, then close (RFC 9112 §9.6).
      const int s = r.response.status;
      if (!(s == 400 || s == 408 || s == 413 || s == 414 || s == 417 || s == 431 || s == 501 || s == 503 || s == 505)) {
        fail(t, "an error response with an unexpected status", at);
      }
      if (!has_close(r.response)) fail(t, "an error response without Connection: close", at);
    }
    closing_seen = has_close(r.response);
    ++finals;
  }
  if (finals > expected.requests.size() + (expected.leftover ? 1 : 0)) fail(t, "more responses than requests", 0);
  // A write timeout drops every response still queued behind the cut one.
  if (!write_timed_out && handler_answers < answered.size() &&
      !(handler_answers + 1 == answered.size() && answered.back().overflowed)) {
    fail(t, "a handler's response is missing", t.written.size());
  }
  if (env.stats) {
    FUZZ_CHECK(stats.bytes_written.load() == t.written.size());
    // Bytes drained while lingering are discarded, not counted.
    FUZZ_CHECK(stats.bytes_read.load() <= t.delivered);
  }
  return 0;
}
