// Connection over a scripted in-memory peer: the client's bytes are all
// there at once, and its receive window says how much of our output it
// takes before a write meets EAGAIN. Deterministic where socket tests
// depend on the kernel's buffer sizes.

#include "server/net/connection.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "server/config.h"
#include "server/handler.h"
#include "server/net/connection_rig.h"
#include "testing/response.h"

namespace shockwave::net {
namespace {

namespace live = ::shockwave::testing;  // responses, through http1::ResponseParser

struct Peer {
  std::string to_server;  // what the client sent
  std::size_t delivered = 0;
  bool fin = false;        // a FIN follows its bytes (half-close)
  std::size_t window = 0;  // bytes it will still take
  std::string received;
};
Peer* g_peer = nullptr;

ssize_t peer_read(void*, int, char* buffer, std::size_t size) {
  Peer& p = *g_peer;
  const std::size_t n = std::min(size, p.to_server.size() - p.delivered);
  if (n == 0) {
    if (p.fin) return 0;
    errno = EAGAIN;
    return -1;
  }
  std::memcpy(buffer, p.to_server.data() + p.delivered, n);
  p.delivered += n;
  return static_cast<ssize_t>(n);
}

ssize_t peer_write(void*, int, const char* data, std::size_t size) {
  Peer& p = *g_peer;
  const std::size_t n = std::min(size, p.window);
  if (n == 0) {
    errno = EAGAIN;
    return -1;
  }
  p.received.append(data, n);
  p.window -= n;
  return static_cast<ssize_t>(n);
}

void peer_shutdown_write(void*, int) {}

constexpr Io kPeerIo = {nullptr, peer_read, peer_write, peer_shutdown_write};

// GET /small and /big answer a body of that many bytes; POST /echo echoes.
// It counts its calls per path.
struct SizedHandler {
  std::size_t small = 100;
  std::size_t big = 700;
  std::map<std::string, int, std::less<>> calls;

  void handle(const Request& request, ResponseWriter& w) {
    ++calls[std::string(request.path())];
    if (request.path() == "/echo") return w.body(request.body);
    w.body(std::string(request.path() == "/big" ? big : small, 'b'));
  }
};

template <typename H>
class ConnectionWith : public ::testing::Test {
 protected:
  void SetUp() override {
    g_peer = &peer_;
    config_.write_buffer_size = 1024;
    rig_.open();
  }
  void TearDown() override { g_peer = nullptr; }

  // The peer reads everything queued for it and says so (EPOLLOUT).
  Connection::Status peer_reads_all() {
    peer_.window = SIZE_MAX;
    return connection_.on_writable();
  }

  // responses parses what the peer received.
  std::vector<live::Response> responses() const {
    std::vector<live::Response> all;
    std::string_view rest = peer_.received;
    while (!rest.empty()) {
      const live::ResponseParse r = live::parse_response(rest, /*head_request=*/false, /*eof=*/false);
      if (r.status != live::ResponseParse::Status::kComplete) {
        ADD_FAILURE() << "not a whole response at byte " << peer_.received.size() - rest.size() << ": " << r.error;
        break;
      }
      all.push_back(r.response);
      rest.remove_prefix(r.consumed);
    }
    return all;
  }

  Connection::Status deliver() { return rig_.deliver(); }

  Peer peer_;
  H handler_;
  ConnectionRig rig_{Dispatch::to(handler_), &kPeerIo};
  Config& config_ = rig_.config;
  ConnectionEnv& env_ = rig_.env;
  Connection& connection_ = rig_.connection;
};

using ConnectionTest = ConnectionWith<SizedHandler>;

constexpr std::string_view kSmall = "GET /small HTTP/1.1\r\nHost: a\r\n\r\n";

// Four small responses (about 550 bytes) leave less room than a big one
// needs, and the peer reads nothing: the big one cannot be written yet,
// though it fits the 1024-byte queue alone.
TEST_F(ConnectionTest, SafeResponseBehindUnreadOnesIsAnsweredOnceTheyAreOut) {
  for (int i = 0; i < 4; ++i) peer_.to_server += kSmall;
  peer_.to_server += "GET /big HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  EXPECT_TRUE(peer_.received.empty());
  ASSERT_EQ(peer_reads_all(), Connection::Status::kOpen);

  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 5u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r[i].body.size(), handler_.small) << i;
  EXPECT_EQ(r[4].status, 200);
  EXPECT_EQ(r[4].body, std::string(handler_.big, 'b'));
  // Its first answer was taken back unsent (GET is safe: RFC 9110 §9.2.1).
  EXPECT_EQ(handler_.calls["/big"], 2);
  EXPECT_EQ(handler_.calls["/small"], 4);
}

// A POST is not answered behind unread responses at all: its handler runs
// once, on an empty queue.
TEST_F(ConnectionTest, UnsafeRequestWaitsForAnEmptyQueueAndRunsOnce) {
  for (int i = 0; i < 4; ++i) peer_.to_server += kSmall;
  const std::string body(700, 'e');
  peer_.to_server += "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 700\r\n\r\n" + body;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  EXPECT_EQ(handler_.calls["/echo"], 0);
  ASSERT_EQ(peer_reads_all(), Connection::Status::kOpen);

  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[4].status, 200);
  EXPECT_EQ(r[4].body, body);
  EXPECT_EQ(handler_.calls["/echo"], 1);
}

// A response larger than the queue is answered 500 when the peer is not
// reading, also when it was retried: the retry runs on an empty queue, so
// it is not taken back again.
TEST_F(ConnectionTest, ResponseLargerThanTheQueueIsAnswered500) {
  handler_.big = 2000;
  peer_.to_server = std::string(kSmall) + "GET /big HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  // The peer takes the small response one byte at a time, then nothing.
  while (live::parse_response(peer_.received, false, false).status != live::ResponseParse::Status::kComplete) {
    peer_.window = 1;
    ASSERT_EQ(connection_.on_writable(), Connection::Status::kOpen);
  }
  ASSERT_EQ(peer_reads_all(), Connection::Status::kOpen);

  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[1].status, 500);
  EXPECT_EQ(r[1].body, "response too large");
  EXPECT_EQ(handler_.calls["/big"], 2);
}

// Requests behind the retried one keep their order.
TEST_F(ConnectionTest, RequestsAfterARetriedOneKeepTheirOrder) {
  for (int i = 0; i < 4; ++i) peer_.to_server += kSmall;
  peer_.to_server += "GET /big HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.to_server += "GET /small?last HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(peer_reads_all(), Connection::Status::kOpen);

  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[4].body.size(), handler_.big);
  EXPECT_EQ(r[5].body.size(), handler_.small);
  EXPECT_EQ(handler_.calls["/small"], 5);
}

// RFC 9112 §9.6: a half-close does not cancel the responses to requests
// already received, also those held back for room.
TEST_F(ConnectionTest, HalfCloseAnswersRequestsHeldBackForRoom) {
  for (int i = 0; i < 4; ++i) peer_.to_server += kSmall;
  peer_.to_server += "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
  peer_.to_server += kSmall;
  peer_.fin = true;
  ASSERT_EQ(connection_.on_readable(/*peer_hung_up=*/true), Connection::Status::kOpen);
  EXPECT_EQ(peer_reads_all(), Connection::Status::kClose);

  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 6u);
  EXPECT_EQ(r[4].body, "abc");
  EXPECT_EQ(r[5].body.size(), handler_.small);
}

// A request cut short by the half-close is not answered; those before it are.
TEST_F(ConnectionTest, HalfCloseMidRequestAnswersTheWholeOnesAndCloses) {
  peer_.to_server = std::string(kSmall) + "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc";
  peer_.fin = true;
  peer_.window = SIZE_MAX;
  EXPECT_EQ(connection_.on_readable(/*peer_hung_up=*/true), Connection::Status::kClose);
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(handler_.calls["/echo"], 0);
}

// Graceful shutdown while output holds requests back: every request already
// read is answered, and only the last response says Connection: close.
// (They used to be dropped: the shutdown set "close after flush", and the
// last response sent had been built for keep-alive.)
TEST_F(ConnectionTest, ShutdownAnswersEveryRequestAlreadyRead) {
  for (int i = 0; i < 20; ++i) peer_.to_server += kSmall;
  peer_.to_server += "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc";
  peer_.to_server += kSmall;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(peer_.delivered, peer_.to_server.size());  // all read; most held back
  env_.shutting_down = true;
  Connection::Status status = connection_.on_shutdown();
  for (int turn = 0; turn < 100 && status == Connection::Status::kOpen; ++turn) {
    peer_.fin = peer_.delivered == peer_.to_server.size();  // the client closes once it sees the close
    status = peer_reads_all();
  }
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 22u);
  for (std::size_t i = 0; i < r.size(); ++i) {
    EXPECT_EQ(r[i].status, 200) << i;
    EXPECT_EQ(r[i].connection_close(), i + 1 == r.size()) << i;
  }
  EXPECT_EQ(r[20].body, "abc");
  EXPECT_EQ(handler_.calls["/small"], 21);
}

// Requests that arrive after the shutdown began are not taken: the last
// request read before it is answered with Connection: close (RFC 9112
// §9.6), which tells the client the rest were not processed.
TEST_F(ConnectionTest, ShutdownClosesAfterTheRequestsReadBeforeIt) {
  for (int i = 0; i < 10; ++i) peer_.to_server += kSmall;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  env_.shutting_down = true;
  Connection::Status status = connection_.on_shutdown();
  for (int i = 0; i < 5; ++i) peer_.to_server += kSmall;  // sent after the stop
  for (int turn = 0; turn < 100 && status == Connection::Status::kOpen; ++turn) status = peer_reads_all();
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 10u);
  EXPECT_TRUE(r[9].connection_close());
  EXPECT_FALSE(r[8].connection_close());
}

// --- Streamed bodies and deferred responses (handler.h) ----------------------

// ExchangeHandler: POST /upload streams its body (bounded by max_upload),
// taking at most take_per_call bytes per call and, once paused_after bytes
// are in, deferring (back-pressure) until the test wakes it. GET /later
// defers its response; resume() answers "later:<value>". GET /both defers
// and writes. Everything else answers "now".
struct ExchangeHandler {
  std::uint64_t max_upload = 0;
  std::size_t take_per_call = SIZE_MAX;
  std::size_t pause_after = SIZE_MAX;  // bytes taken before on_body defers
  std::string uploaded;
  int body_calls = 0;
  std::vector<Ticket> tickets;
  std::vector<std::string> abandoned;
  std::vector<std::string> trailers_seen;

  BodyPlan plan_body(const Request& head) {
    return head.path() == "/upload" ? BodyPlan::streamed(max_upload) : BodyPlan::whole();
  }
  std::size_t on_body(const Request& head, std::string_view slice) {
    ++body_calls;
    const std::size_t took = std::min(slice.size(), take_per_call);
    uploaded.append(slice.substr(0, took));
    head.scratch()[0] += took;
    if (uploaded.size() >= pause_after) {
      pause_after = SIZE_MAX;
      tickets.push_back(head.defer());
    }
    return took;
  }
  void handle(const Request& request, ResponseWriter& w) {
    if (request.path() == "/upload") {
      for (const http1::Header& t : request.trailers) trailers_seen.emplace_back(t.name);
      w.body("got " + std::to_string(request.scratch()[0]) + " body " + std::to_string(request.body.size()));
      return;
    }
    if (request.path() == "/later" || request.path() == "/both") {
      tickets.push_back(request.defer());
      if (request.path() == "/both") w.body("written");
      return;
    }
    w.body("now");
  }
  void resume(const Request& request, std::uint64_t value, ResponseWriter& w) {
    w.body(std::string(request.path().substr(1)) + ":" + std::to_string(value));
  }
  void abandon(const Request& request) { abandoned.emplace_back(request.path()); }
};

class ExchangeTest : public ConnectionWith<ExchangeHandler> {
 protected:
  void SetUp() override {
    config_.limits.max_body = 1024;  // the input buffer: 8 KiB + 2 × 16 KiB + 2 KiB
    ConnectionWith<ExchangeHandler>::SetUp();
  }
};

std::string upload_cl(std::size_t size) {
  std::string body(size, '\0');
  for (std::size_t i = 0; i < size; ++i) body[i] = static_cast<char>('a' + i % 26);
  return body;
}

std::string chunked(std::string_view body, std::size_t chunk, std::string_view trailers = "") {
  std::string wire;
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    const std::string_view piece = body.substr(at, chunk);
    char size[32];
    // An extension on the first chunk only: they have a budget per body.
    std::snprintf(size, sizeof size, at == 0 ? "%zx;ext=1\r\n" : "%zx\r\n", piece.size());
    wire += size;
    wire += piece;
    wire += "\r\n";
  }
  return wire + "0\r\n" + std::string(trailers) + "\r\n";
}

// A Content-Length body many times the input buffer streams through it.
TEST_F(ExchangeTest, StreamsAContentLengthBodyLargerThanTheBuffer) {
  const std::string body = upload_cl(1'000'000);
  ASSERT_GT(body.size(), 20 * rig_.input().size());
  peer_.to_server = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n" + body + std::string(kSmall);
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  EXPECT_TRUE(handler_.uploaded == body) << handler_.uploaded.size() << " bytes";
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].status, 200);
  EXPECT_EQ(r[0].body, "got 1000000 body 0");
  EXPECT_EQ(r[1].body, "now");  // the pipelined request behind it
  EXPECT_TRUE(handler_.abandoned.empty());
}

// So does a chunked one, framing and trailers included.
TEST_F(ExchangeTest, StreamsAChunkedBodyLargerThanTheBuffer) {
  const std::string body = upload_cl(300'000);
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{700}, std::size_t{5000}, std::size_t{300'000}}) {
    handler_.uploaded.clear();
    handler_.trailers_seen.clear();
    peer_ = Peer{};
    peer_.to_server = "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                      chunked(body, chunk, "X-Sum: 1\r\n") + std::string(kSmall);
    peer_.window = SIZE_MAX;
    ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen) << chunk;
    EXPECT_TRUE(handler_.uploaded == body) << chunk << ": " << handler_.uploaded.size() << " bytes";
    const std::vector<live::Response> r = responses();
    ASSERT_EQ(r.size(), 2u) << chunk;
    EXPECT_EQ(r[0].body, "got 300000 body 0") << chunk;
    EXPECT_EQ(handler_.trailers_seen, std::vector<std::string>{"X-Sum"}) << chunk;
    EXPECT_EQ(r[1].body, "now") << chunk;
  }
}

// A handler that takes a few bytes at a time is offered the rest at once.
TEST_F(ExchangeTest, OffersTheRestOfASliceAgain) {
  handler_.take_per_call = 7;
  const std::string body = upload_cl(5000);
  peer_.to_server = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + body;
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  EXPECT_TRUE(handler_.uploaded == body) << handler_.uploaded.size() << " bytes";
  EXPECT_GE(handler_.body_calls, 5000 / 7);
  ASSERT_EQ(responses().size(), 1u);
}

// RFC 9110 §15.5.14: the handler's bound, not max_body, limits a streamed
// body: over it, 413 before a byte of it is offered (Content-Length) or as
// soon as the chunks pass it.
TEST_F(ExchangeTest, StreamedBodyOverTheHandlersBoundIs413) {
  handler_.max_upload = 4000;
  peer_.to_server = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 4001\r\n\r\n" + upload_cl(4001);
  peer_.window = SIZE_MAX;
  connection_.on_readable();
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].status, 413);
  EXPECT_EQ(handler_.body_calls, 0);

  peer_ = Peer{};
  handler_.uploaded.clear();
  rig_.open();
  peer_.to_server =
      "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(upload_cl(4001), 1000);
  peer_.window = SIZE_MAX;
  connection_.on_readable();
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].status, 413);
  EXPECT_LE(handler_.uploaded.size(), 4000u);
  // Both were cut short after plan_body() chose to stream them.
  EXPECT_EQ(handler_.abandoned, (std::vector<std::string>{"/upload", "/upload"}));
}

// Without a plan to stream, max_body still holds the whole body.
TEST_F(ExchangeTest, BodiesNotStreamedKeepMaxBody) {
  peer_.to_server = "POST /other HTTP/1.1\r\nHost: a\r\nContent-Length: 1025\r\n\r\n" + upload_cl(1025);
  peer_.window = SIZE_MAX;
  connection_.on_readable();
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].status, 413);
  EXPECT_EQ(handler_.body_calls, 0);
}

// Back-pressure: once on_body defers, nothing more is read from the
// socket until its ticket is woken; then the rest streams.
TEST_F(ExchangeTest, PausedBodyStopsReadingUntilWoken) {
  handler_.pause_after = 10'000;
  const std::string body = upload_cl(200'000);
  peer_.to_server = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 200000\r\n\r\n" + body;
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(handler_.tickets.size(), 1u);
  const std::size_t delivered = peer_.delivered;
  EXPECT_LT(delivered, 10'000 + rig_.input().size());               // what it had read when it paused, no more
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);  // another event: still paused
  EXPECT_EQ(peer_.delivered, delivered);
  EXPECT_TRUE(responses().empty());

  ASSERT_TRUE(handler_.tickets[0].wake());
  EXPECT_FALSE(handler_.tickets[0].wake());  // once
  ASSERT_EQ(deliver(), Connection::Status::kOpen);
  EXPECT_TRUE(handler_.uploaded == body) << handler_.uploaded.size() << " bytes";
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].body, "got 200000 body 0");
}

// A deferred response holds the pipelined ones behind it, so responses
// keep their order (RFC 9112 §9.3.2); resume() gets the wake's value.
TEST_F(ExchangeTest, DeferredResponseKeepsPipelinedOrder) {
  peer_.to_server = std::string(kSmall) + "GET /later HTTP/1.1\r\nHost: a\r\n\r\n" + std::string(kSmall);
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(responses().size(), 1u);
  ASSERT_EQ(handler_.tickets.size(), 1u);

  std::thread other([&] { EXPECT_TRUE(handler_.tickets[0].wake(42)); });  // any thread may wake it
  other.join();
  ASSERT_EQ(deliver(), Connection::Status::kOpen);
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1].body, "later:42");
  EXPECT_EQ(r[2].body, "now");
  EXPECT_FALSE(handler_.tickets[0].wake());  // the request is over
  EXPECT_TRUE(handler_.abandoned.empty());
}

// Deferred behind responses the peer has not read: resume() waits for them.
TEST_F(ExchangeTest, ResumeWaitsForTheQueueToDrain) {
  peer_.to_server = std::string(kSmall) + "GET /later HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);  // window 0: nothing goes out
  ASSERT_EQ(handler_.tickets.size(), 1u);
  ASSERT_TRUE(handler_.tickets[0].wake(1));
  ASSERT_EQ(deliver(), Connection::Status::kOpen);
  ASSERT_EQ(peer_reads_all(), Connection::Status::kOpen);
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1].body, "later:1");
}

// One never woken is answered 503 after Config::deferred_timeout; the
// handler hears it was abandoned and the ticket goes stale.
TEST_F(ExchangeTest, DeferredResponseTimesOutWith503) {
  peer_.to_server = "GET /later HTTP/1.1\r\nHost: a\r\n\r\n" + std::string(kSmall);
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  env_.now_ms += config_.deferred_timeout.count() - 1;
  ASSERT_EQ(connection_.on_tick(), Connection::Status::kOpen);
  EXPECT_TRUE(responses().empty());
  env_.now_ms += 1;
  connection_.on_tick();
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 1u);  // and the connection closes: the request behind is not answered
  EXPECT_EQ(r[0].status, 503);
  EXPECT_TRUE(r[0].connection_close());
  EXPECT_EQ(handler_.abandoned, std::vector<std::string>{"/later"});
  EXPECT_FALSE(handler_.tickets[0].wake());
}

// So does a body paused and never woken.
TEST_F(ExchangeTest, PausedBodyTimesOutWith503) {
  handler_.pause_after = 1;
  peer_.to_server = "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + upload_cl(100);
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  env_.now_ms += config_.deferred_timeout.count();
  connection_.on_tick();
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].status, 503);
  EXPECT_EQ(handler_.abandoned, std::vector<std::string>{"/upload"});
}

// The client goes away first: closing the connection abandons the
// request, and waking its ticket afterwards does nothing.
TEST_F(ExchangeTest, PeerGoneAbandonsTheDeferredRequest) {
  peer_.to_server = "GET /later HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  connection_.on_close();  // the worker closes it (reset, error, shutdown deadline)
  EXPECT_EQ(handler_.abandoned, std::vector<std::string>{"/later"});
  EXPECT_FALSE(handler_.tickets[0].wake(5));
  EXPECT_EQ(deliver(), Connection::Status::kOpen);
  EXPECT_TRUE(responses().empty());
}

// Woken, then gone before the loop delivered it: still abandoned, once.
TEST_F(ExchangeTest, PeerGoneAfterTheWakeBeforeTheResume) {
  peer_.to_server = "GET /later HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_TRUE(handler_.tickets[0].wake(5));
  connection_.on_close();
  EXPECT_EQ(deliver(), Connection::Status::kOpen);  // the cell is idle now: nothing delivered
  EXPECT_EQ(handler_.abandoned, std::vector<std::string>{"/later"});
  EXPECT_TRUE(responses().empty());
}

// A half-closed client still gets its deferred response (RFC 9112 §9.6).
TEST_F(ExchangeTest, HalfClosedClientGetsTheDeferredResponse) {
  peer_.to_server = "GET /later HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.fin = true;
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(/*peer_hung_up=*/true), Connection::Status::kOpen);
  ASSERT_TRUE(handler_.tickets[0].wake(3));
  EXPECT_EQ(deliver(), Connection::Status::kClose);  // answered, then closed
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].body, "later:3");
}

// defer() and a written response: the response stands, the ticket is void.
TEST_F(ExchangeTest, WrittenResponseWinsOverDefer) {
  peer_.to_server = "GET /both HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].body, "written");
  EXPECT_FALSE(handler_.tickets[0].wake());
}

// Shutting down waits for the deferred response, which closes the connection.
TEST_F(ExchangeTest, ShutdownWaitsForTheDeferredResponse) {
  peer_.to_server = "GET /later HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  env_.shutting_down = true;
  ASSERT_EQ(connection_.on_shutdown(), Connection::Status::kOpen);
  ASSERT_TRUE(handler_.tickets[0].wake(9));
  deliver();
  ASSERT_EQ(responses().size(), 1u);
  EXPECT_EQ(responses()[0].body, "later:9");
  EXPECT_TRUE(responses()[0].connection_close());
}

// FileHandler answers GET /file with the bytes of a file (send_file), from
// `offset`, `length` of them; anything else 100 bytes from memory. It keeps
// the fds it handed over, to check the connection closes them.
struct FileHandler {
  std::string path;
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
  std::vector<int> fds;

  void handle(const Request& request, ResponseWriter& w) {
    if (request.path() != "/file") return w.body(std::string(100, 's'));
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    fds.push_back(fd);
    w.header("Content-Type", "application/octet-stream");
    request.send_file(w, fd, offset, length);
  }
};

bool fd_open(int fd) { return ::fcntl(fd, F_GETFD) != -1; }

class FileBodyTest : public ConnectionWith<FileHandler> {
 protected:
  void SetUp() override {
    ConnectionWith<FileHandler>::SetUp();
    char name[] = "/tmp/file_body_XXXXXX";
    const int fd = ::mkstemp(name);
    ASSERT_GE(fd, 0);
    content_.resize(5000);
    for (std::size_t i = 0; i < content_.size(); ++i) content_[i] = static_cast<char>('a' + i * 7 % 26);
    ASSERT_EQ(::write(fd, content_.data(), content_.size()), static_cast<ssize_t>(content_.size()));
    ::close(fd);
    handler_.path = name;
    handler_.length = content_.size();
  }
  void TearDown() override {
    ::unlink(handler_.path.c_str());
    ConnectionWith<FileHandler>::TearDown();
  }
  std::string content_;
};

// The file's bytes (five times the 1024-byte queue) follow their head, and
// the requests pipelined behind wait for them: the order holds.
TEST_F(FileBodyTest, FileFollowsItsHeadAndPipelinedResponsesWait) {
  handler_.offset = 1000;
  handler_.length = 3000;
  peer_.to_server = std::string(kSmall) + "GET /file HTTP/1.1\r\nHost: a\r\n\r\n" + std::string(kSmall);
  peer_.window = 700;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(peer_reads_all(), Connection::Status::kOpen);
  const std::vector<live::Response> r = responses();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].body, std::string(100, 's'));
  EXPECT_EQ(r[1].status, 200);
  EXPECT_EQ(r[1].body, content_.substr(1000, 3000));
  EXPECT_EQ(r[2].body, std::string(100, 's'));
  ASSERT_EQ(handler_.fds.size(), 1u);
  EXPECT_FALSE(fd_open(handler_.fds[0]));  // closed once sent
  EXPECT_TRUE(connection_.idle());
}

// RFC 9110 §9.3.2: HEAD gets the length and no content; the file is closed
// at once.
TEST_F(FileBodyTest, HeadSendsTheLengthAndClosesTheFile) {
  peer_.to_server = "HEAD /file HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.window = SIZE_MAX;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(handler_.fds.size(), 1u);
  EXPECT_FALSE(fd_open(handler_.fds[0]));
  EXPECT_NE(peer_.received.find("Content-Length: 5000\r\n"), std::string::npos);
  EXPECT_TRUE(peer_.received.ends_with("\r\n\r\n"));
}

// The peer goes away mid-file: closing the connection closes the file.
TEST_F(FileBodyTest, CloseMidFileClosesTheFile) {
  peer_.to_server = "GET /file HTTP/1.1\r\nHost: a\r\n\r\n";
  peer_.window = 2000;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(handler_.fds.size(), 1u);
  EXPECT_TRUE(fd_open(handler_.fds[0]));
  EXPECT_FALSE(connection_.idle());
  connection_.on_close();
  EXPECT_FALSE(fd_open(handler_.fds[0]));
}

// A file that shrinks after its head announced the length cannot be
// answered: the connection closes rather than send fewer bytes, or others.
TEST_F(FileBodyTest, FileThatShrinksCutsTheConnection) {
  peer_.to_server = "GET /file HTTP/1.1\r\nHost: a\r\n\r\n" + std::string(kSmall);
  peer_.window = 1500;
  ASSERT_EQ(connection_.on_readable(), Connection::Status::kOpen);
  ASSERT_EQ(::truncate(handler_.path.c_str(), 2000), 0);
  EXPECT_EQ(peer_reads_all(), Connection::Status::kClose);
  connection_.on_close();
  EXPECT_FALSE(fd_open(handler_.fds[0]));
  EXPECT_EQ(peer_.received.find("HTTP/1.1", 10), std::string::npos);  // nothing answered behind it
  EXPECT_LT(peer_.received.size(), 5000u);
}

}  // namespace
}  // namespace shockwave::net
