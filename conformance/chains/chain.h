#ifndef SHOCKWAVE_CONFORMANCE_CHAINS_CHAIN_H_
#define SHOCKWAVE_CONFORMANCE_CHAINS_CHAIN_H_

// Chain mode: a case sent through a real proxy to an echo origin, and a
// verdict on whether the two read the bytes the same way.
//
//   client (httpconform) --case bytes--> proxy --forwarded--> tap --> origin
//
// The client side is live mode's observation (live.h): what the proxy
// answered. The tap (tap.h) records the forwarded bytes and everything the
// origin answered. The origin speaks the echo contract (conformance/
// README.md), so each of its answers says which request it parsed.
//
// The proxy's interpretation is what it relays: a proxy passes each answer
// to a request it forwarded back to the client. The origin's interpretation
// is what it answered on the tap. Verdicts:
//  - desync: the origin answered a request the proxy did not relay (it
//    found a request where the proxy sent none: a body, or bytes after the
//    end, read as a request), or the relayed answers are not the origin's
//    answers in order. The origin and the proxy disagree on where a request
//    ends: request smuggling, or a response queue out of step.
//  - discarded: the origin answered every request the proxy forwarded, each
//    whole by its own framing, the proxy relayed none of it (it answered the
//    client itself, a 503 say, or not at all) and closed those connections.
//    Nothing was smuggled, but the origin acted on requests the client was
//    told failed; e.g. a proxy that met an invalid chunk, or the client's
//    end, after forwarding the head and ended the body with a last chunk of
//    its own: a truncated request sent as a whole one.
//  - refused: the proxy forwarded a request and the origin rejected it (a
//    protocol rejection, live::is_rejection, relayed). Nothing was smuggled, but the two disagree on
//    whether the request is valid.
//  - normalised: proxy and origin agree on every request, and the origin's
//    parse differs from the case's reading of the client's bytes (RFC 9112):
//    the proxy rewrote the request (repaired an invalid one, changed its
//    framing, target or body) into one the origin reads the same way.
//  - consistent: the proxy answered without forwarding (it rejected the
//    request), or it forwarded and the origin saw exactly the requests of the
//    case's reading (method, target, body; framing may change), or neither
//    answered before the deadline (both wait for more of an incomplete
//    request). An answer of the origin without an echo that is no
//    rejection (a 501, a 200 to OPTIONS *) is the origin answering itself.
// An error answer that reached the tap after the client stopped listening
// or the proxy closed the connection (a 400 to the half request left when
// the proxy closed) could not have been relayed: it is listed in the
// verdict's text, not judged. An echo is always judged.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "conformance/case.h"
#include "conformance/chains/tap.h"
#include "conformance/live/live.h"

namespace shockwave::conformance::chains {

// kNoVerdict: the harness could not reach the proxy or the origin, or the
// origin broke the echo contract: nothing to judge.
enum class ChainVerdict { kConsistent, kNormalised, kRefused, kDiscarded, kDesync, kNoVerdict };
const char* verdict_name(ChainVerdict v);  // "consistent", ..., "no-verdict"

// One final answer of the origin, as the tap saw it.
struct OriginAnswer {
  int status = 0;
  std::optional<Message> echo;  // the parse it echoed; nullopt for an error answer
  std::string echo_json;        // the echo's JSON as sent ("" for an error answer)
  // late: it arrived after the client stopped listening (Tap::mark) or after
  // the proxy ended its side of the connection, so the proxy could not have
  // relayed it; e.g. an origin's 400 to the half of a request left when the
  // proxy closed the connection.
  bool late = false;
};

struct ChainObservation {
  live::Observation client;               // what the proxy answered the client
  std::vector<Tap::Connection> upstream;  // each connection the proxy opened to the origin
  std::vector<OriginAnswer> origin;       // the origin's final answers, in order
  std::string origin_problem;             // answers that break the echo contract or HTTP ("" if none)
};

struct ChainOptions {
  live::LiveOptions live;                       // the client side
  std::chrono::milliseconds quiet{150};         // the tap: quiet time after the client's verdict
  std::chrono::milliseconds quiet_limit{5000};  // ... at most
};

// observe_chain sends the case to the proxy and collects the tap's record.
ChainObservation observe_chain(const live::Server& proxy, Tap& tap, const Case& c, const ChainOptions& options);

// read_origin_answers parses what the origin sent on each connection (the
// echo contract) into `origin` and `origin_problem`.
void read_origin_answers(ChainObservation* o);

struct ChainJudgement {
  ChainVerdict verdict = ChainVerdict::kConsistent;
  std::string what;  // one line: why this verdict (for normalised: what the proxy changed)
};

// judge_chain applies the rules above.
ChainJudgement judge_chain(const Case& c, const ChainObservation& o);

// framing_summary: the request line and the framing field lines
// (Content-Length, Transfer-Encoding, folded lines, lines ending in a bare
// LF) of the first request
// head in `bytes`, in the cases' notation, and how many octets follow it;
// e.g. `"POST / HTTP/1.1" | "Content-Length: 5" + 5 octets after the head`.
std::string framing_summary(std::string_view bytes);

}  // namespace shockwave::conformance::chains

#endif  // SHOCKWAVE_CONFORMANCE_CHAINS_CHAIN_H_
