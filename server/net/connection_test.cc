// Connection over a scripted in-memory peer: the client's bytes are all
// there at once, and its receive window says how much of our output it
// takes before a write meets EAGAIN. Deterministic where socket tests
// depend on the kernel's buffer sizes.

#include "server/net/connection.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "server/config.h"
#include "server/handler.h"
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

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_peer = &peer_;
    config_.write_buffer_size = 1024;
    env_.config = &config_;
    env_.parser_options = http1::ParserOptions{config_.limits, config_.leniency};
    env_.dispatch = Dispatch::to(handler_);
    env_.io = &kPeerIo;
    env_.date_line = "Date: Thu, 01 Jan 2026 00:00:00 GMT\r\n";
    env_.now_ms = 1'000'000;
    in_.resize(config_.read_buffer_size());
    out_.resize(config_.write_buffer_size);
    fields_.resize(config_.max_fields);
    connection_.open(3, &env_, in_, out_, fields_);
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

  Peer peer_;
  Config config_;
  SizedHandler handler_;
  ConnectionEnv env_;
  std::vector<char> in_, out_;
  std::vector<http1::Header> fields_;
  Connection connection_;
};

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

}  // namespace
}  // namespace shockwave::net
