#include "fuzz/llhttp_response_differences.h"

#include <array>
#include <cctype>
#include <cstddef>
#include <string>
#include <vector>

#include "conformance/adapter.h"
#include "testing/strings.h"

namespace shockwave::fuzz {
namespace {

using conformance::Message;
using conformance::ParseOutcome;

// ---- Rejections only we make: checks llhttp does not do -------------------
// Keyed by our fixed reason string (server/http1/error.h).
struct OursOnly {
  std::string_view our_reason;
  Difference difference;
};

constexpr std::array<OursOnly, 18> kOursOnly = {{
    {"invalid chunk extension",
     {"chunk-ext-syntax", "RFC 9112 §7.1.1",
      "chunk-ext = *( BWS \";\" BWS chunk-ext-name [ BWS \"=\" BWS chunk-ext-val ] ) with a token name; llhttp "
      "8.1 takes an empty name (\";=v\", \";;\") and reads on"}},
    {"chunk data not followed by CRLF",
     {"chunk-data-crlf", "RFC 9112 §7.1",
      "chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF; llhttp 8.1 takes any two octets after the chunk data "
      "as that CRLF (its chunk_data_almost_done states skip them unchecked), so it frames the rest differently"}},
    {"chunked applied more than once",
     {"chunked-twice", "RFC 9112 §6.1", "a sender MUST NOT apply chunked more than once; llhttp decodes one layer"}},
    {"both Transfer-Encoding and Content-Length",
     {"te-with-cl", "RFC 9112 §6.3 item 3",
      "a response with both ought to be handled as an error (response splitting); llhttp lets Transfer-Encoding win"}},
    {"more than one Content-Length",
     {"duplicate-content-length", "RFC 9112 §6.3 item 5",
      "a repeated Content-Length may be refused (strict); llhttp takes identical repeats"}},
    {"malformed status-line",
     {"status-line-syntax", "RFC 9112 §4",
      "HTTP-version SP 3DIGIT SP reason: one SP each, the second even without a reason; llhttp is looser"}},
    {"malformed Transfer-Encoding",
     {"invalid-transfer-encoding", "RFC 9112 §6.1, RFC 9110 §10.1.4",
      "Transfer-Encoding is a list of transfer-coding tokens with ';' parameters; llhttp reads any other value as "
      "a coding that is not chunked, so the body runs to the close"}},
    {"bare CR not followed by LF",
     {"bare-cr", "RFC 9112 §2.2",
      "a bare CR MUST be treated as invalid or replaced by SP; llhttp passes it through in a reason or value"}},
    {"bare LF line terminator",
     {"bare-lf", "RFC 9112 §2.2",
      "we are strict (bare_lf is an off-by-default leniency); the RFC MAY-accepts a bare LF, llhttp does"}},
    {"obsolete line folding",
     {"obs-fold", "RFC 9112 §5.2",
      "a gateway MUST either discard a response with obs-fold (502) or replace it with SP; we discard (obs_fold is "
      "an off-by-default leniency), llhttp joins"}},
    {"whitespace before the first field line",
     {"ws-before-first-field", "RFC 9112 §2.2",
      "a recipient MUST reject (or ignore) whitespace-preceded lines before the first field"}},
    {"invalid field name",
     {"invalid-field-name", "RFC 9110 §5.1", "field-name = token; llhttp accepts some non-token bytes"}},
    {"whitespace between field name and colon",
     {"space-before-colon", "RFC 9112 §5.1",
      "no whitespace is allowed between name and colon; a proxy MUST NOT forward it, and we refuse the response "
      "rather than guess the name"}},
    {"invalid character in field value",
     {"invalid-field-value", "RFC 9110 §5.5",
      "CTLs other than HTAB are invalid in a field value; llhttp lets some "
      "through"}},
    {"invalid Content-Length",
     {"invalid-content-length", "RFC 9110 §8.6, RFC 9112 §6.3 item 5",
      "Content-Length = 1*DIGIT; an invalid one is an unrecoverable framing error for a recipient"}},
    {"Transfer-Encoding in an HTTP/1.0 request",
     {"te-in-http10", "RFC 9112 §6.1",
      "Transfer-Encoding in an HTTP/1.0 message is faulty framing; llhttp decodes chunked"}},
    {"HTTP version not supported",
     {"other-major-version", "RFC 9110 §6.2, RFC 9112 §2.3",
      "the major version names the messaging syntax: an HTTP/0.x or HTTP/2+ status-line is not an HTTP/1.1 "
      "message to frame; llhttp frames HTTP/2.0 and others as HTTP/1"}},
    {"invalid status code",
     {"status-code-range", "RFC 9110 §15",
      "status codes are 100-599 (\"values outside the range 100..599 are invalid\"); llhttp takes any three "
      "digits"}},
}};

// Limits are ours alone (design invariant 3, docs/invariants.md): llhttp has
// none.
constexpr std::array<std::string_view, 7> kLimitReasons = {
    "header section too large",  "too many header fields", "content too large",         "chunk extensions too large",
    "trailer section too large", "status-line too long",   "too many interim responses"};
constexpr Difference kLimit = {"limit", "RFC 9112 §2.3, §4, §7.1.1; RFC 9110 §15.2",
                               "a fixed buffer is a limit, never a reason to grow, and a 1xx flood is bounded; llhttp "
                               "has no limits"};

// ---- Rejections only llhttp makes -----------------------------------------
struct TheirsOnly {
  std::string_view their_reason;
  Difference difference;
};

constexpr std::array<TheirsOnly, 2> kTheirsOnly = {{
    {"Invalid character in Content-Length",
     {"content-length-ows", "RFC 9112 §5.1",
      "OWS (SP or HTAB) around a field value is not part of it; llhttp refuses HTAB around a Content-Length"}},
    {"Invalid HTTP version",
     {"http1x-version", "RFC 9110 §6.2",
      "HTTP/1.2-1.9 are handled as 1.1 (a recipient of a higher minor version treats it as the highest it "
      "knows)"}},
}};

// ---- llhttp rejects on a prefix where our response was cut short ----------
// We judge a status-line, field line or chunk line once it is whole (its
// CRLF seen); llhttp rejects at the offending byte. Only when the input
// ended inside that line for us (incomplete: RFC 9112 §8): the same rule,
// noticed at different moments, and the response is unusable either way.
constexpr Difference kEarly = {"rejected-mid-line", "RFC 9112 §2.2, §8",
                               "we validate a line once it is complete, so a connection closed inside it is an "
                               "incomplete response; llhttp rejects at the offending byte"};
constexpr std::array<std::string_view, 31> kEarlyReasons = {
    "Expected HTTP/",
    // A line that starts with whitespace after the status-line: ours is
    // ws-before-first-field once the line is whole.
    "Unexpected space after start line",
    "Response overflow",
    "Invalid major version",
    "Expected dot",
    "Invalid minor version",
    "Invalid HTTP version",
    "Expected space after version",
    "Invalid response status",
    "Expected LF after CR",
    "Expected CRLF after version",
    "Missing expected LF after header value",
    "Expected LF after headers",
    "Invalid header token",
    "Invalid header field char",
    "Invalid header value char",
    "Invalid character in Content-Length",
    "Empty Content-Length",
    "Content-Length overflow",
    "Duplicate Content-Length",
    "Invalid `Transfer-Encoding` header value",
    "Invalid character in chunk size",
    "Chunk size overflow",
    "Expected LF after chunk size",
    "Expected CRLF after chunk",
    "Invalid character in chunk extensions",
    "Invalid character in chunk extensions name",
    "Invalid character in chunk extensions value",
    "Invalid character in chunk extensions quote value",
    "Invalid character in chunk extensions quoted value",
    "Expected CRLF",
};

// ---- Empty lines before a status-line ---------------------------------------
// llhttp skips CR and LF octets before a message; a response starts with
// its status-line.
constexpr Difference kLeadingEmptyLines = {
    "empty-lines-before-status-line", "RFC 9112 §2.2, §4",
    "only a server expecting a request-line SHOULD ignore empty lines before it; a response begins with its "
    "status-line, so we reject them, llhttp skips CR and LF octets (even a bare CR)"};

// ---- A status-line llhttp takes that the grammar refuses --------------------
// status-line = HTTP-version SP status-code SP [ reason-phrase ], status-code
// = 3DIGIT; llhttp takes one to three digits (status 0 too) and no SP after
// them, then frames what follows by that response: every later difference
// follows from there.
constexpr Difference kStatusLineSyntax = {
    "status-line-syntax", "RFC 9112 §4",
    "status-code = 3DIGIT and the SP after it is required (\"MUST send the space ... even when the reason-phrase is "
    "absent\"); llhttp accepts shorter codes and a missing SP, then reads on"};

// A control octet in the reason-phrase.
constexpr Difference kReasonCtl = {"reason-phrase-ctl", "RFC 9112 §4",
                                   "reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ): other controls are invalid; "
                                   "llhttp takes any octet but CR and LF"};

// status_line_ctl: the line at `at` (up to its LF) holds a control other
// than HTAB, a final CR before LF aside.
bool status_line_ctl(std::string_view input, std::size_t at) {
  std::string_view line = input.substr(at < input.size() ? at : input.size());
  line = line.substr(0, line.find('\n'));
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  for (const char c : line) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return true;
  }
  return false;
}

// status_line_not_3digit: the input at `at` starts "HTTP/" DIGIT "." DIGIT SP
// but not followed by 3DIGIT SP.
bool status_line_not_3digit(std::string_view input, std::size_t at) {
  const std::string_view s = input.substr(at < input.size() ? at : input.size());
  auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  if (s.size() < 9 || s.substr(0, 5) != "HTTP/" || !digit(5) || s[6] != '.' || !digit(7) || s[8] != ' ') {
    return false;
  }
  return !(digit(9) && digit(10) && digit(11) && s.size() > 12 && s[12] == ' ');
}

// only_line_ends: the input from `at` on is CR and LF octets only.
bool only_line_ends(std::string_view input, std::size_t at) {
  return at < input.size() && input.substr(at).find_first_not_of("\r\n") == std::string_view::npos;
}

// ---- Both reject the same response --------------------------------------------
// ---- A body-less status framed by its fields -------------------------------
// llhttp reads the body a 1xx, 204 or 304 response's Content-Length or
// Transfer-Encoding announces unless its caller returns 1 from
// on_headers_complete (Node's HTTP client does so for 304); the RFC ends
// such a response at its empty line.
constexpr Difference kBodylessFramed = {"bodyless-status-framed", "RFC 9112 §6.3 item 1",
                                        "a 1xx, 204 or 304 response ends at its empty line whatever its framing "
                                        "fields say; llhttp frames a body by them unless its caller skips it"};

// llhttp switches protocols on a 101 only when it carries "Connection:
// upgrade"; after any 101 the connection is the new protocol's.
constexpr Difference kSwitched = {"101-ends-http", "RFC 9110 §15.2.2",
                                  "after a 101 the server speaks the protocol it switched to, so nothing after it "
                                  "is an HTTP/1.1 response; llhttp reads on without Connection: upgrade"};

// llhttp does not take HTAB as OWS around a Transfer-Encoding value, so
// "\tchunked" is to it a coding other than chunked (a body to the close).
constexpr Difference kHtabOws = {"framing-value-htab-ows", "RFC 9112 §5.1, RFC 9110 §5.6.3",
                                 "OWS is SP or HTAB and is not part of the value; llhttp does not strip HTAB "
                                 "around Transfer-Encoding and frames the body another way"};

// raw_values: the values of the field lines of `input` named `name` (with
// its colon, lower case), as sent: whitespace around them kept.
std::vector<std::string_view> raw_values(std::string_view input, std::string_view name) {
  std::vector<std::string_view> values;
  for (std::size_t at = 0; (at = input.find('\n', at)) != std::string_view::npos;) {
    ++at;
    if (input.size() - at < name.size() || !::shockwave::testing::iequals(input.substr(at, name.size()), name)) {
      continue;
    }
    const std::size_t begin = at + name.size();
    const std::size_t end = input.find('\r', begin);
    values.push_back(input.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
  }
  return values;
}

// values_hold_htab: some `name` field line (raw_values) holds HTAB.
bool values_hold_htab(std::string_view input, std::string_view name) {
  for (std::string_view v : raw_values(input, name)) {
    if (v.find('\t') != std::string_view::npos) return true;
  }
  return false;
}

// An empty element in the Transfer-Encoding list ("chunked,", ", chunked")
// is nothing: RFC 9110 §5.6.1 has a recipient ignore it. llhttp takes the
// list's final coding to be the empty one, not chunked, and reads the body
// to the close: every later difference follows from that.
constexpr Difference kTeEmptyElement = {"te-empty-list-element", "RFC 9110 §5.6.1, RFC 9112 §6.3 item 4",
                                        "a recipient MUST parse and ignore a reasonable number of empty list "
                                        "elements, so \"chunked,\" ends in chunked; llhttp frames the body to the "
                                        "close"};

bool framing_value_has_empty_element(std::string_view input) {
  for (std::string_view v : raw_values(input, "transfer-encoding:")) {
    for (std::size_t begin = 0;;) {
      const std::size_t comma = v.find(',', begin);
      const std::string_view element = v.substr(begin, comma == std::string_view::npos ? comma : comma - begin);
      if (element.find_first_not_of(" \t") == std::string_view::npos) return true;
      if (comma == std::string_view::npos) break;
      begin = comma + 1;
    }
  }
  return false;
}

// A chunk-size of more than max_chunk_size_digits (16) hex digits, leading
// zeros too, is refused before it can overflow; llhttp counts the value
// only, so it waits for the chunk's data.
constexpr Difference kChunkSizeDigits = {"chunk-size-digits", "RFC 9112 §7.1",
                                         "recipients MUST anticipate large hexadecimal numerals and prevent "
                                         "overflow; we bound the digits (a limit), llhttp bounds the value"};

// any_chunk_size_line: `match(digits, rest)` holds for some line of
// `input` read as a chunk-size line: `digits` hex digits, then `rest`.
template <typename Match>
bool any_chunk_size_line(std::string_view input, Match match) {
  for (std::size_t at = 0; (at = input.find('\n', at)) != std::string_view::npos;) {
    const std::size_t begin = ++at;
    while (at < input.size() && std::isxdigit(static_cast<unsigned char>(input[at])) != 0) ++at;
    if (match(at - begin, input.substr(at))) return true;
  }
  return false;
}

bool has_long_hex_line(std::string_view input) {
  return any_chunk_size_line(input, [](std::size_t digits, std::string_view) { return digits > 16; });
}

// "close" among the Connection options ends the connection whatever else
// the list holds; llhttp lets a "keep-alive" beside it win in HTTP/1.0.
constexpr Difference kCloseWins = {"connection-close-wins", "RFC 9112 §9.3, §9.6",
                                   "a \"close\" connection option means the connection closes after this "
                                   "response; llhttp keeps it open when keep-alive is also listed"};

bool lists_close(const conformance::Message& m) {
  for (const auto& [name, value] : m.headers) {
    if (::shockwave::testing::iequals(name, "connection") && ::shockwave::testing::has_token(value, "close")) {
      return true;
    }
  }
  return false;
}

// Fields in the trailer section that would control the connection or the
// framing (Connection, Transfer-Encoding, Content-Length) are not merged
// into the header section; llhttp acts on them.
constexpr Difference kTrailerControl = {"control-fields-in-trailers", "RFC 9110 §6.5.1, RFC 9112 §7.1.2",
                                        "fields that control the connection or the framing cannot be processed "
                                        "after the content; llhttp closes on a Connection: close or a "
                                        "Transfer-Encoding trailer, and judges a Content-Length one"};

bool trailers_control(const conformance::Message& m) {
  for (const auto& [name, value] : m.trailers) {
    if ((::shockwave::testing::iequals(name, "connection") && ::shockwave::testing::has_token(value, "close")) ||
        ::shockwave::testing::iequals(name, "transfer-encoding") ||
        ::shockwave::testing::iequals(name, "content-length")) {
      return true;
    }
  }
  return false;
}

// A Connection option with HTAB beside it ("keep-alive\t") is still the
// option: OWS is SP or HTAB. llhttp does not strip HTAB, so an HTTP/1.0
// response it reads as not keep-alive.
constexpr Difference kConnectionHtab = {"connection-htab-ows", "RFC 9110 §5.6.1, §5.6.3",
                                        "list elements are separated by OWS, which is SP or HTAB; llhttp does not "
                                        "take HTAB around a Connection option"};

// A response to HEAD ends at its empty line, and a 2xx to CONNECT turns the
// connection into a tunnel, so their framing fields are not judged; llhttp
// judges them even there.
constexpr Difference kHeadFramingJudged = {
    "head-response-framing-judged", "RFC 9112 §6.3 items 1 and 2",
    "a response to HEAD ends at its empty line, a 2xx to CONNECT at its header section, whatever their framing "
    "fields say; llhttp judges them anyway (a TE and CL pair, a repeated Content-Length)"};

// A chunk extension the grammar allows that llhttp refuses: BWS around ";"
// and "=", obs-text or a quoted-pair in a quoted value; after some
// extensions it also misreads the rest of the line as chunk-size.
constexpr Difference kChunkExtRefused = {"chunk-ext-llhttp-refuses", "RFC 9112 §7.1.1, RFC 9110 §5.6.4",
                                         "chunk-ext = *( BWS \";\" BWS chunk-ext-name [ BWS \"=\" BWS "
                                         "chunk-ext-val ] ), and a quoted-string may hold obs-text and quoted-pairs; "
                                         "llhttp 8.1 refuses some of these"};

// has_chunk_ext_line: some line of `input` is a chunk-size with an extension.
bool has_chunk_ext_line(std::string_view input) {
  return any_chunk_size_line(input, [](std::size_t digits, std::string_view rest) {
    const std::size_t ext = rest.find_first_not_of(" \t");
    return digits > 0 && ext != std::string_view::npos && rest[ext] == ';';
  });
}

// llhttp's reasons for refusing framing fields.
constexpr std::array<std::string_view, 6> kFramingReasons = {"Content-Length can't be present with Transfer-Encoding",
                                                             "Duplicate Content-Length",
                                                             "Invalid character in Content-Length",
                                                             "Empty Content-Length",
                                                             "Content-Length overflow",
                                                             "Invalid `Transfer-Encoding` header value"};

// unframed: message `i` of `messages` answers a HEAD request, or is a 2xx
// to CONNECT (interim responses answer no request of their own).
bool unframed(const std::vector<Message>& messages, std::size_t i, std::span<const std::string> requests) {
  std::size_t finals = 0;
  for (std::size_t j = 0; j < i && j < messages.size(); ++j) {
    if (messages[j].status >= 200 || messages[j].status == 101) ++finals;
  }
  const std::string_view method = conformance::answered_method(requests, finals);
  return method == "HEAD" || (method == "CONNECT" && messages[i].status / 100 == 2);
}

// A bare CR in chunk framing: we refuse the line at the CR's next byte;
// llhttp waits for more, or takes the CR as part of the line end.
constexpr Difference kChunkBareCr = {"bare-cr-in-chunk-line", "RFC 9112 §2.2, §7.1",
                                     "a bare CR never ends a line, so a chunk line holding one is invalid; "
                                     "llhttp waits for more input or reads past it"};

bool has_bare_cr(std::string_view input) {
  for (std::size_t at = 0; (at = input.find('\r', at)) != std::string_view::npos; ++at) {
    if (at + 1 < input.size() && input[at + 1] != '\n') return true;
  }
  return false;
}

bool bodyless_with_framing(const conformance::Message& m) {
  if (!(m.status < 200 || m.status == 204 || m.status == 304)) return false;
  for (const auto& [name, value] : m.headers) {
    if (::shockwave::testing::iequals(name, "content-length") ||
        ::shockwave::testing::iequals(name, "transfer-encoding"))
      return true;
  }
  return false;
}

constexpr Difference kBothReject = {"both-reject-other-reason", "RFC 9110 §15.6.3",
                                    "both reject the same response; a gateway answers 502 either way, and the reason "
                                    "text is each parser's own"};

// ---- Both accept, messages differ -----------------------------------------
constexpr Difference kVersionAs11 = {"http1x-as-11", "RFC 9110 §6.2",
                                     "a 1.x response with x >= 2 is handled as 1.1; llhttp reports the digits it saw"};

Message normalise(Message theirs) {
  // http1x-as-11: llhttp's version "HTTP/1.x", x in 2..9, is ours "HTTP/1.1".
  if (theirs.version.size() == 8 && theirs.version.compare(0, 7, "HTTP/1.") == 0 && theirs.version[7] >= '2' &&
      theirs.version[7] <= '9') {
    theirs.version = "HTTP/1.1";
  }
  return theirs;
}

}  // namespace

std::span<const Difference> response_differences() {
  static const auto all = [] {
    std::array<Difference, kOursOnly.size() + kTheirsOnly.size() + 18> a{};
    std::size_t i = 0;
    for (const auto& e : kOursOnly) a[i++] = e.difference;
    for (const auto& e : kTheirsOnly) a[i++] = e.difference;
    a[i++] = kLimit;
    a[i++] = kBothReject;
    a[i++] = kVersionAs11;
    a[i++] = kEarly;
    a[i++] = kLeadingEmptyLines;
    a[i++] = kStatusLineSyntax;
    a[i++] = kReasonCtl;
    a[i++] = kBodylessFramed;
    a[i++] = kSwitched;
    a[i++] = kHtabOws;
    a[i++] = kCloseWins;
    a[i++] = kTrailerControl;
    a[i++] = kConnectionHtab;
    a[i++] = kHeadFramingJudged;
    a[i++] = kChunkExtRefused;
    a[i++] = kChunkBareCr;
    a[i++] = kTeEmptyElement;
    a[i++] = kChunkSizeDigits;
    return a;
  }();
  return all;
}

const Difference* classify_response(std::string_view input, std::span<const std::string> requests,
                                    const ParseOutcome& ours, const ParseOutcome& theirs) {
  // A Transfer-Encoding value with HTAB around it frames everything after
  // it differently for llhttp: every later difference follows from that.
  if (values_hold_htab(input, "transfer-encoding:")) return &kHtabOws;
  if (framing_value_has_empty_element(input)) return &kTeEmptyElement;
  // First response where they diverge.
  std::size_t i = 0;
  const Difference* normalised = nullptr;
  while (i < ours.messages.size() && i < theirs.messages.size()) {
    if (!(ours.messages[i] == theirs.messages[i])) {
      if (bodyless_with_framing(ours.messages[i])) return &kBodylessFramed;
      if (ours.messages[i].status == 101) return &kSwitched;
      if (!ours.messages[i].keep_alive && theirs.messages[i].keep_alive && lists_close(ours.messages[i])) {
        conformance::Message kept = ours.messages[i];
        kept.keep_alive = true;
        if (kept == theirs.messages[i]) return &kCloseWins;
      }
      if (ours.messages[i].keep_alive && !theirs.messages[i].keep_alive) {
        conformance::Message closed = ours.messages[i];
        closed.keep_alive = false;
        if (closed == theirs.messages[i] && trailers_control(ours.messages[i])) return &kTrailerControl;
        if (closed == theirs.messages[i] && values_hold_htab(input, "connection:")) return &kConnectionHtab;
      }
      if (!(normalise(theirs.messages[i]) == ours.messages[i])) return nullptr;
      normalised = &kVersionAs11;
    }
    ++i;
  }
  // Where they part, ours ended a body-less response that carried framing
  // fields and llhttp read on for its body.
  if (i < ours.messages.size() && i == theirs.messages.size() && bodyless_with_framing(ours.messages[i])) {
    return &kBodylessFramed;
  }
  // Or llhttp refused the HEAD response's framing fields.
  if (i < ours.messages.size() && i == theirs.messages.size() && theirs.error && unframed(ours.messages, i, requests)) {
    for (std::string_view r : kFramingReasons) {
      if (r == theirs.error->reason) return &kHeadFramingJudged;
    }
  }
  // Or llhttp judged a framing field of its trailer section.
  if (i < ours.messages.size() && i == theirs.messages.size() && theirs.error && trailers_control(ours.messages[i])) {
    for (std::string_view r : kFramingReasons) {
      if (r == theirs.error->reason) return &kTrailerControl;
    }
  }
  // Or llhttp refused a chunk extension ours took.
  if (theirs.error && i == theirs.messages.size() && i < ours.messages.size() &&
      theirs.error->reason.starts_with("Invalid character in chunk") && has_chunk_ext_line(input)) {
    return &kChunkExtRefused;
  }
  // Or both completed it, llhttp with the body its fields announced (an
  // empty chunked one), so the next response starts elsewhere.
  if (i > 0 && i == ours.messages.size() && i == theirs.messages.size() && ours.consumed != theirs.consumed &&
      bodyless_with_framing(ours.messages[i - 1])) {
    return &kBodylessFramed;
  }
  const bool ours_stop = i == ours.messages.size();
  const bool theirs_stop = i == theirs.messages.size();
  if (ours_stop && theirs_stop) {
    if (ours.error && theirs.error) return &kBothReject;
    if (ours.error == theirs.error && ours.incomplete == theirs.incomplete && ours.consumed == theirs.consumed) {
      return normalised;
    }
  }
  // llhttp took a status-line the grammar refuses, where we stopped.
  if (ours_stop && (ours.error || ours.incomplete) && (!theirs_stop || (theirs.ok() && theirs.incomplete))) {
    if (status_line_not_3digit(input, ours.consumed)) return &kStatusLineSyntax;
    if (ours.error && ours.error->reason == "malformed status-line" && status_line_ctl(input, ours.consumed)) {
      return &kReasonCtl;
    }
  }
  // llhttp skipped CR / LF octets where we expected a status-line.
  if (ours_stop && theirs_stop && ours.ok() && ours.incomplete && theirs.ok() && !theirs.incomplete &&
      only_line_ends(input, ours.consumed)) {
    return &kLeadingEmptyLines;
  }
  if (ours_stop && ours.error && ours.consumed < input.size() &&
      (input[ours.consumed] == '\r' || input[ours.consumed] == '\n') &&
      (ours.error->reason == "malformed status-line" || ours.error->reason == "bare LF line terminator" ||
       ours.error->reason == "bare CR not followed by LF")) {
    return &kLeadingEmptyLines;
  }
  if (ours_stop && ours.error && has_bare_cr(input) &&
      (ours.error->reason == "invalid chunk size" || ours.error->reason == "chunk data not followed by CRLF" ||
       ours.error->reason == "bare CR not followed by LF")) {
    return &kChunkBareCr;
  }
  if (ours_stop && ours.error && ours.error->reason == "invalid chunk size" && has_long_hex_line(input)) {
    return &kChunkSizeDigits;
  }
  // The side that stopped first with an error names the rule.
  if (ours_stop && ours.error) {
    for (std::string_view r : kLimitReasons) {
      if (r == ours.error->reason) return &kLimit;
    }
    for (const auto& e : kOursOnly) {
      if (e.our_reason == ours.error->reason) return &e.difference;
    }
    return nullptr;
  }
  if (theirs_stop && theirs.error) {
    if (ours_stop && ours.incomplete) {
      for (std::string_view r : kEarlyReasons) {
        if (r == theirs.error->reason) return &kEarly;
      }
    }
    for (const auto& e : kTheirsOnly) {
      if (e.their_reason == theirs.error->reason) return &e.difference;
    }
    return nullptr;
  }
  return nullptr;
}

}  // namespace shockwave::fuzz
