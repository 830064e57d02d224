// observe and judge_live against a scripted server on 127.0.0.1: one
// connection, read the request, answer with fixed bytes, close or not.

#include "conformance/live/live.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace shockwave::conformance::live {
namespace {

class ScriptedServer {
 public:
  // Reads `expect` octets (or until EOF), waits `delay`, writes `reply`,
  // then closes when `close_after`, else waits for the client to close.
  ScriptedServer(std::size_t expect, std::string reply, bool close_after,
                 std::chrono::milliseconds delay = std::chrono::milliseconds(0)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(listen_fd_, 4), 0);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this, expect, reply = std::move(reply), close_after, delay] {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      char buf[4096];
      std::size_t got = 0;
      while (got < expect) {
        ssize_t r = ::read(fd, buf, sizeof buf);
        if (r <= 0) break;
        got += static_cast<std::size_t>(r);
      }
      std::this_thread::sleep_for(delay);
      if (!reply.empty()) (void)!::write(fd, reply.data(), reply.size());
      if (!close_after) {
        while (::read(fd, buf, sizeof buf) > 0) {
        }
      }
      ::close(fd);
    });
  }
  ~ScriptedServer() {
    thread_.join();
    ::close(listen_fd_);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

Case make_case(std::string input, Outcome strict, std::vector<Outcome> also = {}, std::optional<std::size_t> m = 1) {
  Case c;
  c.id = "test/case";
  c.input = std::move(input);
  c.strict = strict;
  c.allowed = {strict};
  for (Outcome& o : also) c.allowed.push_back(o);
  c.messages = m;
  return c;
}

const Outcome kAccept{Outcome::Kind::kAccept, {}};
const Outcome kReject400{Outcome::Kind::kReject, {400}};
const Outcome kIncomplete{Outcome::Kind::kIncomplete, {}};

constexpr char kGet[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
constexpr char kOk[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
constexpr char k400[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

struct Trial {
  Observation o;
  Verdict verdict;
  std::string why;
};

Trial run(const Case& c, std::string reply, bool close_after, std::size_t expect_bytes = 0) {
  ScriptedServer server(expect_bytes ? expect_bytes : c.input.size(), std::move(reply), close_after);
  std::string error;
  auto target = Server::resolve(server.address(), &error);
  EXPECT_TRUE(target) << error;
  LiveOptions options;
  options.timeout = std::chrono::milliseconds(400);
  options.settle = std::chrono::milliseconds(50);
  Trial r;
  r.o = observe_case(*target, c, options);
  r.verdict = judge_server(c, r.o, &r.why);
  return r;
}

// ---- Echo mode (the echo contract, conformance/README.md) ----------------

Message get_message(std::string target = "/") {
  Message m;
  m.method = "GET";
  m.target = std::move(target);
  m.version = "HTTP/1.1";
  m.headers = {{"Host", "a"}};
  return m;
}

std::string echo_of(const Message& m, std::string_view type = "application/json") {
  std::string json = message_to_json(m);
  return "HTTP/1.1 200 OK\r\nContent-Type: " + std::string(type) +
         "\r\nX-Echo: canonical-json/1\r\nContent-Length: " + std::to_string(json.size()) + "\r\n\r\n" + json;
}

ExpectedMessage expect_get(std::string target = "/") {
  ExpectedMessage e;
  e.method = "GET";
  e.target = std::move(target);
  e.version = "HTTP/1.1";
  e.headers = std::vector<Field>{{"Host", "a"}};
  e.keep_alive = true;
  return e;
}

TEST(Live, AcceptedRequestPasses) {
  Trial r = run(make_case(kGet, kAccept), kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  EXPECT_EQ(r.o.statuses, std::vector<int>{200});
  EXPECT_FALSE(r.o.closed);
  EXPECT_FALSE(r.o.timed_out);  // the settle time ended it, not the deadline
}

TEST(Live, UnknownPathStatusesCountAsAccepted) {
  Trial r = run(make_case(kGet, kAccept), "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
}

TEST(Live, RejectionOfAValidRequestFails) {
  Trial r = run(make_case(kGet, kAccept), k400, true);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("400"), std::string::npos) << r.why;
}

TEST(Live, RejectWith400AndClosePasses) {
  Trial r = run(make_case("GET / HTTP/1.1\r\nHost : a\r\n\r\n", kReject400, {}, 0), k400, true);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  EXPECT_TRUE(r.o.closed);
}

TEST(Live, CloseWithoutAnswerIsAllowedForAReject) {
  Trial r = run(make_case("GET / HTTP/1.1\r\nHost : a\r\n\r\n", kReject400, {}, 0), "", true);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
}

TEST(Live, WrongRejectStatusFails) {
  Trial r = run(make_case("GET / HTTP/1.1\r\nHost : a\r\n\r\n", kReject400, {}, 0),
                "HTTP/1.1 505 Nope\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kFail);
}

TEST(Live, A501CaseIsAnsweredBy501) {
  // 501 is no rejection in general (an unknown method), but it is the
  // answer this case asks for (an unknown transfer coding).
  Trial r = run(make_case("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: zip\r\n\r\n",
                          Outcome{Outcome::Kind::kReject, {501}}, {}, 0),
                "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
}

TEST(Live, AllowedAlternativeOutcome) {
  Trial r = run(make_case(kGet, kReject400, {kAccept}, std::nullopt), kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
}

TEST(Live, IncompleteRequestLeftWaitingPasses) {
  std::string partial = "GET / HTTP/1.1\r\nHost: a\r\n";
  Trial r = run(make_case(partial, kIncomplete, {}, 0), "", false);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  EXPECT_TRUE(r.o.timed_out);
  EXPECT_TRUE(r.o.statuses.empty());
}

TEST(Live, HoldEndsAnIncompleteCaseBeforeTheDeadline) {
  const std::string partial = "GET / HTTP/1.1\r\nHost: a\r\n";
  const Case c = make_case(partial, kIncomplete, {}, 0);
  ScriptedServer server(partial.size(), "", false);
  std::string error;
  auto target = Server::resolve(server.address(), &error);
  ASSERT_TRUE(target) << error;
  LiveOptions options;
  options.timeout = std::chrono::milliseconds(5000);
  options.hold = std::chrono::milliseconds(100);
  Observation o = observe_case(*target, c, options);
  std::string why;
  EXPECT_EQ(judge_server(c, o, &why), Verdict::kPass) << why;
  EXPECT_TRUE(o.timed_out);
  EXPECT_LT(o.elapsed_ms, 2500);  // the hold ended it, not the 5 s deadline
}

TEST(Live, HoldDoesNotCutAnAnswerThatIsStillArriving) {
  // The hold counts from the last octet that moved: an answer that comes
  // after more than the hold since the request was sent must still be seen.
  const Case c = make_case(kGet, kAccept);
  ScriptedServer server(c.input.size(), kOk, false, std::chrono::milliseconds(300));
  std::string error;
  auto target = Server::resolve(server.address(), &error);
  ASSERT_TRUE(target) << error;
  LiveOptions options;
  options.timeout = std::chrono::milliseconds(5000);
  options.hold = std::chrono::milliseconds(100);
  Observation o = observe_case(*target, c, options);
  EXPECT_EQ(o.statuses, std::vector<int>{200});
}

TEST(Live, IncompleteAnsweredWith408IsAllowed) {
  Trial r = run(make_case("GET / HTTP/1.1\r\n", kIncomplete, {}, 0),
                "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
}

TEST(Live, EarlyAnswerBeforeTheBodyIsAllowed) {
  Trial r = run(make_case("PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab", kIncomplete, {}, 0), kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
  // Not so for a head that is not complete yet.
  r = run(make_case("GET / HTTP/1.1\r\nHost: a\r\n", kIncomplete, {}, 0), kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.why;
}

TEST(Live, AnsweringASmuggledRequestFails) {
  // Nothing after "Connection: close" may be processed (RFC 9112 §9.6).
  Trial r = run(make_case("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n" + std::string(kGet), kAccept),
                std::string(kOk) + kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("smuggled"), std::string::npos) << r.why;
}

TEST(Live, ARejectionAfterTheRequestsIsNoSmuggling) {
  // A second response that rejects shows no processed request.
  Case c = make_case("GET / HTTP/1.1\r\nHost: a\r\nX:\n\nGET / HTTP/1.1\r\n\r\n", kReject400, {}, 0);
  Trial r = run(c, std::string(kOk) + k400, true);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_EQ(r.why.find("smuggled"), std::string::npos) << r.why;
  c.messages_max = 1;  // messages: 0..1 (a MAY frames the first request)
  r = run(c, std::string(kOk) + k400, true);
  EXPECT_NE(r.verdict, Verdict::kFail) << r.why;
}

TEST(Live, ClosingAfterConnectionCloseIsAllowed) {
  Case c = make_case(std::string(kGet) + kGet, kAccept, {}, 2);
  Trial r = run(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
  // Without announcing it, closing after one of two requests fails.
  r = run(c, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.why;
}

TEST(Live, DeclinedValidRequestIsAllowed) {
  const std::string post = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  Trial r = run(make_case(post, kAccept), "HTTP/1.1 411 Length Required\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
  r = run(make_case(post, kAccept), "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
  // GET and HEAD MUST be supported (RFC 9110 §9.1).
  r = run(make_case(kGet, kAccept), "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\n\r\n", true);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.why;
}

TEST(Live, ConnectionThatMustCloseIsChecked) {
  // TE with CL accepted: the server MUST close after responding (RFC 9112
  // §6.1), as the parser judge checks keep-alive false.
  Case c = make_case("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                     kReject400, {kAccept}, std::nullopt);
  c.expected.resize(1);
  c.expected[0].keep_alive = false;
  Trial r = run(c, kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.why;
  EXPECT_NE(r.why.find("MUST close"), std::string::npos) << r.why;
  r = run(c, kOk, true);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
}

TEST(Live, Http2SettingsAnswerToThePreface) {
  const std::string settings("\x00\x00\x06\x04\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x64", 15);
  Trial r = run(make_case("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", Outcome{Outcome::Kind::kReject, {505}}, {}, 0), settings,
                false);
  EXPECT_EQ(r.verdict, Verdict::kAllowed) << r.why;
  EXPECT_TRUE(r.o.http2);
  EXPECT_EQ(r.o.partial, 0u);
  EXPECT_NE(describe(r.o).find("HTTP/2"), std::string::npos) << describe(r.o);
  // Anywhere else it is no HTTP/1.1 answer.
  r = run(make_case(kGet, kAccept), settings, false);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.why;
}

TEST(Live, FailureKinds) {
  // Judged without a server: what kind of wrong each observation is.
  const Case reject = make_case("GET / HTTP/1.1\r\nHost : a\r\n\r\n", kReject400, {}, 0);
  Observation o;
  o.statuses = {501};
  o.closed = true;
  EXPECT_EQ(classify_live_failure(reject, o), Failure::kWrongStatus);
  o.statuses = {200};
  EXPECT_EQ(classify_live_failure(reject, o), Failure::kAcceptedInvalid);
  o.statuses = {200, 200};  // more requests processed than the bytes hold
  EXPECT_EQ(classify_live_failure(reject, o), Failure::kAnsweredSmuggled);
  o.statuses = {};
  o.closed = false;
  o.timed_out = true;
  EXPECT_EQ(classify_live_failure(reject, o), Failure::kStillWaiting);
  EXPECT_EQ(failure_risk(reject, Failure::kStillWaiting), "none");
  const Case valid = make_case(kGet, kAccept);
  o.statuses = {400};
  o.closed = true;
  EXPECT_EQ(classify_live_failure(valid, o), Failure::kRejectedValid);
  Case must_close = make_case(kGet, kAccept);
  must_close.expected.resize(1);
  must_close.expected[0].keep_alive = false;
  must_close.smuggling = "CL.TE";
  o.statuses = {200};
  o.closed = false;
  EXPECT_EQ(classify_live_failure(must_close, o), Failure::kKeptOpen);
  EXPECT_EQ(failure_risk(must_close, Failure::kKeptOpen), "smuggling");
  o.malformed = "bad";
  EXPECT_EQ(classify_live_failure(valid, o), Failure::kMalformed);
}

TEST(Live, HeadResponseHasNoBody) {
  Trial r = run(make_case("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", kAccept),
                "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", false);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  EXPECT_EQ(r.o.partial, 0u);
}

TEST(Live, InterimResponsesAreNotCounted) {
  Trial r = run(make_case(kGet, kAccept), std::string("HTTP/1.1 100 Continue\r\n\r\n") + kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  EXPECT_EQ(r.o.interim, std::vector<int>{100});
}

TEST(Live, MalformedResponseFails) {
  Trial r = run(make_case(kGet, kAccept), "HTTP/1.1 200 OK\nContent-Length: 0\n\n", true);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_FALSE(r.o.malformed.empty());
  EXPECT_NE(describe(r.o).find("malformed"), std::string::npos);
}

TEST(LiveEcho, NoEchoIsJudgedOnStatusesAlone) {
  Case c = make_case(kGet, kAccept);
  c.expected = {expect_get("/other")};  // not visible without an echo
  Trial r = run(c, kOk, false);
  EXPECT_FALSE(speaks_echo(r.o));
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
}

TEST(LiveEcho, AnEchoMatchingTheCasePasses) {
  Case c = make_case(kGet, kAccept);
  c.expected = {expect_get()};
  Trial r = run(c, echo_of(get_message()), false);
  EXPECT_TRUE(speaks_echo(r.o));
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  EXPECT_EQ(echo_difference(c, r.o), "");
}

TEST(LiveEcho, AWrongTargetFails) {
  Case c = make_case(kGet, kAccept);
  c.expected = {expect_get()};
  Trial r = run(c, echo_of(get_message("/x")), false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("message 1: target \"/x\", want \"/\""), std::string::npos) << r.why;
}

TEST(LiveEcho, FieldsAreComparedInWireOrderWithTheirNames) {
  Case c = make_case("GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n\r\n", kAccept);
  c.expected = {expect_get()};
  c.expected[0].headers = std::vector<Field>{{"Host", "a"}, {"X-A", "1"}};
  Message m = get_message();
  m.headers = {{"Host", "a"}, {"X-A", "1"}};
  EXPECT_EQ(run(c, echo_of(m), false).verdict, Verdict::kPass);
  m.headers = {{"X-A", "1"}, {"Host", "a"}};  // reordered
  Trial r = run(c, echo_of(m), false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("headers"), std::string::npos) << r.why;
  m.headers = {{"host", "a"}, {"x-a", "1"}};  // names folded
  EXPECT_EQ(run(c, echo_of(m), false).verdict, Verdict::kFail);
}

TEST(LiveEcho, TheBodyIsComparedDecoded) {
  Case c =
      make_case("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", kAccept);
  ExpectedMessage e;
  e.body = "hello";
  c.expected = {e};
  Message m = get_message();
  m.method = "POST";
  m.body = "hello";
  EXPECT_EQ(run(c, echo_of(m), false).verdict, Verdict::kPass);
  m.body = "5\r\nhello\r\n0\r\n\r\n";  // the framing, not the body
  Trial r = run(c, echo_of(m), false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("body"), std::string::npos) << r.why;
}

TEST(LiveEcho, KeepAliveIsCompared) {
  Case c = make_case(kGet, kAccept);
  c.expected = {expect_get()};
  Message m = get_message();
  m.keep_alive = false;
  Trial r = run(c, echo_of(m), false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("keep-alive false, want true"), std::string::npos) << r.why;
}

TEST(LiveEcho, PipelinedRequestsAreEchoedInOrder) {
  Case c = make_case(std::string(kGet) + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n", kAccept, {}, 2);
  c.expected = {expect_get(), expect_get("/2")};
  EXPECT_EQ(run(c, echo_of(get_message()) + echo_of(get_message("/2")), false).verdict, Verdict::kPass);
  Trial r = run(c, echo_of(get_message("/2")) + echo_of(get_message()), false);
  EXPECT_EQ(r.verdict, Verdict::kFail) << r.why;
  // An echo server must echo every request it parsed.
  r = run(c, echo_of(get_message()) + kOk, false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("echoed: 1 complete message(s), want 2"), std::string::npos) << r.why;
  r = run(c, std::string(kOk) + echo_of(get_message("/2")), false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("is not an echo"), std::string::npos) << r.why;
}

TEST(LiveEcho, MessagesBeforeARejectionAreCompared) {
  Case c = make_case(std::string(kGet) + "GET / HTTP/1.1\r\nHost : a\r\n\r\n", kReject400, {}, 1);
  c.expected = {expect_get()};
  EXPECT_EQ(run(c, echo_of(get_message()) + k400, true).verdict, Verdict::kPass);
  Trial r = run(c, echo_of(get_message("/y")) + k400, true);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("target"), std::string::npos) << r.why;
}

TEST(LiveEcho, AnEchoThatBreaksTheContractFails) {
  Case c = make_case(kGet, kAccept);
  Trial r = run(c, echo_of(get_message(), "text/plain"), false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("Content-Type"), std::string::npos) << r.why;
  r = run(
      c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: canonical-json/1\r\nContent-Length: 2\r\n\r\n{}",
      false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("missing key"), std::string::npos) << r.why;
  r = run(c, "HTTP/1.1 200 OK\r\nX-Echo: canonical-json/9\r\nContent-Length: 0\r\n\r\n", false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("canonical-json/9"), std::string::npos) << r.why;
}

TEST(LiveEcho, AHeadEchoTravelsInAField) {
  Case c = make_case("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n", kAccept);
  ExpectedMessage e;
  e.method = "HEAD";
  c.expected = {e};
  Message m = get_message();
  m.method = "HEAD";
  std::string json = message_to_json(m);
  Trial r =
      run(c,
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: canonical-json/1\r\nX-Echo-Json: " + json +
              "\r\nContent-Length: " + std::to_string(json.size()) + "\r\n\r\n",
          false);
  EXPECT_EQ(r.verdict, Verdict::kPass) << r.why;
  ASSERT_EQ(r.o.echoes.size(), 1u);
  m.method = "GET";
  r = run(c,
          "HTTP/1.1 200 OK\r\nX-Echo: canonical-json/1\r\nX-Echo-Json: " + message_to_json(m) +
              "\r\nContent-Length: 0\r\n\r\n",
          false);
  EXPECT_EQ(r.verdict, Verdict::kFail);
  EXPECT_NE(r.why.find("method"), std::string::npos) << r.why;
}

TEST(Live, ResolveChecksTheForm) {
  std::string error;
  EXPECT_FALSE(Server::resolve("localhost", &error));
  EXPECT_FALSE(Server::resolve("127.0.0.1:http", &error));
  EXPECT_FALSE(Server::resolve("[::1]8080", &error));
  EXPECT_TRUE(Server::resolve("127.0.0.1:8080", &error)) << error;
  EXPECT_TRUE(Server::resolve("[::1]:8080", &error)) << error;
}

TEST(Live, ConnectionRefusedIsAHarnessFailure) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);  // bound, never listening: the port refuses
  std::string error;
  auto target = Server::resolve("127.0.0.1:" + std::to_string(ntohs(a.sin_port)), &error);
  ASSERT_TRUE(target);
  Case c = make_case(kGet, kAccept);
  Observation o = observe_case(*target, c, LiveOptions{});
  EXPECT_FALSE(o.harness_error.empty());
  std::string why;
  EXPECT_EQ(judge_live(c, o, &why), Verdict::kFail);
  EXPECT_NE(why.find("could not run"), std::string::npos);
}

}  // namespace
}  // namespace shockwave::conformance::live
