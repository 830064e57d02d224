#include "conformance/live/live.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "conformance/adapters/shockwave_adapter.h"
#include "conformance/live/response_reader.h"

namespace shockwave::conformance::live {
namespace {

using Clock = std::chrono::steady_clock;

long ms_between(Clock::time_point a, Clock::time_point b) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(b - a).count());
}

std::string join_statuses(const std::vector<int>& statuses) {
  std::string s;
  for (int st : statuses) s += (s.empty() ? "" : " ") + std::to_string(st);
  return s;
}

// Count is how many complete requests come before a case's end or error (M
// in live.h) for one kind of outcome: exact when the case says (`messages`)
// or when our strict parser takes that outcome (it passes every case, so its
// count is the case's); otherwise at least `n`.
struct Count {
  std::size_t n = 0;
  bool exact = true;
  std::size_t max = 0;  // exact: at most this many (a range, `messages: A..B`); else unused
  Count() = default;
  Count(std::size_t count, bool is_exact = true, std::size_t most = 0)
      : n(count), exact(is_exact), max(std::max(count, most)) {}
  bool fits(std::size_t got) const { return exact ? got >= n && got <= max : got >= n; }
  std::size_t most() const { return exact ? max : n; }
};

struct Counts {
  Count accept, reject, incomplete;
  // The unfinished request's head is complete and its body is not (so a
  // server may answer it early, RFC 9110 §15; then it reads the body or
  // closes).
  bool body_pending = false;
  // An accepting parser reports a message after which the connection is
  // done (keep-alive false): the server MUST close after answering it
  // (RFC 9112 §9.6, and §6.1 for Transfer-Encoding with Content-Length).
  bool must_close = false;
  const Count& of(Outcome::Kind kind) const {
    return kind == Outcome::Kind::kAccept ? accept : kind == Outcome::Kind::kReject ? reject : incomplete;
  }
};

Counts counts_for(const Case& c) {
  ParseOutcome p = make_shockwave_adapter("shockwave")->parse(c.input);
  bool body_pending = std::string_view(c.input).substr(p.consumed).find("\r\n\r\n") != std::string_view::npos;
  const bool must_close =
      std::any_of(c.expected.begin(), c.expected.end(), [](const ExpectedMessage& m) { return m.keep_alive == false; });
  if (c.messages) {
    const Count m(*c.messages, true, c.messages_max.value_or(*c.messages));
    return {m, m, m, body_pending, must_close};
  }
  Counts k{{std::max<std::size_t>(1, c.expected.size()), false}, {0, false}, {0, false}, body_pending, must_close};
  if (!p.ok()) {
    k.reject = {p.messages.size()};
  } else if (p.incomplete) {
    k.incomplete = {p.messages.size()};
  } else {
    k.accept = {p.messages.size()};
  }
  return k;
}

// How many final responses an outcome brings at least.
std::size_t responses_for(const Counts& k, const Outcome& o) {
  std::size_t m = k.of(o.kind).most();
  return o.kind == Outcome::Kind::kAccept ? m : m + 1;  // reject: the error; incomplete: maybe a 400/408
}

std::string describe_statuses(const std::vector<int>& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? "/" : "") + std::to_string(s[i]);
  return out;
}

std::string plural(std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

std::string count_text(const Count& m, const char* what) {
  if (m.exact && m.max > m.n) return std::to_string(m.n) + " to " + plural(m.max, what);
  return (m.exact ? "" : "at least ") + plural(m.n, what);
}

std::string describe_expected(const Counts& k, const Outcome& o) {
  const Count& m = k.of(o.kind);
  bool none_before = m.exact && m.n == 0;
  switch (o.kind) {
    case Outcome::Kind::kAccept:
      return "accept (" + count_text(m, "response") + (k.must_close ? ", then close" : "") + ")";
    case Outcome::Kind::kReject:
      return "reject " + describe_statuses(o.statuses) + (none_before ? "" : " after " + count_text(m, "response"));
    case Outcome::Kind::kIncomplete:
      return "incomplete (server waits" + (none_before ? "" : " after " + count_text(m, "response")) + ")";
  }
  return "?";
}

// Match: whether an observation shows an outcome, and in which form.
enum class Match { kNo, kPrimary, kAlternative };

constexpr std::string_view kH2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

Match match(const Case& c, const Counts& k, const Outcome& o, const Observation& obs, std::string* alt) {
  if (!obs.malformed.empty() || !obs.harness_error.empty()) return Match::kNo;
  if (obs.http2) {
    // A server that speaks HTTP/2 with prior knowledge answers the preface
    // with its SETTINGS (RFC 9113 §3.3): it did not take it as HTTP/1.1.
    if (!std::string_view(c.input).starts_with(kH2Preface) || o.kind != Outcome::Kind::kReject) return Match::kNo;
    *alt = "answered the HTTP/2 preface in HTTP/2 (prior knowledge, RFC 9113 §3.3)";
    return Match::kAlternative;
  }
  const std::vector<int>& s = obs.statuses;
  const Count& m = k.of(o.kind);
  // The responses before the first rejection are the accepted requests'.
  std::size_t first_rejection = static_cast<std::size_t>(std::find_if(s.begin(), s.end(), is_rejection) - s.begin());
  bool rejected = first_rejection < s.size();
  switch (o.kind) {
    case Outcome::Kind::kAccept: {
      // A valid request may be declined (501, or 411 without a
      // Content-Length): declined_request in case.h, the rule the parser
      // judge applies too.
      std::string declined;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (!is_rejection(s[i]) && s[i] != 501) continue;
        std::string w;
        if (!declined_request(c, i, s[i], &w)) return Match::kNo;
        if (declined.empty()) declined = w;
      }
      // A server may close after any response that says so (Connection:
      // close, RFC 9112 §9.6) or that declines; the requests it left
      // unanswered were not processed, and a client retries them (§9.3.2).
      const bool cut_short = !s.empty() && s.size() < m.n && obs.closed && (obs.close_announced || !declined.empty());
      if (!m.fits(s.size()) && !cut_short) return Match::kNo;
      if (k.must_close && !obs.closed && !cut_short) return Match::kNo;
      if (!declined.empty()) {
        *alt = declined;
        return Match::kAlternative;
      }
      if (cut_short) {
        *alt = "answered " + plural(s.size(), "request") +
               " and closed with Connection: close; the rest were not processed (RFC 9112 §9.6)";
        return Match::kAlternative;
      }
      return Match::kPrimary;
    }
    case Outcome::Kind::kReject: {
      // The answer to the invalid request: the first rejection, or the first
      // status the case allows (501 is one, yet no rejection in general).
      auto allowed = [&](int st) { return std::find(o.statuses.begin(), o.statuses.end(), st) != o.statuses.end(); };
      std::size_t k = static_cast<std::size_t>(
          std::find_if(s.begin(), s.end(), [&](int st) { return is_rejection(st) || allowed(st); }) - s.begin());
      if (k < s.size() && m.fits(k) && s.size() == k + 1 && allowed(s[k])) return Match::kPrimary;
      if (k == s.size() && m.fits(s.size()) && obs.closed) {
        *alt = "closed the connection without answering the invalid request";
        return Match::kAlternative;
      }
      return Match::kNo;
    }
    case Outcome::Kind::kIncomplete:
      if (!rejected && m.fits(s.size()) && obs.timed_out) return Match::kPrimary;
      if (rejected && m.fits(first_rejection) && s.size() == first_rejection + 1 &&
          (s.back() == 400 || s.back() == 408)) {
        *alt = "answered the incomplete request with " + std::to_string(s.back());
        return Match::kAlternative;
      }
      if (!rejected && m.fits(s.size()) && obs.closed) {
        *alt = "closed the connection on the incomplete request";
        return Match::kAlternative;
      }
      if (!rejected && k.body_pending && !s.empty() && m.fits(s.size() - 1)) {
        *alt = "answered before the request's body was complete (a server may respond early)";
        return Match::kAlternative;
      }
      return Match::kNo;
  }
  return Match::kNo;
}

// record_echo notes a final response that carries X-Echo (echo mode, live.h).
void record_echo(const Response& r, bool head, std::size_t index, Observation* o) {
  if (!r.has("X-Echo")) return;
  Observation::Echo e;
  e.response = index;
  const std::string version = r.header("X-Echo");
  if (version != kEchoVersion) {
    e.problem = "X-Echo: " + version + " is not " + std::string(kEchoVersion);
  } else if (head) {
    if (r.has("X-Echo-Json")) {
      e.json = r.header("X-Echo-Json");
    } else {
      e.problem = "an echo of a HEAD request without an X-Echo-Json field";
    }
  } else {
    const std::string type = r.header("Content-Type");
    std::string media = type.substr(0, type.find(';'));
    while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.pop_back();
    for (char& ch : media) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    if (media != "application/json") {
      e.problem =
          "an echo with Content-Type " + (type.empty() ? std::string("(none)") : type) + ", not application/json";
    }
    e.json = r.body;
  }
  o->echoes.push_back(std::move(e));
}

// looks_like_http2_settings: the bytes start with an HTTP/2 frame header
// (RFC 9113 §4.1) of a SETTINGS frame (type 0x4) on stream 0, whose length
// is a multiple of 6: what a server speaking HTTP/2 sends first.
bool looks_like_http2_settings(std::string_view b) {
  if (b.size() < 9) return false;
  const auto u = [&](std::size_t i) { return static_cast<unsigned char>(b[i]); };
  const std::size_t length = (std::size_t{u(0)} << 16) | (std::size_t{u(1)} << 8) | u(2);
  return u(3) == 0x4 && (u(5) & 0x7f) == 0 && u(6) == 0 && u(7) == 0 && u(8) == 0 && length % 6 == 0;
}

}  // namespace

bool is_rejection(int status) {
  switch (status) {
    case 400:
    case 408:
    case 411:
    case 413:
    case 414:
    case 431:
    case 505:
      return true;
    default:
      return false;
  }
}

std::optional<Server> Server::resolve(std::string_view host_port, std::string* error) {
  std::string host, port;
  if (host_port.starts_with("[")) {
    std::size_t close = host_port.find("]:");
    if (close == std::string_view::npos) {
      *error = "expected [IPv6]:PORT, got \"" + std::string(host_port) + "\"";
      return std::nullopt;
    }
    host = host_port.substr(1, close - 1);
    port = host_port.substr(close + 2);
  } else {
    std::size_t colon = host_port.rfind(':');
    if (colon == std::string_view::npos || host_port.find(':') != colon) {
      *error = "expected HOST:PORT, got \"" + std::string(host_port) + "\"";
      return std::nullopt;
    }
    host = host_port.substr(0, colon);
    port = host_port.substr(colon + 1);
  }
  if (host.empty() || port.empty() || port.find_first_not_of("0123456789") != std::string::npos) {
    *error = "expected HOST:PORT with a numeric port, got \"" + std::string(host_port) + "\"";
    return std::nullopt;
  }
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0 || res == nullptr) {
    *error = "cannot resolve \"" + host + "\": " + ::gai_strerror(rc);
    return std::nullopt;
  }
  Server server;
  server.label_ = std::string(host_port);
  auto* p = reinterpret_cast<const unsigned char*>(res->ai_addr);
  server.addr_.assign(p, p + res->ai_addrlen);
  ::freeaddrinfo(res);
  return server;
}

int Server::connect(std::chrono::milliseconds timeout, std::string* error) const {
  auto* sa = reinterpret_cast<const sockaddr*>(addr_.data());
  int fd = ::socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return -1;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(fd, sa, static_cast<socklen_t>(addr_.size())) != 0 && errno != EINPROGRESS) {
    *error = "connect to " + label_ + ": " + std::strerror(errno);
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  int err = 0;
  socklen_t len = sizeof err;
  if (n <= 0 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
    *error = "connect to " + label_ + ": " + (n <= 0 ? std::string("timed out") : std::strerror(err));
    ::close(fd);
    return -1;
  }
  return fd;
}

std::string describe(const Observation& o) {
  if (!o.harness_error.empty()) return "harness error: " + o.harness_error;
  std::string s;
  if (!o.interim.empty()) s += "(interim " + join_statuses(o.interim) + ") ";
  s += o.statuses.empty() ? "no response" : join_statuses(o.statuses);
  if (o.http2) s += (o.statuses.empty() ? "" : ", then") + std::string(" an HTTP/2 frame (SETTINGS)");
  if (!o.malformed.empty()) s += ", then a malformed response (" + o.malformed + ")";
  if (o.partial > 0) s += ", then " + std::to_string(o.partial) + " octets of an unfinished response";
  if (o.closed) {
    s += o.reset ? ", connection reset" : ", connection closed";
  } else if (o.timed_out) {
    s += o.statuses.empty() ? ", connection open at the deadline" : ", connection open";
  } else {
    s += ", connection open";
  }
  return s;
}

Observation observe(const Server& server, std::string_view input, const std::vector<bool>& head_requests,
                    std::size_t expected, bool wait_full, const LiveOptions& options) {
  Observation o;
  const Clock::time_point start = Clock::now();
  const Clock::time_point deadline = start + options.timeout;
  int fd = server.connect(options.timeout, &o.harness_error);
  if (fd < 0) return o;

  std::string buf;
  std::size_t sent = 0, parsed = 0;
  bool eof = false, done = false;
  Clock::time_point last_activity = Clock::now();
  while (!done) {
    Clock::time_point now = Clock::now();
    if (now >= deadline) {
      o.timed_out = true;
      break;
    }
    // Every response the case can bring is in and nothing is pending: a
    // quiet settle time ends the observation.
    const bool quiet = parsed == buf.size() && sent == input.size();
    Clock::time_point wake = deadline;
    if (!wait_full && quiet && o.statuses.size() >= expected) {
      wake = std::min(deadline, last_activity + options.settle);
      if (now >= wake) break;
    } else if (wait_full && quiet && options.hold.count() > 0) {
      // Waiting for the end: a quiet hold time shows the server still waits.
      wake = std::min(deadline, last_activity + options.hold);
      if (now >= wake) {
        o.timed_out = true;
        break;
      }
    }

    pollfd p{fd, static_cast<short>(POLLIN | (sent < input.size() ? POLLOUT : 0)), 0};
    int n = ::poll(&p, 1, static_cast<int>(std::max<long>(1, ms_between(now, wake))));
    if (n < 0 && errno != EINTR) {
      o.harness_error = std::string("poll: ") + std::strerror(errno);
      break;
    }
    if (n <= 0) continue;
    if ((p.revents & POLLOUT) && sent < input.size()) {
      ssize_t w = ::send(fd, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
      if (w > 0) {
        sent += static_cast<std::size_t>(w);
        if (sent == input.size()) last_activity = Clock::now();
      } else if (w < 0 && (errno == EPIPE || errno == ECONNRESET)) {
        sent = input.size();  // the server stopped reading; what it sent back tells why
      } else if (w < 0 && errno != EAGAIN && errno != EINTR) {
        o.harness_error = std::string("send: ") + std::strerror(errno);
        break;
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      char chunk[65536];
      ssize_t r = ::recv(fd, chunk, sizeof chunk, 0);
      if (r > 0) {
        buf.append(chunk, static_cast<std::size_t>(r));
        last_activity = Clock::now();
      } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        eof = true;
        o.closed = true;
        o.reset = r < 0;
        if (r < 0 && errno != ECONNRESET) o.harness_error = std::string("recv: ") + std::strerror(errno);
      }
    }
    // Parse every response that is complete.
    while (parsed < buf.size()) {
      std::size_t index = o.statuses.size();
      bool head = index < head_requests.size() && head_requests[index];
      // A long response arrives in many reads: check that it is complete
      // without copying its body, so each read costs only the framing scan
      // and not a fresh copy of everything so far (quadratic in the size).
      const std::string_view rest = std::string_view(buf).substr(parsed);
      ResponseEvents framing_only;
      if (read_response(rest, head, eof, framing_only).status == ResponseParse::Status::kIncomplete &&
          !looks_like_http2_settings(rest)) {
        break;
      }
      ResponseParse r = parse_response(rest, head, eof);
      if (r.status != ResponseParse::Status::kComplete && looks_like_http2_settings(rest)) {
        o.http2 = true;
        parsed = buf.size();
        done = true;
        break;
      }
      if (r.status == ResponseParse::Status::kIncomplete) break;
      if (r.status == ResponseParse::Status::kError) {
        o.malformed = r.error;
        done = true;
        break;
      }
      parsed += r.consumed;
      if (r.response.interim()) {
        o.interim.push_back(r.response.status);
        continue;
      }
      record_echo(r.response, head, o.statuses.size(), &o);
      o.statuses.push_back(r.response.status);
      o.close_announced = r.response.connection_close();
      if (r.response.status == 101) {  // another protocol from here on
        parsed = buf.size();
        done = true;
        break;
      }
    }
    if (eof) done = true;
  }
  if (o.malformed.empty()) o.partial = buf.size() - std::min(parsed, buf.size());
  o.unparsed = buf.substr(std::min(parsed, buf.size()), 65536);
  o.elapsed_ms = ms_between(start, Clock::now());
  ::close(fd);
  return o;
}

Observation observe_case(const Server& server, const Case& c, const LiveOptions& options) {
  // Which requests are HEAD: the case says, else our strict parser, else
  // the first request's method as the bytes start.
  std::vector<bool> head;
  ParseOutcome parsed = make_shockwave_adapter("shockwave")->parse(c.input);
  std::size_t n = std::max(c.expected.size(), parsed.messages.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i < c.expected.size() && c.expected[i].method) {
      head.push_back(*c.expected[i].method == "HEAD");
    } else {
      head.push_back(i < parsed.messages.size() && parsed.messages[i].method == "HEAD");
    }
  }
  if (head.empty()) {
    std::string_view in = c.input;
    while (in.starts_with("\r\n")) in.remove_prefix(2);
    head.push_back(in.starts_with("HEAD "));
  }

  const Counts k = counts_for(c);
  std::size_t expected = 0;
  bool wait_full = false;
  for (const Outcome& o : c.allowed) {
    expected = std::max(expected, responses_for(k, o));
    wait_full = wait_full || o.kind == Outcome::Kind::kIncomplete;
  }
  expected = std::max(expected, responses_for(k, c.strict));
  wait_full = wait_full || c.strict.kind == Outcome::Kind::kIncomplete;
  // Whether the server closes as it must shows only by waiting for it.
  wait_full = wait_full || k.must_close;
  return observe(server, c.input, head, expected, wait_full, options);
}

Verdict judge_live(const Case& c, const Observation& o, std::string* why) {
  std::string ignored;
  if (!why) why = &ignored;
  why->clear();
  if (!o.harness_error.empty()) {
    *why = "could not run: " + o.harness_error;
    return Verdict::kFail;
  }
  const Counts k = counts_for(c);
  std::string alt;
  Match strict = match(c, k, c.strict, o, &alt);
  if (strict == Match::kPrimary) return Verdict::kPass;
  for (const Outcome& a : c.allowed) {
    if (!(a == c.strict) && match(c, k, a, o, &alt) == Match::kPrimary) {
      *why = "got " + describe(o) + ": " + describe_expected(k, a) + ", allowed, but the strict profile takes " +
             describe_expected(k, c.strict);
      return Verdict::kAllowed;
    }
  }
  for (const Outcome& a : c.allowed) {
    if (match(c, k, a, o, &alt) == Match::kAlternative) {
      *why = "got " + describe(o) + ": " + alt + " (allowed)";
      return Verdict::kAllowed;
    }
  }
  std::string w = "expected " + describe_expected(k, c.strict);
  for (const Outcome& a : c.allowed) {
    if (!(a == c.strict)) w += " or " + describe_expected(k, a);
  }
  w += "; got " + describe(o);
  bool exact = k.of(c.strict.kind).exact;
  std::size_t most = responses_for(k, c.strict);
  for (const Outcome& a : c.allowed) {
    exact = exact && k.of(a.kind).exact;
    most = std::max(most, responses_for(k, a));
  }
  // Only responses that are not rejections show a processed request: a 400
  // to a request that the server framed on its own is no smuggling.
  const std::size_t processed = static_cast<std::size_t>(
      std::count_if(o.statuses.begin(), o.statuses.end(), [](int st) { return !is_rejection(st); }));
  if (exact && processed > most) {
    w += " (processed " + plural(processed, "request") + " where at most " + std::to_string(most) +
         " can be: a smuggled request was processed)";
  }
  const bool accept_allowed = std::any_of(c.allowed.begin(), c.allowed.end(),
                                          [](const Outcome& a) { return a.kind == Outcome::Kind::kAccept; });
  if (k.must_close && accept_allowed && !o.closed && !o.statuses.empty() &&
      std::none_of(o.statuses.begin(), o.statuses.end(), is_rejection)) {
    w += " (the connection stayed open after a request that ends it: the server MUST close, RFC 9112 §9.6)";
  }
  if (o.http2) w += " (the server answered in HTTP/2)";
  if (!o.malformed.empty()) w += " (the server's response is not valid HTTP/1.1)";
  *why = w;
  return Verdict::kFail;
}

bool speaks_echo(const Observation& o) { return !o.echoes.empty(); }

std::string echo_difference(const Case& c, const Observation& o) {
  ParseOutcome parsed;
  for (std::size_t i = 0; i < o.echoes.size(); ++i) {
    const Observation::Echo& e = o.echoes[i];
    const std::string at = "response " + std::to_string(e.response + 1) + ": ";
    if (e.response != i) {
      return "response " + std::to_string(i + 1) + " (" + std::to_string(o.statuses[i]) +
             ") is not an echo, yet response " + std::to_string(e.response + 1) + " is";
    }
    if (o.statuses[i] != 200) return at + "an echo with status " + std::to_string(o.statuses[i]) + ", not 200";
    if (!e.problem.empty()) return at + e.problem;
    std::string bad;
    std::optional<Message> m = message_from_json(e.json, &bad);
    if (!m) return at + "the echo is not the canonical message JSON: " + bad;
    parsed.messages.push_back(std::move(*m));
  }
  // What ended the input after the echoed messages: the server's answer
  // that is no echo (its error response), or closing while the last
  // message left the connection open.
  if (o.statuses.size() > o.echoes.size()) {
    parsed.error = Error{o.statuses[o.echoes.size()], "not echoed"};
  } else if (o.closed && (parsed.messages.empty() || parsed.messages.back().keep_alive)) {
    parsed.error = Error{400, "closed"};
  }
  return compare_messages(c, parsed);
}

Verdict judge_server(const Case& c, const Observation& o, std::string* why) {
  std::string ignored;
  if (!why) why = &ignored;
  Verdict verdict = judge_live(c, o, why);
  if (verdict == Verdict::kFail || !speaks_echo(o)) return verdict;
  std::string d = echo_difference(c, o);
  if (d.empty()) return verdict;
  *why = "got " + describe(o) + ", echoed: " + d;
  return Verdict::kFail;
}

Failure classify_live_failure(const Case& c, const Observation& o) {
  if (!o.harness_error.empty()) return Failure::kNoOutcome;
  if (!o.malformed.empty() || o.http2) return Failure::kMalformed;
  const Counts k = counts_for(c);
  bool exact = true;
  std::size_t most = 0;
  bool accept = false, reject = false, incomplete = false;
  std::vector<int> statuses;
  for (const Outcome& a : c.allowed) {
    exact = exact && k.of(a.kind).exact;
    most = std::max(most, responses_for(k, a));
    accept = accept || a.kind == Outcome::Kind::kAccept;
    reject = reject || a.kind == Outcome::Kind::kReject;
    incomplete = incomplete || a.kind == Outcome::Kind::kIncomplete;
    if (a.kind == Outcome::Kind::kReject) statuses.insert(statuses.end(), a.statuses.begin(), a.statuses.end());
  }
  const std::vector<int>& s = o.statuses;
  const std::size_t processed =
      static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](int st) { return !is_rejection(st); }));
  if (exact && processed > most) return Failure::kAnsweredSmuggled;
  const bool any_rejection = std::any_of(s.begin(), s.end(), is_rejection);
  if (accept && k.must_close && !o.closed && !s.empty() && !any_rejection) return Failure::kKeptOpen;
  // The answer to the bad request: the first rejection or listed status.
  const auto answer = std::find_if(s.begin(), s.end(), [&](int st) {
    return is_rejection(st) || st == 501 || std::find(statuses.begin(), statuses.end(), st) != statuses.end();
  });
  if (answer != s.end()) {
    if (!reject) return Failure::kRejectedValid;
    return std::find(statuses.begin(), statuses.end(), *answer) == statuses.end() ? Failure::kWrongStatus
                                                                                  : Failure::kFramingDiffers;
  }
  if (reject && !accept && !incomplete) {
    if (s.empty() && o.timed_out) return Failure::kStillWaiting;
    if (!s.empty()) return Failure::kAcceptedInvalid;
  }
  return Failure::kFramingDiffers;
}

}  // namespace shockwave::conformance::live
