// judge_chain on recorded observations: what the client got from a proxy
// and what the tap saw between that proxy and an echo origin.

#include "conformance/chains/chain.h"

#include <string>

#include "conformance/model.h"
#include "gtest/gtest.h"

namespace shockwave::conformance::chains {
namespace {

// A TE.CL case: RFC 9112 reads one request (chunked wins) and rejects
// the pair in the strict profile.
Case te_cl_case() {
  std::string error;
  auto cases = parse_cases(
      "[te-cl]\n"
      "section: RFC 9112 §6.1\n"
      "why: TE and CL together\n"
      "input: \"POST / HTTP/1.1\\r\\nHost: a\\r\\nContent-Length: 3\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n"
      "8\\r\\nSMUGGLED\\r\\n0\\r\\n\\r\\n\"\n"
      "expect: accept | reject 400\n"
      "strict: reject 400\n",
      "t.cases", &error);
  EXPECT_TRUE(cases) << error;
  return (*cases)[0];
}

Case plain_get() {
  std::string error;
  auto cases = parse_cases(
      "[get]\nsection: RFC 9112 §3\nwhy: plain\ninput: \"GET /a HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n\"\n"
      "expect: accept\nmessages: 1\n1.method: GET\n1.target: /a\n",
      "t.cases", &error);
  EXPECT_TRUE(cases) << error;
  return (*cases)[0];
}

std::string echo_json(const std::string& method, const std::string& target, const std::string& body) {
  Message m;
  m.method = method;
  m.target = target;
  m.version = "HTTP/1.1";
  m.body = body;
  return message_to_json(m);
}

std::string echo_response(const std::string& json) {
  return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Echo: canonical-json/1\r\nContent-Length: " +
         std::to_string(json.size()) + "\r\n\r\n" + json;
}

// relay: the client received `json` as response `index` (an echo).
void relay(live::Observation* client, const std::string& json) {
  client->echoes.push_back({client->statuses.size(), json, ""});
  client->statuses.push_back(200);
}

ChainObservation observation(std::string forwarded, std::string answered) {
  ChainObservation o;
  Tap::Connection conn;
  conn.to_origin = std::move(forwarded);
  conn.from_origin = std::move(answered);
  o.upstream.push_back(std::move(conn));
  read_origin_answers(&o);
  return o;
}

TEST(JudgeChain, AnAnswerTheProxyDidNotRelayIsADesync) {
  // The proxy framed by Content-Length and sent the rest as a body; the
  // origin read chunked, then "GET /smuggled" as a second request.
  const std::string first = echo_json("POST", "/", "");
  const std::string second = echo_json("GET", "/smuggled", "");
  ChainObservation o =
      observation("POST / HTTP/1.1\r\nContent-Length: 30\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
                  echo_response(first) + echo_response(second));
  relay(&o.client, first);
  ChainJudgement j = judge_chain(te_cl_case(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kDesync) << j.what;
  EXPECT_NE(j.what.find("/smuggled"), std::string::npos) << j.what;
}

TEST(JudgeChain, RelayedAnswersOfTheRightRequestsAreConsistent) {
  const std::string json = echo_json("GET", "/a", "");
  ChainObservation o = observation("GET /a HTTP/1.1\r\nHost: a\r\n\r\n", echo_response(json));
  relay(&o.client, json);
  ChainJudgement j = judge_chain(plain_get(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kConsistent) << j.what;
}

TEST(JudgeChain, AProxyThatAnswersItselfIsConsistent) {
  ChainObservation o;
  o.client.statuses = {400};
  o.client.closed = true;
  ChainJudgement j = judge_chain(te_cl_case(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kConsistent) << j.what;
  EXPECT_NE(j.what.find("forwarded nothing"), std::string::npos) << j.what;
}

TEST(JudgeChain, ForwardingWhatTheRfcRejectsIsNormalisedWhenBothAgree) {
  // The proxy de-chunked the body and dropped Content-Length: one request,
  // read the same way by the origin, though the RFC's strict reading rejects.
  const std::string json = echo_json("POST", "/", "SMUGGLED");
  ChainObservation o = observation("POST / HTTP/1.1\r\nContent-Length: 8\r\n\r\nSMUGGLED", echo_response(json));
  relay(&o.client, json);
  ChainJudgement j = judge_chain(te_cl_case(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kNormalised) << j.what;
  EXPECT_NE(j.what.find("Content-Length: 8"), std::string::npos) << j.what;
}

TEST(JudgeChain, AnOriginRejectionTheProxyRelayedIsRefused) {
  ChainObservation o = observation("GET /a HTTP/1.1\r\n\r\n", "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  o.client.statuses = {400};
  ChainJudgement j = judge_chain(plain_get(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kRefused) << j.what;
}

TEST(JudgeChain, AnOriginSilentAfterAWholeRequestIsADesync) {
  // CL.TE: the proxy sent a whole request by its Content-Length; the origin
  // reads chunked and waits for the rest of a chunk that never comes.
  ChainObservation o = observation("POST / HTTP/1.1\r\nContent-Length: 4\r\nX: y\r\n\r\n9\r\nA", "");
  o.client.timed_out = true;
  ChainJudgement j = judge_chain(te_cl_case(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kDesync) << j.what;
}

TEST(JudgeChain, AnAnswerAfterTheClientStoppedListeningIsNotADesync) {
  // The proxy forwarded half a request and the client gave up waiting; when
  // the proxy then closed, the origin answered 400 to the half. The proxy
  // could not relay that: nobody was listening.
  const std::string half = "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc";
  const std::string rejection = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  ChainObservation late = observation(half, "");
  late.upstream[0].from_origin = rejection;
  late.upstream[0].from_origin_by_mark = 0;
  read_origin_answers(&late);
  late.client.timed_out = true;
  ChainJudgement j = judge_chain(te_cl_case(), late);
  EXPECT_EQ(j.verdict, ChainVerdict::kConsistent) << j.what;
  EXPECT_NE(j.what.find("after the client stopped listening or the proxy closed, the origin answered 400"),
            std::string::npos)
      << j.what;

  // The same answer while the client listened, and not relayed: a desync.
  ChainObservation in_time = observation(half, rejection);
  in_time.client.timed_out = true;
  EXPECT_EQ(judge_chain(te_cl_case(), in_time).verdict, ChainVerdict::kDesync);
}

TEST(JudgeChain, AnAnswerAfterTheProxyClosedIsNotADesync) {
  // The proxy gave up the request and closed both sides at once; the origin
  // answered the half it was left with, too late for anyone to relay.
  ChainObservation o = observation("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", "");
  o.upstream[0].from_origin = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
  o.upstream[0].from_origin_by_proxy_end = 0;
  read_origin_answers(&o);
  o.client.closed = true;
  EXPECT_EQ(judge_chain(te_cl_case(), o).verdict, ChainVerdict::kConsistent);
}

TEST(JudgeChain, AnswersTheProxyReplacedWithItsOwnAreDiscarded) {
  // The proxy forwarded the head, met an invalid chunk, ended the body with
  // a last chunk of its own and answered 503: the origin acted on a whole,
  // truncated request.
  const std::string json = echo_json("POST", "/", "");
  ChainObservation o =
      observation("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", echo_response(json));
  o.upstream[0].proxy_closed = true;
  o.client.statuses = {503};
  o.client.closed = true;
  ChainJudgement j = judge_chain(te_cl_case(), o);
  EXPECT_EQ(j.verdict, ChainVerdict::kDiscarded) << j.what;
  EXPECT_NE(j.what.find("relayed none of it: the proxy answered 503"), std::string::npos) << j.what;

  // Had the proxy kept that connection, what the origin left unread could
  // reach the next request: not discarded.
  o.upstream[0].proxy_closed = false;
  EXPECT_EQ(judge_chain(te_cl_case(), o).verdict, ChainVerdict::kDesync);

  // One answer more than the requests forwarded whole: that one was read
  // where the proxy sent none, a desync.
  ChainObservation more = observation("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                                      echo_response(json) + echo_response(echo_json("GET", "/x", "")));
  more.upstream[0].proxy_closed = true;
  more.client.statuses = {503};
  more.client.closed = true;
  EXPECT_EQ(judge_chain(te_cl_case(), more).verdict, ChainVerdict::kDesync);
}

TEST(JudgeChain, AnUnreadableOriginAnswerGivesNoVerdict) {
  ChainObservation o = observation("GET /a HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
  o.upstream[0].origin_closed = true;
  o.origin.clear();
  o.origin_problem.clear();
  read_origin_answers(&o);
  EXPECT_EQ(judge_chain(plain_get(), o).verdict, ChainVerdict::kNoVerdict);
}

}  // namespace
}  // namespace shockwave::conformance::chains
