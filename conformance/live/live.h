#ifndef SHOCKWAVE_CONFORMANCE_LIVE_LIVE_H_
#define SHOCKWAVE_CONFORMANCE_LIVE_LIVE_H_

// Live-server mode: run the conformance cases against a running HTTP/1.1
// server over TCP, judging what it answers instead of what a parser reports.
//
// One case, one connection:
//  1. connect to the server (numeric address or name, as the user gave it);
//  2. send the case's input as fast as the server takes it, and keep the
//     write side OPEN: half-closing would tell the server the input ended,
//     and a server seeing EOF inside a request may close silently or answer
//     400, which an observer cannot tell apart from a rejection. With the
//     write side open, an incomplete request leaves the server waiting, and
//     "no response, connection still open at the deadline" is the signal;
//  3. read and parse responses strictly (response_reader.h) until the server
//     closes, the response is malformed, the deadline passes (default 2 s),
//     or, once every response the case can bring has arrived, the line stays
//     quiet for a short settle time (200 ms) in which an answer to a
//     smuggled request would show up.
//
// Judging (judge_live) maps a case's parser outcomes to server behaviour.
// M is the number of complete requests before the input's end or the error:
// the case's `messages` when given, else the count of our strict parser when
// it takes that outcome (it passes every case), else "at least" the case's
// expected messages (at least 1 for accept, at least 0 otherwise).
//  - accept: M final responses, none a protocol rejection. Rejections are
//    400, 408, 411, 413, 414, 431 and 505; any other status (200, 404, 405,
//    ...) is what a server may answer for an unknown path, so it counts as
//    accepted. When the case's accepting parser reports a message that ends
//    the connection (`N.keep-alive: false`), the server must also close
//    after answering it (RFC 9112 §9.6; §6.1 for Transfer-Encoding with
//    Content-Length), as the parser judge requires keep-alive false.
//    Alternatives (allowed, never pass): a 501, or a 411 for a request
//    without Content-Length, declining a valid request (declined_request in
//    case.h, the rule the parser judge applies too); closing early after a
//    response with "Connection: close" (the unanswered requests were not
//    processed, RFC 9112 §9.6, §9.3.2).
//  - reject with statuses S: M accepted responses, then one whose status is
//    in S, then nothing more. The server closing the connection without
//    answering the bad request is judged an allowed alternative (never
//    pass): RFC 9112 asks servers to respond 400 mostly with SHOULD, and
//    the MUST is not to process the request, which closing satisfies.
//  - incomplete: M accepted responses, then none until the deadline with
//    the connection open (pass); a 400 or 408, or the server closing
//    without a response (e.g. its own header timeout), is allowed, and so is
//    a response to a request whose head is complete but whose body is not
//    (a server may answer early, e.g. without reading the body it ignores).
// A server that answers the HTTP/2 preface with a SETTINGS frame speaks
// HTTP/2 with prior knowledge (RFC 9113 §3.3): allowed for that case only.
// A case passes when the observation matches its strict outcome, is allowed
// when it matches another allowed outcome or an alternative above, and fails
// otherwise; more processed (non-rejection) responses than the case allows
// are reported as answering a smuggled request. A server still waiting at
// the deadline where the case wants a rejection fails, as a parser still
// waiting at the end of the input does (RFC 9112 §2.2: SHOULD answer 400).
//
// Echo mode (the echo contract of conformance/README.md): when a final
// response of the case carries "X-Echo: canonical-json/1", the server said
// what it parsed. judge_server then also holds those messages to every
// per-message expectation of the case (compare_messages of case.h, the
// parser judge's own comparison): the echoes must be the first final
// responses, each a 200 whose JSON fits the message schema; a response
// after them that is not an echo, or a close, stands for the error that
// ends the input. A case without echoes is judged by judge_live alone.
//
// The client sends only to the address given; nothing else is contacted.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/case.h"

namespace shockwave::conformance::live {

struct LiveOptions {
  std::chrono::milliseconds timeout{2000};  // per case, connect to verdict
  std::chrono::milliseconds settle{200};    // quiet time after the last expected response
  // hold: how long a case that waits for the connection's end (an
  // incomplete request, a response that must close) stays quiet, with all
  // its input sent and no response half-read, before the observation ends
  // with the connection open; 0 means the whole timeout. A shorter hold
  // keeps a generous timeout for slow answers without every incomplete case
  // costing all of it; it must exceed the time the server takes to answer.
  std::chrono::milliseconds hold{0};
};

// Server is a resolved HOST:PORT.
class Server {
 public:
  // resolve parses "HOST:PORT" ("[::1]:8080" for IPv6) and resolves HOST.
  static std::optional<Server> resolve(std::string_view host_port, std::string* error);
  const std::string& label() const { return label_; }  // as given

  // connect returns a connected, blocking TCP socket, or -1 with *error set.
  int connect(std::chrono::milliseconds timeout, std::string* error) const;

 private:
  std::string label_;
  std::vector<unsigned char> addr_;  // a sockaddr_in or sockaddr_in6
};

// Observation is what the server did with one case's input.
struct Observation {
  std::vector<int> statuses;     // final responses, in order
  std::vector<int> interim;      // 1xx responses (not 101) before them
  bool closed = false;           // the server closed the connection (FIN or reset)
  bool reset = false;            // ... by a reset
  bool timed_out = false;        // the deadline (or hold time) passed with the connection open
  std::string malformed;         // set when the server sent bytes that are not a valid response
  std::size_t partial = 0;       // octets of an unfinished response at the end
  std::string unparsed;          // the octets that are no complete response (malformed or unfinished), 64 KiB at most
  bool close_announced = false;  // the last final response has "Connection: close"
  bool http2 = false;            // the server answered with an HTTP/2 SETTINGS frame
  std::string harness_error;     // could not connect or send: no verdict on the server
  long elapsed_ms = 0;

  // A final response that carried X-Echo: which one, and what it says the
  // server parsed.
  struct Echo {
    std::size_t response = 0;  // index into `statuses`
    std::string json;          // the content; for HEAD, the X-Echo-Json field
    std::string problem;       // how the response breaks the contract ("" if it does not)
  };
  std::vector<Echo> echoes;  // in response order
};

// The X-Echo value of the contract's version.
inline constexpr std::string_view kEchoVersion = "canonical-json/1";

// describe: one line, e.g. "200 200, connection open", "400, closed",
// "no response, still waiting at the deadline", "malformed response: ...".
std::string describe(const Observation& o);

// observe runs one case's input against the server. `head_requests[i]`
// tells whether request i is HEAD (its response has no body); `expected`
// is how many final responses the case can bring at most, after which the
// settle time applies; `wait_full` keeps reading until the deadline, or
// until the hold time passes with nothing moving (an incomplete case must
// show the server still waiting); either ends it timed_out.
Observation observe(const Server& server, std::string_view input, const std::vector<bool>& head_requests,
                    std::size_t expected, bool wait_full, const LiveOptions& options);

// observe_case derives head_requests, expected and wait_full from the case.
Observation observe_case(const Server& server, const Case& c, const LiveOptions& options);

// is_rejection: the statuses that reject a request as a protocol error.
bool is_rejection(int status);

// judge_live judges an observation against the case (rules above); *why
// says what differs for kFail, and which alternative for kAllowed.
Verdict judge_live(const Case& c, const Observation& o, std::string* why);

// speaks_echo: some final response carried X-Echo (echo mode above).
bool speaks_echo(const Observation& o);

// echo_difference: what the echoed messages get wrong against the case's
// per-message expectations, or how the echoes break the contract; "" when
// they agree (and when there are none).
std::string echo_difference(const Case& c, const Observation& o);

// judge_server: judge_live, then, for a case the server echoed and did not
// fail already, echo_difference; a difference fails the case.
Verdict judge_server(const Case& c, const Observation& o, std::string* why);

// classify_live_failure: the kind of an observation that judge_live fails
// (case.h's Failure), for severity.
Failure classify_live_failure(const Case& c, const Observation& o);

}  // namespace shockwave::conformance::live

#endif  // SHOCKWAVE_CONFORMANCE_LIVE_LIVE_H_
