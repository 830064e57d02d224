#ifndef SHOCKWAVE_SERVER_HTTP1_TESTING_CHUNKED_VECTORS_H_
#define SHOCKWAVE_SERVER_HTTP1_TESTING_CHUNKED_VECTORS_H_

// The RFC 9112 §7.1 test vectors (requirements file rows R-7.1-*, R-7.1.1-*,
// R-7.1.2-*, R-7.1.3-1 and smuggling classes 11-18, 35), as chunked bodies
// without the head. chunked_decoder_test runs them through ChunkedDecoder;
// request_parser_test runs them after
//   POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n
// with default options. Vectors whose bytes go on past the body live in the
// tests themselves (what follows is the next request's business).

#include <string>
#include <string_view>
#include <vector>

#include "server/http1/error.h"
#include "server/http1/testing/split.h"

namespace shockwave::http1::testing {

struct ChunkedVector {
  enum class Outcome { kDecoded, kIncomplete, kRejected };
  std::string label;
  std::string body;
  Outcome outcome;
  std::string decoded;         // kDecoded, kIncomplete: the body decoded (so far)
  Fields trailers;             // kDecoded
  Error error = Error::kNone;  // kRejected
  int status = 0;              // kRejected: error_status(error)
};

inline ChunkedVector Decoded(std::string label, std::string body, std::string decoded, Fields trailers = {}) {
  return {std::move(label), std::move(body), ChunkedVector::Outcome::kDecoded, std::move(decoded), std::move(trailers)};
}
inline ChunkedVector Incomplete(std::string label, std::string body, std::string decoded) {
  return {std::move(label), std::move(body), ChunkedVector::Outcome::kIncomplete, std::move(decoded), {}};
}
inline ChunkedVector Rejected(std::string label, std::string body, Error error, int status) {
  return {std::move(label), std::move(body), ChunkedVector::Outcome::kRejected, {}, {}, error, status};
}

inline std::string Repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

using namespace std::string_literals;

// RFC 9112 §7.1: chunk-size = 1*HEXDIG; at most 16 digits (our cap, leading
// zeros included); never wraps.
inline const std::vector<ChunkedVector> kChunkSizeVectors = {
    Decoded("lowercase hex size", "a\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
    Decoded("uppercase hex size", "A\r\n0123456789\r\n0\r\n\r\n", "0123456789"),
    Decoded("leading zeros", "0005\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("16 digits, leading zeros included", "0000000000000005\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("several chunks (R-7.1.3-1: decoded length is the sum)", "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", "abcde"),
    Decoded("chunk data is opaque: CRLF, NUL and high bytes inside", "6\r\n\r\n\x00\xff\n\r\r\n0\r\n\r\n"s,
            "\r\n\x00\xff\n\r"s),
    Rejected("17 digits (cap)", "00000000000000005\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("1000 zeros then 5 (digit cap)", Repeat("0", 1000) + "5\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize,
             400),
    Rejected("2^64 would wrap to 0", "10000000000000000\r\nx\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("2^64+5 would wrap to 5", "10000000000000005\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("u64 max is over max_body", "FFFFFFFFFFFFFFFF\r\n", Error::kBodyTooLarge, 413),
    Rejected("0x prefix", "0x5\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("0X prefix", "0X5\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("plus sign", "+5\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("minus zero", "-0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("underscore (CVE-2023-47627)", "0_2e\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", Error::kInvalidChunkSize,
             400),
    Rejected("leading spaces", "   0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("leading tab", "\t5\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("empty chunk-size line is not 0", "\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("not hex", "g\r\n", Error::kInvalidChunkSize, 400),
    Rejected("trailing garbage after the digits", "1these-bytes-never-get-validated\r\nx\r\n0\r\n\r\n",
             Error::kInvalidChunkSize, 400),
    Rejected("digits then a letter", "5x\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("un-chunk confusion (transducer #17): empty size line after a 0x17 chunk",
             "17\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n\r\n\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
};

// RFC 9112 §7.1.1: BWS is allowed before ";" only; whitespace without a
// following extension is invalid.
inline const std::vector<ChunkedVector> kChunkSizeWhitespaceVectors = {
    Decoded("BWS before ;", "5 ;a=b\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("HTAB before ;", "5\t;a\r\nhello\r\n0\r\n\r\n", "hello"),
    Rejected("SP after the size, no extension", "5 \r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("HTAB after the size, no extension", "5\t\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("two sizes", "5 5\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
};

// RFC 9112 §7.1: chunk-data is exactly chunk-size octets, then CRLF.
inline const std::vector<ChunkedVector> kChunkDataVectors = {
    Decoded("one chunk", "5\r\nhello\r\n0\r\n\r\n", "hello"),
    Rejected("data spills past the size", "5\r\nhelloXY\r\n0\r\n\r\n", Error::kInvalidChunkData, 400),
    Rejected("CRLF missing after the data", "5\r\nhello0\r\n\r\n", Error::kInvalidChunkData, 400),
    Rejected("bare CR after the data", "5\r\nhello\r0\r\n\r\n", Error::kInvalidChunkData, 400),
    Rejected("CR CR LF after the data", "5\r\nhello\r\r\n0\r\n\r\n", Error::kInvalidChunkData, 400),
    Rejected("bare LF after the data (HAProxy, transducer #13)", "a\r\n0123456789\n0\r\n\r\n", Error::kInvalidChunkData,
             400),
};

// RFC 9112 §7.1: last-chunk = 1*("0") [ chunk-ext ] CRLF, trailers, CRLF;
// until then the body is incomplete (§8).
inline const std::vector<ChunkedVector> kLastChunkVectors = {
    Decoded("last-chunk of several zeros", "000\r\n\r\n", ""),
    Decoded("last-chunk with an extension", "0;x=y\r\n\r\n", ""),
    Decoded("last-chunk with a trailer", "0\r\nX: y\r\n\r\n", "", {{"X", "y"}}),
    Incomplete("no last-chunk yet", "5\r\nhello\r\n", "hello"),
    Incomplete("inside chunk data", "5\r\nhel", "hel"),
    Incomplete("last-chunk, no final CRLF", "0\r\n", ""),
    Incomplete("last-chunk, final CR only", "0\r\n\r", ""),
    Incomplete("inside a trailer line", "0\r\nX: y", ""),
};

// RFC 9112 §7.1.1: chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS value ] ),
// value = token / quoted-string; unknown extensions are ignored.
inline const std::vector<ChunkedVector> kChunkExtensionVectors = {
    Decoded("name only", "5;a\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("token value", "5;a=b\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("quoted value with SP and ;", "5;a=\"b c;d\"\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("BWS everywhere", "5 ; a = b ; c\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("quoted-pair", "5;a=\"x\\\"y\"\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("empty quoted string", "5;a=\"\"\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("obs-text in a quoted string", "5;a=\"\xff\"\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("quoted-pair escaping HTAB, SP and obs-text", "5;a=\"\\\t\\ \\\xff\"\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("several extensions", "5;a=b;c=d;e\r\nhello\r\n0\r\n\r\n", "hello"),
    Decoded("unknown extensions are ignored", "5;unknown=1\r\nhello\r\n0;also=2\r\n\r\n", "hello"),
    Rejected("bare ;", "5;\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("no name", "5;=b\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("= without value", "5;a=\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("SP inside a token value", "5;a=b c\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("unterminated quote", "5;a=\"b\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("non-token name", "5;[x]\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("trailing ;", "5;a=b;\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("CR inside a quoted string", "5;a=\"x\ry\"\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("LF inside a quoted string", "5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("DEL inside a quoted string",
             "5;a=\"x\x7f"
             "y\"\r\nhello\r\n0\r\n\r\n",
             Error::kInvalidChunkExtension, 400),
    Rejected("CTL inside a quoted string", "5;a=\"x\x01y\"\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("quoted-pair escaping a CTL", "5;a=\"x\\\x01y\"\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension,
             400),
    Rejected("quoted-pair escaping DEL",
             "5;a=\"x\\\x7f"
             "y\"\r\nhello\r\n0\r\n\r\n",
             Error::kInvalidChunkExtension, 400),
    Rejected("NUL in an extension",
             "5;\x00"
             "ext\r\nhello\r\n0\r\n\r\n"s,
             Error::kInvalidChunkExtension, 400),
    Rejected("NUL after an extension name", "5;a\x00\r\nhello\r\n0\r\n\r\n"s, Error::kInvalidChunkExtension, 400),
    Rejected("extensions over 4096 bytes (Go CVE-2023-39326 class)",
             "5;a=" + std::string(65536, 'x') + "\r\nhello\r\n0\r\n\r\n", Error::kChunkExtensionsTooLarge, 400),
    Rejected("tiny chunks with heavy extensions add up", Repeat("1;aaaaaaaa\r\nx\r\n", 1000) + "0\r\n\r\n",
             Error::kChunkExtensionsTooLarge, 400),
};

// RFC 9112 §2.2, §7.1 and errata 7633: chunked framing is CRLF only; a bare
// CR or LF anywhere in it is an error (no leniency applies here).
inline const std::vector<ChunkedVector> kChunkedLineEndingVectors = {
    Rejected("bare LF after the size (Go CVE-2025-22871)", "5\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("bare LF after the last-chunk", "0\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("bare LF ends the trailer section", "0\r\n\n", Error::kBareLF, 400),
    Rejected("bare LF ends a trailer line", "0\r\nX: y\n\r\n", Error::kBareLF, 400),
    Rejected("bare LF ends an extension (protocol-http1 CVE-2023-38697)", "5;\nhello\r\n0\r\n\r\n",
             Error::kInvalidChunkExtension, 400),
    Rejected("bare LF after an extension name", "5;a\nhello\r\n0\r\n\r\n", Error::kInvalidChunkExtension, 400),
    Rejected("bare CR inside the size line", "5;a\rX\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
    Rejected("CR CR before an extension (transducer #3)", "2\r\r;a\r\n02\r\n41\r\n0\r\n\r\n", Error::kInvalidChunkSize,
             400),
    Rejected("CR then any byte is no line end (Node/llhttp, #31)", "5\r\r;ABCD\r\n34\r\nE\r\n0\r\n\r\n",
             Error::kInvalidChunkSize, 400),
    Rejected("bare CR in the trailer section's last line", "0\r\n\r\r\n", Error::kBareCR, 400),
};

// RFC 9112 §7.1.2: trailer fields follow the field-line rules, with the
// header section's size limit; they never change framing or routing.
inline const std::vector<ChunkedVector> kTrailerVectors = {
    Decoded("one trailer", "0\r\nX-Sum: 1\r\n\r\n", "", {{"X-Sum", "1"}}),
    Decoded("OWS trimmed", "0\r\nX: \t v w \t\r\n\r\n", "", {{"X", "v w"}}),
    Decoded("framing and routing fields are just trailers",
            "0\r\nContent-Length: 100\r\nHost: evil\r\nTransfer-Encoding: chunked\r\n\r\n", "",
            {{"Content-Length", "100"}, {"Host", "evil"}, {"Transfer-Encoding", "chunked"}}),
    Decoded("a request-line is just a trailer value (Puma, #39)", "0\r\nX:POST / HTTP/1.1\r\n\r\n", "",
            {{"X", "POST / HTTP/1.1"}}),
    Decoded("data and trailers", "5\r\nhello\r\n0\r\nA: 1\r\nB: 2\r\n\r\n", "hello", {{"A", "1"}, {"B", "2"}}),
    Rejected("whitespace before the colon", "0\r\nX : y\r\n\r\n", Error::kWhitespaceBeforeColon, 400),
    Rejected("obs-fold", "0\r\nX: a\r\n b\r\n\r\n", Error::kObsFold, 400),
    Rejected("whitespace-led first trailer", "0\r\n y: z\r\n\r\n", Error::kObsFold, 400),
    Rejected("bare LF between trailers", "0\r\nX: a\nY: b\r\n\r\n", Error::kBareLF, 400),
    Rejected("empty name", "0\r\n: y\r\n\r\n", Error::kInvalidFieldName, 400),
    Rejected("no colon", "0\r\nFoo\r\n\r\n", Error::kInvalidFieldName, 400),
    Rejected("NUL in a value",
             "0\r\nX: a\x00"
             "b\r\n\r\n"s,
             Error::kInvalidFieldValue, 400),
    Rejected("bare CR in a value", "0\r\nX: a\rb\r\n\r\n", Error::kBareCR, 400),
    Rejected("more trailers than the field storage holds", "0\r\n" + Repeat("X: y\r\n", 100) + "\r\n",
             Error::kTooManyFields, 431),
};

// Every table above, in order, with its section's name.
struct ChunkedSection {
  const char* name;
  const std::vector<ChunkedVector>* vectors;
};
inline const ChunkedSection kChunkedSections[] = {
    {"7.1 chunk-size", &kChunkSizeVectors},
    {"7.1.1 BWS after chunk-size", &kChunkSizeWhitespaceVectors},
    {"7.1 chunk-data", &kChunkDataVectors},
    {"7.1 last-chunk and incomplete bodies", &kLastChunkVectors},
    {"7.1.1 chunk extensions", &kChunkExtensionVectors},
    {"2.2 + 7.1 line endings in chunked framing", &kChunkedLineEndingVectors},
    {"7.1.2 trailer section", &kTrailerVectors},
};

}  // namespace shockwave::http1::testing

#endif  // SHOCKWAVE_SERVER_HTTP1_TESTING_CHUNKED_VECTORS_H_
