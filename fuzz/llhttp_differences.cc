#include "fuzz/llhttp_differences.h"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

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

constexpr std::array<OursOnly, 27> kOursOnly = {{
    {"chunked is not the final transfer coding",
     {"te-chunked-not-final", "RFC 9112 §6.3 item 4",
      "a request whose Transfer-Encoding does not end in chunked MUST get 400 and close; llhttp lets an Upgrade "
      "request through"}},
    {"chunked applied more than once",
     {"te-chunked-twice", "RFC 9112 §6.1",
      "a sender MUST NOT apply chunked more than once; the framing is ambiguous: reject"}},
    {"both Transfer-Encoding and Content-Length",
     {"te-and-cl", "RFC 9112 §6.1, §6.3 item 3",
      "a server MAY reject a request with both (smuggling vector); we do, llhttp lets some through"}},
    {"invalid chunk size",
     {"chunk-size", "RFC 9112 §7.1, §2.2",
      "chunk-size = 1*HEXDIG, bounded to 16 digits (a 64-bit size, leading zeros included); llhttp takes unbounded "
      "leading zeros and a bare CR after the size"}},
    {"chunk extensions too large",
     {"chunk-ext-limit", "RFC 9112 §7.1.1",
      "a server ought to limit the total length of chunk extensions; llhttp has no limit"}},
    {"obsolete line folding",
     {"obs-fold", "RFC 9112 §5.2",
      "a server MUST reject obs-fold with 400 or replace it with SP; we reject (obs_fold is an off-by-default "
      "leniency), llhttp joins"}},
    {"missing Host header",
     {"missing-host", "RFC 9112 §3.2", "a server MUST respond 400 to an HTTP/1.1 request that lacks a Host field"}},
    {"more than one Host header",
     {"duplicate-host", "RFC 9112 §3.2", "a server MUST respond 400 to a request with more than one Host field line"}},
    {"invalid Host header",
     {"invalid-host", "RFC 9112 §3.2",
      "a server MUST respond 400 to a request whose Host field value is invalid (RFC 3986 §3.2.2 host [ \":\" port "
      "])"}},
    {"invalid request-target",
     {"invalid-target", "RFC 9112 §3.2, RFC 3986 §3",
      "the target must match one of the four forms; llhttp lets through characters and forms outside "
      "origin/absolute/authority/asterisk-form"}},
    {"Transfer-Encoding in an HTTP/1.0 request",
     {"te-in-http10", "RFC 9112 §6.1",
      "a server MUST treat a 1.0 message with Transfer-Encoding as faulty framing (close after it); we reject it, "
      "llhttp keeps it alive"}},
    {"malformed request-line",
     {"http09-or-bad-request-line", "RFC 9112 §3, §2.3",
      "request-line = method SP request-target SP HTTP-version; llhttp accepts HTTP/0.9 simple requests and extra "
      "spaces"}},
    {"malformed HTTP-version",
     {"bad-version", "RFC 9112 §2.3",
      "HTTP-version = \"HTTP/\" DIGIT \".\" DIGIT, case-sensitive; llhttp accepts 0.9 and other forms"}},
    {"HTTP version not supported",
     {"unsupported-version", "RFC 9110 §15.6.6",
      "major versions other than 1 get 505; llhttp accepts some (0.9) or answers 400"}},
    {"invalid field name",
     {"invalid-field-name", "RFC 9112 §5, RFC 9110 §5.1",
      "field-name = token; llhttp strict accepts some non-token bytes and empty names"}},
    {"whitespace between field name and colon",
     {"space-before-colon", "RFC 9112 §5.1", "a server MUST reject whitespace between field name and colon with 400"}},
    {"invalid character in field value",
     {"invalid-field-value", "RFC 9110 §5.5",
      "field-value = *field-content; CTLs other than HTAB are invalid; llhttp lets some through"}},
    {"whitespace before the first field line",
     {"ws-before-first-field", "RFC 9112 §2.2",
      "a recipient MUST reject (or ignore) whitespace-preceded lines before the first field"}},
    {"bare CR not followed by LF",
     {"bare-cr", "RFC 9112 §2.2",
      "a bare CR outside content MUST be treated as invalid or replaced by SP; llhttp accepts some"}},
    {"bare LF line terminator",
     {"bare-lf", "RFC 9112 §2.2",
      "we are strict (bare_lf is an off-by-default leniency); the RFC MAY-accepts a bare LF, llhttp does"}},
    {"too many empty lines before the request-line",
     {"leading-empty-lines", "RFC 9112 §2.2",
      "SHOULD ignore at least one empty line; we bound how many (invariant 4), llhttp does not"}},
    {"invalid method",
     {"invalid-method", "RFC 9110 §9.1",
      "method = token; llhttp tokenises methods by its own table and may reject later or differently"}},
    {"invalid Content-Length",
     {"invalid-content-length", "RFC 9110 §8.6",
      "Content-Length = 1*DIGIT; llhttp accepts some forms (e.g. leading/trailing whitespace variants)"}},
    {"more than one Content-Length",
     {"duplicate-content-length", "RFC 9112 §6.3 item 5",
      "differing or repeated Content-Length is unrecoverable framing: reject"}},
    {"malformed Transfer-Encoding",
     {"invalid-transfer-encoding", "RFC 9112 §6.1, RFC 9110 §10.1.4",
      "Transfer-Encoding = #transfer-coding; empty elements/odd syntax rejected"}},
    {"invalid chunk extension",
     {"invalid-chunk-ext", "RFC 9112 §7.1.1",
      "chunk-ext = *( BWS \";\" BWS chunk-ext-name [ BWS \"=\" BWS chunk-ext-val ] ); llhttp accepts some bytes we "
      "reject"}},
    {"chunk data not followed by CRLF",
     {"chunk-data-crlf", "RFC 9112 §7.1", "chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF"}},
}};

// Limits are ours alone (design invariant 3 of docs/invariants.md, RFC 9112 §2.3/§3/§5): llhttp has
// none, so any 413/414/431 of ours, or 501 for an over-long method, is one.
constexpr Difference kLimit = {"limit", "RFC 9112 §3 (414), RFC 6585 §5 (431), RFC 9110 §15.5.14 (413)",
                               "a fixed buffer is a limit, never a reason to grow; llhttp has no limits"};

// ---- Rejections only llhttp makes -----------------------------------------
struct TheirsOnly {
  std::string_view their_reason;
  Difference difference;
};

constexpr std::array<TheirsOnly, 15> kTheirsOnly = {{
    {"Expected HTTP/2 Connection Preface",
     {"pri-method", "RFC 9110 §9.1, RFC 9113 §3.4",
      "PRI is an ordinary token in an HTTP/1.x request-line; only \"PRI * HTTP/2.0\" is the HTTP/2 preface (we answer "
      "that 505)"}},
    {"Unexpected char in url schema",
     {"uri-scheme-chars", "RFC 3986 §3.1",
      "scheme = ALPHA *( ALPHA / DIGIT / \"+\" / \"-\" / \".\" ); llhttp takes letters only"}},
    {"Expected space after method",
     {"unregistered-method", "RFC 9110 §9.1",
      "a method is any token (e.g. \"GET&\"); llhttp matches its table and rejects the rest"}},
    {"Invalid `Transfer-Encoding` header value",
     {"te-list-syntax", "RFC 9110 §5.6.1, §6.5.1",
      "a recipient MUST accept empty list elements (\", ,chunked, ,\"); and a Transfer-Encoding trailer field does not "
      "frame the message"}},
    {"Request has invalid `Transfer-Encoding`",
     {"te-list-syntax", "RFC 9110 §5.5, §5.6.1",
      "OWS (SP / HTAB) around a list element is not part of it: \"chunked \\t\" is chunked"}},
    {"Invalid character in chunk size",
     {"chunk-ext-bws", "RFC 9112 §7.1.1",
      "chunk-ext = *( BWS \";\" ...): whitespace between chunk-size and ';' is BWS, allowed"}},
    {"Invalid method encountered",
     {"unregistered-method", "RFC 9110 §9.1, §16.1",
      "methods are extensible tokens; llhttp only knows its registered table"}},
    {"Invalid method for HTTP/x.x request",
     {"unregistered-method", "RFC 9110 §9.1", "llhttp ties some methods to other protocols (RTSP/ICE)"}},
    {"Expected HTTP/",
     {"unregistered-method", "RFC 9110 §9.1",
      "llhttp's method table prefix-matches (e.g. a method starting PRI/SOURCE)"}},
    {"Invalid character in chunk extensions",
     {"chunk-ext-bws", "RFC 9112 §7.1.1",
      "BWS around ';' and '=' in chunk extensions is allowed by the grammar; llhttp rejects it"}},
    {"Invalid character in chunk extensions name",
     {"chunk-ext-bws", "RFC 9112 §7.1.1", "BWS around ';' and '=' in chunk extensions is allowed by the grammar"}},
    {"Invalid character in chunk extensions value",
     {"chunk-ext-bws", "RFC 9112 §7.1.1", "BWS around ';' and '=' in chunk extensions is allowed by the grammar"}},
    {"Invalid character in chunk extensions quoted value",
     {"chunk-ext-quoted", "RFC 9112 §7.1.1, RFC 9110 §5.6.4",
      "quoted-string allows HTAB, SP, obs-text and quoted-pair"}},
    {"Invalid HTTP version",
     {"http1x-version", "RFC 9110 §6.2",
      "HTTP/1.2-1.9 are handled as 1.1 (a server SHOULD answer with its highest minor version)"}},
    {"Invalid minor version",
     {"http1x-version", "RFC 9110 §6.2", "HTTP/1.x with any minor digit is a valid HTTP-version"}},
}};

// ---- llhttp rejects on a prefix that we still wait on -----------------------
// We judge a field line, request-line or chunk line once it is whole (its
// CRLF seen); llhttp rejects at the offending byte. Only when our outcome is
// incomplete at that point: the same rule, noticed at different moments.
constexpr Difference kEarly = {"rejected-mid-line", "RFC 9112 §2.2",
                               "we validate a line once it is complete; llhttp rejects at the offending byte"};
constexpr std::array<std::string_view, 32> kEarlyReasons = {
    "Empty Content-Length",
    "Double @ in url",
    "Expected CRLF after version",
    "Expected space after version",
    "Expected LF after CR",
    "Missing expected LF after header value",
    "Expected CRLF",
    "Expected LF after headers",
    "Expected LF after chunk size",
    "Expected CRLF after chunk",
    "Invalid minor version",
    "Invalid HTTP version",
    "Invalid character in chunk size",
    "Chunk size overflow",
    "Invalid `Transfer-Encoding` header value",
    "Unexpected space after start line",
    "Invalid character in Content-Length",
    "Invalid header value char",
    "Invalid header token",
    "Invalid header field char",
    "Invalid characters in url",
    "Invalid char in url path",
    "Invalid char in url query",
    "Invalid char in url fragment start",
    "Unexpected start char in url",
    "Unexpected char in url server",
    "Unexpected char in url schema",
    "Expected HTTP/",
    "Expected dot",
    "Invalid major version",
    "Content-Length overflow",
    "Duplicate Content-Length",
};

// ---- Both accept, messages differ -----------------------------------------
constexpr Difference kVersionAs11 = {"http1x-as-11", "RFC 9110 §6.2",
                                     "a 1.x request with x >= 2 is handled as 1.1; llhttp reports the digits it saw"};
constexpr Difference kConnectionOws = {
    "connection-option-ows", "RFC 9110 §5.5, §7.6.1; RFC 9112 §9.3",
    "field values exclude surrounding OWS: \"close\\t\" is close, and \"keep-alive\\t\" keeps an HTTP/1.0 connection; "
    "llhttp misses the option and keeps (or closes) the connection"};
constexpr Difference kConnectionTrailer = {
    "connection-in-trailer", "RFC 9110 §6.5.1, §7.6.1",
    "Connection is not allowed in a trailer section; llhttp acts on a trailer \"Connection: close\""};
constexpr Difference kTrailingEmptyLines = {"trailing-empty-lines", "RFC 9112 §2.2",
                                            "empty lines after a message may precede the next request-line (SHOULD "
                                            "ignore); we count them as a request begun, llhttp as nothing"};
constexpr Difference kFramingTrailer = {
    "framing-field-in-trailer", "RFC 9110 §6.5.1, §6.5.2",
    "Content-Length / Transfer-Encoding in a trailer section do not frame anything (trailers are not merged for "
    "framing); llhttp validates them as framing and rejects"};
constexpr Difference kUpgrade = {"upgrade-not-switched", "RFC 9110 §7.8, RFC 9112 §9.3.2",
                                 "a server that does not agree to Upgrade (or CONNECT) keeps reading HTTP/1.1; llhttp "
                                 "hands the rest of the connection to the new protocol"};
constexpr Difference kContentLengthOws = {"content-length-ows", "RFC 9110 §5.5, §8.6; RFC 9112 §5.1",
                                          "OWS (SP / HTAB) around a field value is not part of it, so \"5\\t\" is "
                                          "Content-Length 5; llhttp takes SP after the digits but not HTAB"};
constexpr Difference kConnectBody = {
    "connect-body-framing", "RFC 9110 §9.3.6",
    "a CONNECT request has no content and what follows its head is not HTTP/1.1; llhttp ends the message at the head "
    "(a tunnel), we read the body its framing fields announce (the server then answers 501 and closes)"};
constexpr Difference kBothReject = {"both-reject-other-status", "RFC 9110 §15.5",
                                    "both reject at the same message; which 4xx/5xx is a server's choice"};

// ---- What one llhttp lenient flag adds ----------------------------------------
// Each is expected only under its profile (conformance/adapters/
// llhttp_adapter.h names the flags and their risks), so the review of a
// leniency is the list below.
constexpr std::string_view kLenientHeaders = "llhttp-lenient-headers";
constexpr std::string_view kLenientChunkedLength = "llhttp-lenient-chunked_length";
constexpr std::string_view kLenientKeepAlive = "llhttp-lenient-keep_alive";
constexpr std::string_view kLenientTransferEncoding = "llhttp-lenient-transfer_encoding";
constexpr std::string_view kLenientVersion = "llhttp-lenient-version";

// Our rejection that the flag turns into an llhttp acceptance.
struct LenientOurs {
  std::string_view profile;
  std::string_view our_reason;
  Difference difference;
};

constexpr std::array<LenientOurs, 6> kLenientOurs = {{
    {kLenientHeaders,
     "invalid character in field value",
     {"lenient-headers-value", "RFC 9110 §5.5",
      "field-value = *field-content: CTLs other than HTAB are invalid; lenient_headers skips the value check, so they "
      "reach the application"}},
    {kLenientHeaders,
     "bare CR not followed by LF",
     {"lenient-headers-bare-cr", "RFC 9112 §2.2",
      "a bare CR MUST be treated as invalid or replaced by SP; lenient_headers passes it through inside a value"}},
    {kLenientChunkedLength,
     "both Transfer-Encoding and Content-Length",
     {"lenient-chunked_length", "RFC 9112 §6.1, §6.3 item 3",
      "a request with both is a smuggling vector that a server MAY reject and must then close; lenient_chunked_length "
      "lets chunked win and keeps the connection"}},
    {kLenientTransferEncoding,
     "chunked is not the final transfer coding",
     {"lenient-transfer_encoding", "RFC 9112 §6.3 item 4",
      "a request whose final coding is not chunked MUST get 400 and close; lenient_transfer_encoding accepts it"}},
    {kLenientVersion,
     "HTTP version not supported",
     {"lenient-version", "RFC 9110 §15.6.6, RFC 9112 §2.3",
      "a major version other than 1 gets 505; lenient_version parses any HTTP/x.y as HTTP/1"}},
    {kLenientVersion,
     "malformed HTTP-version",
     {"lenient-version-syntax", "RFC 9112 §2.3",
      "HTTP-version = \"HTTP/\" DIGIT \".\" DIGIT; lenient_version accepts other digits"}},
}};

constexpr Difference kLenientRequestsAfterClose = {
    "lenient-keep_alive", "RFC 9112 §9.6",
    "a server MUST NOT process further requests after one that closes the connection (Connection: close, or HTTP/1.0 "
    "without keep-alive); lenient_keep_alive parses them"};
constexpr Difference kLenientBodyUntilClose = {
    "lenient-te-body-until-close", "RFC 9112 §6.3 items 4, 6; RFC 9110 §5.6.1",
    "a request body is never delimited by closing the connection; with lenient_transfer_encoding or "
    "lenient_chunked_length, a Transfer-Encoding llhttp cannot read as chunked (empty list elements, OWS) makes it "
    "read to the end, where we decode chunked"};

using ::shockwave::testing::iequals;

bool has_field(const std::vector<conformance::Field>& fields, std::string_view name) {
  for (const auto& f : fields) {
    if (iequals(f.first, name)) return true;
  }
  return false;
}

// digits_only_content_length: the message's one Content-Length value (OWS
// already trimmed) is 1*DIGIT.
bool digits_only_content_length(const Message& m) {
  for (const auto& f : m.headers) {
    if (!iequals(f.first, "Content-Length")) continue;
    return !f.second.empty() && f.second.find_first_not_of("0123456789") == std::string::npos;
  }
  return false;
}

// body_to_end: theirs is a request with Transfer-Encoding whose body runs to
// the end of the input (close-delimited framing).
bool body_to_end(std::string_view input, const Message& theirs) {
  return has_field(theirs.headers, "Transfer-Encoding") && theirs.body.size() <= input.size() &&
         input.substr(input.size() - theirs.body.size()) == theirs.body;
}

// same_head: the messages are equal but for the body and trailers.
bool same_head(const Message& ours, Message theirs) {
  theirs.body = ours.body;
  theirs.trailers = ours.trailers;
  return theirs == ours;
}

// keep_alive_difference explains messages equal but for keep-alive.
const Difference* keep_alive_difference(const Message& ours, Message theirs) {
  if (ours.keep_alive == theirs.keep_alive) return nullptr;
  theirs.keep_alive = ours.keep_alive;
  if (!(ours == theirs)) return nullptr;
  if (!ours.keep_alive && has_field(ours.headers, "Connection")) return &kConnectionOws;
  if (ours.keep_alive && ours.version == "HTTP/1.0" && has_field(ours.headers, "Connection")) return &kConnectionOws;
  if (ours.keep_alive && has_field(ours.trailers, "Connection")) return &kConnectionTrailer;
  return nullptr;
}

Message normalise(const Message& ours, Message theirs) {
  // http1x-as-11: llhttp's version "HTTP/1.x", x in 2..9, is ours "HTTP/1.1".
  if (theirs.version.size() == 8 && theirs.version.compare(0, 7, "HTTP/1.") == 0 && theirs.version[7] >= '2' &&
      theirs.version[7] <= '9') {
    theirs.version = "HTTP/1.1";
  }
  (void)ours;
  return theirs;
}

}  // namespace

std::span<const Difference> differences() {
  static const auto all = [] {
    std::array<Difference, kOursOnly.size() + kTheirsOnly.size() + kLenientOurs.size() + 13> a{};
    std::size_t i = 0;
    for (const auto& e : kLenientOurs) a[i++] = e.difference;
    a[i++] = kLenientRequestsAfterClose;
    a[i++] = kLenientBodyUntilClose;
    for (const auto& e : kOursOnly) a[i++] = e.difference;
    for (const auto& e : kTheirsOnly) a[i++] = e.difference;
    a[i++] = kLimit;
    a[i++] = kVersionAs11;
    a[i++] = kBothReject;
    a[i++] = kConnectionOws;
    a[i++] = kConnectionTrailer;
    a[i++] = kEarly;
    a[i++] = kUpgrade;
    a[i++] = kConnectBody;
    a[i++] = kContentLengthOws;
    a[i++] = kFramingTrailer;
    a[i++] = kTrailingEmptyLines;
    return a;
  }();
  return all;
}

const Difference* classify(std::string_view profile, std::string_view input, const ParseOutcome& ours,
                           const ParseOutcome& theirs) {
  const bool lenient_te = profile == kLenientTransferEncoding || profile == kLenientChunkedLength;
  // First message where they diverge.
  std::size_t i = 0;
  const Difference* normalised = nullptr;
  while (i < ours.messages.size() && i < theirs.messages.size()) {
    if (!(ours.messages[i] == theirs.messages[i])) {
      if (theirs.messages[i].method == "CONNECT" && same_head(ours.messages[i], theirs.messages[i])) {
        return &kConnectBody;
      }
      if (lenient_te && i + 1 == theirs.messages.size() && body_to_end(input, theirs.messages[i]) &&
          same_head(ours.messages[i], theirs.messages[i])) {
        return &kLenientBodyUntilClose;
      }
      const Message t = normalise(ours.messages[i], theirs.messages[i]);
      if (!(t == ours.messages[i])) return keep_alive_difference(ours.messages[i], t);
      normalised = &kVersionAs11;
    }
    ++i;
  }
  const bool ours_stop = i == ours.messages.size();
  const bool theirs_stop = i == theirs.messages.size();
  // llhttp ended a CONNECT at its head; we wait for the body it announced.
  if (ours_stop && !theirs_stop && ours.ok() && ours.incomplete && theirs.messages[i].method == "CONNECT") {
    return &kConnectBody;
  }
  if (ours_stop && theirs_stop) {
    // Same messages; the endings differ (or only a normalisation did).
    if (ours.error && theirs.error) return &kBothReject;
    if (ours.error == theirs.error && ours.incomplete == theirs.incomplete && ours.consumed == theirs.consumed) {
      return normalised;
    }
    if (ours.ok() && theirs.ok() && ours.consumed == theirs.consumed && ours.incomplete != theirs.incomplete &&
        ours.consumed <= input.size() &&
        input.substr(ours.consumed).find_first_not_of("\r\n") == std::string_view::npos) {
      return &kTrailingEmptyLines;
    }
  }
  // Whatever llhttp makes of the bytes after a request that closes the
  // connection is lenient_keep_alive's doing: we stop there.
  if (profile == kLenientKeepAlive && ours_stop && ours.ok() && !ours.incomplete && i > 0 &&
      !ours.messages[i - 1].keep_alive) {
    return &kLenientRequestsAfterClose;
  }
  // We wait for the rest of a chunked body that llhttp read to the end.
  if (lenient_te && ours_stop && ours.ok() && ours.incomplete && i + 1 == theirs.messages.size() && theirs.ok() &&
      body_to_end(input, theirs.messages[i])) {
    return &kLenientBodyUntilClose;
  }
  // llhttp stopped after an Upgrade / CONNECT request; we read on.
  if (theirs_stop && theirs.ok() && !theirs.incomplete && i > 0 &&
      (has_field(theirs.messages[i - 1].headers, "Upgrade") || theirs.messages[i - 1].method == "CONNECT")) {
    return &kUpgrade;
  }
  // The side that stopped first with an error names the rule.
  if (ours_stop && ours.error) {
    const int s = ours.error->status;
    if (s == 413 || s == 414 || s == 431 || s == 501) return &kLimit;
    for (const auto& e : kLenientOurs) {
      if (e.profile == profile && e.our_reason == ours.error->reason) return &e.difference;
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
    if (!ours_stop) {
      const auto& trailers = ours.messages[i].trailers;
      if ((has_field(trailers, "Content-Length") || has_field(trailers, "Transfer-Encoding")) &&
          (theirs.error->reason.find("Content-Length") != std::string::npos ||
           theirs.error->reason.find("Transfer-Encoding") != std::string::npos)) {
        return &kFramingTrailer;
      }
    }
    // We took a Content-Length whose trimmed value is all digits: only the
    // whitespace around it can have stopped llhttp.
    if (!ours_stop && theirs.error->reason == "Invalid character in Content-Length" &&
        digits_only_content_length(ours.messages[i])) {
      return &kContentLengthOws;
    }
    for (const auto& e : kTheirsOnly) {
      if (e.their_reason == theirs.error->reason) return &e.difference;
    }
    return nullptr;
  }
  return nullptr;
}

}  // namespace shockwave::fuzz
