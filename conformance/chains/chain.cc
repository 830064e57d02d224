#include "conformance/chains/chain.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "conformance/live/response_reader.h"
#include "conformance/model.h"

namespace shockwave::conformance::chains {

namespace {

using live::parse_response;
using live::ResponseParse;

std::string plural(std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
    if (x != y) return false;
  }
  return true;
}

// Head: the lines of the first header section in some bytes (split at LF,
// each with its line ending, so a report shows a bare LF), and where the
// section ends. The judge reads forwarded bytes
// only this far, to describe them and to see whether a forwarded request is
// complete by its own framing; it does not parse requests.
struct Head {
  std::vector<std::string_view> lines;
  std::size_t end = std::string_view::npos;  // offset after the empty line; npos if none
};

Head first_head(std::string_view bytes) {
  Head h;
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t lf = bytes.find('\n', pos);
    if (lf == std::string_view::npos) return h;
    std::string_view line = bytes.substr(pos, lf + 1 - pos);  // with its line ending
    pos = lf + 1;
    if (line == "\n" || line == "\r\n") {
      if (h.lines.empty()) continue;  // CRLF before a request line
      h.end = pos;
      return h;
    }
    h.lines.push_back(line);
  }
  return h;
}

std::string_view field_name(std::string_view line) {
  std::size_t colon = line.find(':');
  return colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
}

std::string_view field_value(std::string_view line) {
  std::string_view v = line.substr(line.find(':') + 1);
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

bool framing_line(std::string_view line) {
  std::string_view name = field_name(line);
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
         (!line.empty() && (line[0] == ' ' || line[0] == '\t'));
}

bool all_of(std::string_view s, bool (*accept)(char)) { return std::all_of(s.begin(), s.end(), accept); }
bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
bool is_hex(char ch) { return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'); }

// chunked_length: how many octets a whole chunked body (chunks, the last
// chunk, the trailer section) takes at the start of `body`, by the plain
// reading; nullopt if it is not all there.
std::optional<std::size_t> chunked_length(std::string_view body) {
  std::size_t pos = 0;
  while (true) {
    const std::size_t eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    std::string_view size_text = body.substr(pos, eol - pos);
    size_text = size_text.substr(0, size_text.find(';'));  // extensions
    if (size_text.empty() || size_text.size() > 15 || !all_of(size_text, is_hex)) return std::nullopt;
    const std::size_t size = std::stoull(std::string(size_text), nullptr, 16);
    pos = eol + 2;
    if (size == 0) break;
    if (body.size() < pos + size + 2 || body.substr(pos + size, 2) != "\r\n") return std::nullopt;
    pos += size + 2;
  }
  while (true) {  // trailer field lines, up to the empty line
    const std::size_t eol = body.find("\r\n", pos);
    if (eol == std::string_view::npos) return std::nullopt;
    const bool last = eol == pos;
    pos = eol + 2;
    if (last) return pos;
  }
}

// whole_request: how many octets the first request in `bytes` takes by the
// plain reading of its head (one Content-Length, or chunked, or neither: no
// body); nullopt if it is not all there or its head has no plain reading.
std::optional<std::size_t> whole_request(std::string_view bytes) {
  Head h = first_head(bytes);
  if (h.end == std::string_view::npos) return std::nullopt;
  std::optional<std::string_view> length, coding;
  for (std::size_t i = 1; i < h.lines.size(); ++i) {
    std::string_view name = field_name(h.lines[i]);
    if (iequals(name, "content-length")) {
      if (length) return std::nullopt;  // ambiguous: no plain reading
      length = field_value(h.lines[i]);
    } else if (iequals(name, "transfer-encoding")) {
      if (coding) return std::nullopt;
      coding = field_value(h.lines[i]);
    }
  }
  if (coding) {
    if (!iequals(*coding, "chunked")) return std::nullopt;
    auto body = chunked_length(bytes.substr(h.end));
    return body ? std::optional(h.end + *body) : std::nullopt;
  }
  if (!length) return h.end;
  if (length->empty() || length->size() > 12 || !all_of(*length, is_digit)) return std::nullopt;
  const std::size_t body = std::stoull(std::string(*length));
  return bytes.size() - h.end >= body ? std::optional(h.end + body) : std::nullopt;
}

// whole_requests: how many whole requests `bytes` holds one after another
// (whole_request), up to the first that is not. A proxy that sent a whole
// request waits for its answer; an origin silent after it waits for octets
// the proxy will not send.
std::size_t whole_requests(std::string_view bytes) {
  std::size_t n = 0;
  while (!bytes.empty()) {
    auto length = whole_request(bytes);
    if (!length) break;
    ++n;
    bytes.remove_prefix(*length);
  }
  return n;
}

// quoted: octets in the cases' notation, cut at `limit`.
std::string quoted(std::string_view s, std::size_t limit = 60) {
  return s.empty() ? "\"\"" : escape(s.substr(0, limit)) + (s.size() > limit ? "..." : "");
}

std::string describe_answer(const OriginAnswer& a) {
  if (!a.echo) return std::to_string(a.status) + " (an error answer)";
  return a.echo->method + " " + quoted(a.echo->target) + " with a body of " + plural(a.echo->body.size(), "octet");
}

// reading: how many requests RFC 9112 reads in the client's bytes (before
// the error, for a case that rejects), and whether the case rejects.
struct Reading {
  std::size_t requests = 0;
  bool exact = false;  // the case states it
  bool rejects = false;
  bool incomplete = false;
};

Reading reading_of(const Case& c) {
  Reading r;
  r.rejects = c.strict.kind == Outcome::Kind::kReject;
  r.incomplete = c.strict.kind == Outcome::Kind::kIncomplete;
  if (c.messages) {
    r.requests = *c.messages;
    r.exact = !c.messages_max;
  } else {
    r.requests = c.expected.size();
    if (c.strict.kind == Outcome::Kind::kAccept && r.requests == 0) r.requests = 1;
  }
  return r;
}

// differences: how the origin's parse of each relayed request differs from
// what the case expects of it (method, target, body where the case says).
std::vector<std::string> differences(const Case& c, const std::vector<const OriginAnswer*>& echoes) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < echoes.size() && i < c.expected.size(); ++i) {
    const ExpectedMessage& want = c.expected[i];
    const Message& got = *echoes[i]->echo;
    const std::string at = "request " + std::to_string(i + 1) + ": ";
    if (want.method && *want.method != got.method) {
      out.push_back(at + "method " + quoted(got.method) + " where the client sent " + quoted(*want.method));
    }
    if (want.target && *want.target != got.target) {
      out.push_back(at + "target " + quoted(got.target) + " where the client sent " + quoted(*want.target));
    }
    if (want.body && *want.body != got.body) {
      out.push_back(at + "body " + quoted(got.body) + " where the client sent " + quoted(*want.body));
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : std::string(sep)) + p;
  return out;
}

}  // namespace

const char* verdict_name(ChainVerdict v) {
  switch (v) {
    case ChainVerdict::kConsistent:
      return "consistent";
    case ChainVerdict::kNormalised:
      return "normalised";
    case ChainVerdict::kRefused:
      return "refused";
    case ChainVerdict::kDesync:
      return "desync";
    case ChainVerdict::kDiscarded:
      return "discarded";
    case ChainVerdict::kNoVerdict:
      return "no-verdict";
  }
  return "?";
}

std::string framing_summary(std::string_view bytes) {
  Head h = first_head(bytes);
  if (h.lines.empty()) return bytes.empty() ? "(nothing)" : "(no request line: " + quoted(bytes) + ")";
  std::vector<std::string> parts{quoted(h.lines[0], 200)};
  for (std::size_t i = 1; i < h.lines.size(); ++i) {
    // A line that ends in a bare LF shows too: it is where readings split.
    if (framing_line(h.lines[i]) || !h.lines[i].ends_with("\r\n")) parts.push_back(quoted(h.lines[i], 200));
  }
  std::string s = join(parts, " | ");
  if (h.end == std::string_view::npos) return s + " (head incomplete)";
  const std::size_t rest = bytes.size() - h.end;
  return s + (rest ? " + " + plural(rest, "octet") + " after the head" : "");
}

void read_origin_answers(ChainObservation* o) {
  for (const Tap::Connection& conn : o->upstream) {
    std::string_view rest = conn.from_origin;
    while (!rest.empty()) {
      // An echo of HEAD has no content and says so with X-Echo-Json: read
      // the head alone first to know how the response is framed.
      ResponseParse head_only = parse_response(rest, true, conn.origin_closed);
      const bool head = head_only.status == ResponseParse::Status::kComplete && head_only.response.has("X-Echo-Json");
      ResponseParse r = head ? std::move(head_only) : parse_response(rest, false, conn.origin_closed);
      if (r.status == ResponseParse::Status::kIncomplete) {
        o->origin_problem = "an unfinished answer of " + plural(rest.size(), "octet");
        break;
      }
      if (r.status == ResponseParse::Status::kError) {
        o->origin_problem = "a malformed answer: " + r.error;
        break;
      }
      rest.remove_prefix(r.consumed);
      if (r.response.interim()) continue;
      OriginAnswer a;
      a.status = r.response.status;
      const bool echoed = r.response.has("X-Echo");
      // An echo is never late: the origin acted on a whole request, and
      // that is judged whenever its answer came.
      a.late = !echoed && conn.from_origin.size() - rest.size() >
                              std::min(conn.from_origin_by_mark, conn.from_origin_by_proxy_end);
      if (echoed) {
        a.echo_json = head ? r.response.header("X-Echo-Json") : r.response.body;
        std::string why;
        a.echo = message_from_json(a.echo_json, &why);
        if (!a.echo) {
          o->origin_problem = "an echo that is not the canonical message JSON: " + why;
          break;
        }
      }
      o->origin.push_back(std::move(a));
    }
  }
}

ChainObservation observe_chain(const live::Server& proxy, Tap& tap, const Case& c, const ChainOptions& options) {
  ChainObservation o;
  tap.take(std::chrono::milliseconds(0), std::chrono::milliseconds(0));  // nothing of an earlier case
  // A large body crosses two hops and its echo comes back the same way:
  // two more seconds per MiB of input, and the tap waits for a pause of a
  // tenth of a second more per MiB before it takes the record (a relay
  // under load stalls longer than a small answer's quiet time).
  const long long mib = static_cast<long long>(c.input.size() >> 20);
  const std::chrono::milliseconds extra(mib * 2000);
  live::LiveOptions client = options.live;
  client.timeout += extra;
  o.client = live::observe_case(proxy, c, client);
  tap.mark();
  o.upstream = tap.take(options.quiet + std::chrono::milliseconds(mib * 100), options.quiet_limit + extra);
  read_origin_answers(&o);
  return o;
}

ChainJudgement judge_chain(const Case& c, const ChainObservation& o) {
  const live::Observation& client = o.client;
  if (!client.harness_error.empty())
    return {ChainVerdict::kNoVerdict, "could not reach the proxy: " + client.harness_error};
  for (const Tap::Connection& conn : o.upstream) {
    if (!conn.origin_error.empty())
      return {ChainVerdict::kNoVerdict, "could not reach the origin: " + conn.origin_error};
  }
  if (!o.origin_problem.empty()) return {ChainVerdict::kNoVerdict, "the origin sent " + o.origin_problem};

  std::string forwarded_bytes;
  for (const Tap::Connection& conn : o.upstream) forwarded_bytes += conn.to_origin;
  const std::string proxy_said = "the proxy answered " + live::describe(client);
  if (forwarded_bytes.empty()) return {ChainVerdict::kConsistent, proxy_said + " and forwarded nothing"};
  const std::string forwarded = "forwarded " + framing_summary(forwarded_bytes);

  // Pair the origin's answers, in order, with what the client received.
  std::size_t next = 0;  // the first client response not paired yet
  std::vector<const OriginAnswer*> relayed_echoes;
  std::vector<std::string> unrelayed;
  bool refused = false;
  int refused_status = 0;
  std::size_t answered_itself = 0;
  std::vector<std::string> late;
  std::size_t in_time = 0;
  for (const OriginAnswer& a : o.origin) {
    if (a.late) {
      late.push_back(describe_answer(a));
      continue;
    }
    ++in_time;
    std::size_t found = client.statuses.size();
    for (std::size_t i = next; i < client.statuses.size(); ++i) {
      auto echo = std::find_if(client.echoes.begin(), client.echoes.end(),
                               [&](const live::Observation::Echo& e) { return e.response == i; });
      const bool same = a.echo ? echo != client.echoes.end() && echo->json == a.echo_json
                               : echo == client.echoes.end() && client.statuses[i] == a.status;
      if (same) {
        found = i;
        break;
      }
    }
    if (found == client.statuses.size()) {
      // A proxy that answers in HTTP/0.9 relays the content alone: the
      // client sees no response it can parse, yet the echo is in it.
      if (a.echo && client.unparsed.find(a.echo_json) != std::string::npos) {
        relayed_echoes.push_back(&a);
        continue;
      }
      unrelayed.push_back(describe_answer(a));
      continue;
    }
    next = found + 1;
    if (a.echo) {
      relayed_echoes.push_back(&a);
    } else if (live::is_rejection(a.status)) {
      if (!refused) refused_status = a.status;
      refused = true;
    } else {
      ++answered_itself;
    }
    // Any other answer without an echo (a 501, a 417, a 200 to OPTIONS *):
    // the origin answered the request itself; nothing to compare.
  }
  // Late answers judge nothing (the client had stopped listening), but they
  // tell what the origin made of what it was left with.
  const std::string after =
      late.empty()
          ? ""
          : "; after the client stopped listening or the proxy closed, the origin answered " + join(late, "; ");
  if (!unrelayed.empty()) {
    // Every answer unrelayed, each to a request the proxy forwarded whole,
    // on connections the proxy then closed: nothing was smuggled (whatever
    // the origin left unread died with the connection), but the origin acted
    // on requests whose answers the proxy threw away.
    std::size_t forwarded_whole = 0;
    bool all_closed = true;
    for (const Tap::Connection& conn : o.upstream) {
      forwarded_whole += whole_requests(conn.to_origin);
      all_closed = all_closed && conn.proxy_closed;
    }
    if (client.echoes.empty() && unrelayed.size() == in_time && forwarded_whole == in_time && all_closed) {
      return {ChainVerdict::kDiscarded, "the proxy " + forwarded + " (" + plural(forwarded_whole, "whole request") +
                                            "), the origin answered (" + join(unrelayed, "; ") +
                                            ") and the proxy relayed none of it: " + proxy_said + after};
    }
    return {ChainVerdict::kDesync, "the origin answered " + plural(unrelayed.size(), "request") +
                                       " the proxy did not relay (" + join(unrelayed, "; ") + "); " + proxy_said +
                                       "; " + forwarded + after};
  }
  if (client.echoes.size() > relayed_echoes.size()) {
    return {ChainVerdict::kDesync,
            "the proxy relayed an echo the origin did not give on this case's connections; " + forwarded + after};
  }
  if (refused) {
    return {ChainVerdict::kRefused,
            "the proxy " + forwarded + "; the origin answered " + std::to_string(refused_status) + after};
  }

  const Reading r = reading_of(c);
  if (in_time == 0) {
    // Forwarded, and no answer yet: both wait, unless the proxy sent a whole
    // request by its own framing and the origin still waits for more.
    if (!r.incomplete && client.statuses.empty() && client.timed_out && whole_requests(forwarded_bytes) > 0) {
      return {ChainVerdict::kDesync, "the proxy " + forwarded +
                                         ", a whole request by its framing, and the origin did not answer: it "
                                         "reads the request as longer (it waits for octets the proxy will not send)" +
                                         after};
    }
    return {ChainVerdict::kConsistent, proxy_said + "; it " + forwarded + " and the origin did not answer" + after};
  }

  std::vector<std::string> changed;
  const std::size_t n = relayed_echoes.size() + answered_itself;
  if (r.rejects && n > r.requests) {
    changed.push_back("the proxy forwarded what RFC 9112 rejects (" + c.section + ") and the origin read it as " +
                      (r.requests < relayed_echoes.size() ? describe_answer(*relayed_echoes[r.requests])
                                                          : std::string("a request it answered itself")));
  } else if ((r.exact || r.rejects) ? n != r.requests : n < r.requests) {
    changed.push_back("proxy and origin read " + plural(n, "request") + " where RFC 9112 reads " +
                      std::to_string(r.requests));
  }
  if (answered_itself == 0) {
    for (std::string& d : differences(c, relayed_echoes)) changed.push_back(std::move(d));
  }
  if (changed.empty()) {
    return {ChainVerdict::kConsistent,
            "the origin read the " + plural(n, "request") + " of the case; the proxy " + forwarded + after};
  }
  return {ChainVerdict::kNormalised,
          join(changed, "; ") + "; client sent " + framing_summary(c.input) + "; proxy " + forwarded + after};
}

}  // namespace shockwave::conformance::chains
