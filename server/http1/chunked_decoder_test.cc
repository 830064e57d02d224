// ChunkedDecoder: RFC 9112 §7.1 chunked transfer coding, decoded in place.
//
// Every case goes through DecodeAllWays (testing/split.h): one read, byte by
// byte and two reads split at every offset, each on a fresh copy flush against
// a guard page; all deliveries must agree. The vectors shared with
// request_parser_test are in testing/chunked_vectors.h.

#include "server/http1/chunked_decoder.h"

#include <gtest/gtest.h>
#include <time.h>

#include <string>
#include <vector>

#include "server/http1/testing/chunked_vectors.h"
#include "server/http1/testing/guarded_buffer.h"
#include "server/http1/testing/split.h"

namespace shockwave::http1 {
namespace {

using testing::ChunkedVector;
using testing::DecodeAllWays;
using testing::DecodeConfig;
using testing::Decoded;
using testing::DecodeOutcome;
using testing::escape;
using testing::Fields;
using testing::Incomplete;
using testing::Rejected;
using testing::Repeat;
using namespace std::string_literals;

void ExpectOutcome(const DecodeOutcome& got, const ChunkedVector& want) {
  switch (want.outcome) {
    case ChunkedVector::Outcome::kDecoded:
      EXPECT_EQ(got.status, ParseStatus::kComplete);
      EXPECT_EQ(got.decoded, want.decoded);
      EXPECT_EQ(got.trailers, want.trailers);
      EXPECT_EQ(got.consumed, want.body.size()) << "consumed() is the body's size on the wire";
      break;
    case ChunkedVector::Outcome::kIncomplete:
      EXPECT_EQ(got.status, ParseStatus::kIncomplete);
      EXPECT_EQ(got.decoded, want.decoded) << "decoded_size() covers the data received so far";
      break;
    case ChunkedVector::Outcome::kRejected:
      EXPECT_EQ(error_status(want.error), want.status) << "the table's status for " << want.error;
      EXPECT_EQ(got.status, ParseStatus::kError);
      EXPECT_EQ(got.error, want.error);
      break;
  }
}

void RunVectors(const std::vector<ChunkedVector>& vectors, const DecodeConfig& config = {}) {
  for (const ChunkedVector& v : vectors) {
    SCOPED_TRACE(v.label + ": \"" + escape(v.body.size() > 200 ? v.body.substr(0, 200) + "..." : v.body) + "\"");
    ExpectOutcome(DecodeAllWays(v.body, config), v);
  }
}

// ---------------------------------------------------------------------------
// The shared RFC vectors, one test per section.

TEST(ChunkedDecoder_Rfc9112_7_1, ChunkSize) { RunVectors(testing::kChunkSizeVectors); }
TEST(ChunkedDecoder_Rfc9112_7_1_1, WhitespaceAfterChunkSize) { RunVectors(testing::kChunkSizeWhitespaceVectors); }
TEST(ChunkedDecoder_Rfc9112_7_1, ChunkData) { RunVectors(testing::kChunkDataVectors); }
TEST(ChunkedDecoder_Rfc9112_7_1, LastChunkAndIncompleteBodies) { RunVectors(testing::kLastChunkVectors); }
TEST(ChunkedDecoder_Rfc9112_7_1_1, ChunkExtensions) { RunVectors(testing::kChunkExtensionVectors); }
TEST(ChunkedDecoder_Rfc9112_2_2, LineEndingsInChunkedFraming) { RunVectors(testing::kChunkedLineEndingVectors); }
TEST(ChunkedDecoder_Rfc9112_7_1_2, TrailerSection) { RunVectors(testing::kTrailerVectors); }

// Errata 7633: the bare-LF leniency of §2.2 never reaches chunked framing,
// and obs-fold is never unfolded in trailers.
TEST(ChunkedDecoder_Leniency, NeverAppliesToChunkedFraming) {
  DecodeConfig lenient;
  lenient.options.leniency.bare_lf = true;
  lenient.options.leniency.obs_fold = true;
  RunVectors(testing::kChunkedLineEndingVectors, lenient);
  RunVectors({Rejected("obs-fold in a trailer, obs_fold on", "0\r\nX: a\r\n b\r\n\r\n", Error::kObsFold, 400)},
             lenient);
}

// ---------------------------------------------------------------------------
// Limits: each at N (accepted) and N+1 (rejected), with small custom limits,
// then the defaults.

DecodeConfig WithLimits(void (*set)(ParserLimits&)) {
  DecodeConfig config;
  set(config.options.limits);
  return config;
}

TEST(ChunkedDecoder_Limits, ChunkSizeDigits) {
  RunVectors(
      {
          Decoded("2 digits, cap 2", "05\r\nhello\r\n0\r\n\r\n", "hello"),
          Rejected("3 digits, cap 2", "005\r\nhello\r\n0\r\n\r\n", Error::kInvalidChunkSize, 400),
          Decoded("the last-chunk's zeros count too: 2", "00\r\n\r\n", ""),
          Rejected("the last-chunk's zeros count too: 3", "000\r\n\r\n", Error::kInvalidChunkSize, 400),
      },
      WithLimits([](ParserLimits& l) { l.max_chunk_size_digits = 2; }));
}

TEST(ChunkedDecoder_Limits, MaxBodyIsTheSumOfChunkSizes) {
  RunVectors(
      {
          Decoded("one chunk of max_body", "5\r\nhello\r\n0\r\n\r\n", "hello"),
          Decoded("chunks summing to max_body", "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", "abcde"),
          Rejected("one chunk of max_body + 1", "6\r\nhello!\r\n0\r\n\r\n", Error::kBodyTooLarge, 413),
          Rejected("chunks summing to max_body + 1", "3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n", Error::kBodyTooLarge, 413),
          Rejected("rejected at the size line, before the data", "6\r\n", Error::kBodyTooLarge, 413),
      },
      WithLimits([](ParserLimits& l) { l.max_body = 5; }));
}

// Extension bytes are every byte between a chunk-size and its CRLF, summed
// over the whole body (RFC 9112 §7.1.1: "ought to limit the total length").
TEST(ChunkedDecoder_Limits, ChunkExtensionBytes) {
  RunVectors(
      {
          Decoded("\";a=b\" is 4 bytes", "5;a=b\r\nhello\r\n0\r\n\r\n", "hello"),
          Decoded("BWS counts: \" ;ab\" is 4 bytes", "5 ;ab\r\nhello\r\n0\r\n\r\n", "hello"),
          Rejected("\";a=bc\" is 5 bytes", "5;a=bc\r\nhello\r\n0\r\n\r\n", Error::kChunkExtensionsTooLarge, 400),
          Decoded("summed over chunks: 2 + 2", "1;a\r\nx\r\n1;b\r\ny\r\n0\r\n\r\n", "xy"),
          Rejected("summed over chunks: 2 + 3", "1;a\r\nx\r\n1;bc\r\ny\r\n0\r\n\r\n", Error::kChunkExtensionsTooLarge,
                   400),
          Rejected("the last-chunk's extension counts", "1;a\r\nx\r\n0;bcd\r\n\r\n", Error::kChunkExtensionsTooLarge,
                   400),
          Rejected("detected before the line ends", "5;abcd", Error::kChunkExtensionsTooLarge, 400),
      },
      WithLimits([](ParserLimits& l) { l.max_chunk_extensions = 4; }));
}

// The trailer section (after the last-chunk line, final CRLF included) has the
// header section's limit (RFC 9110 §5.4).
TEST(ChunkedDecoder_Limits, TrailerSectionSize) {
  RunVectors(
      {
          Decoded("\"X: y\\r\\n\\r\\n\" is 8 bytes", "0\r\nX: y\r\n\r\n", "", {{"X", "y"}}),
          Rejected("\"X: yz\\r\\n\\r\\n\" is 9 bytes", "0\r\nX: yz\r\n\r\n", Error::kTrailerSectionTooLarge, 431),
          Rejected("detected before the line ends", "0\r\nX: yzzzzz", Error::kTrailerSectionTooLarge, 431),
      },
      WithLimits([](ParserLimits& l) { l.max_field_section = 8; }));
  RunVectors({Decoded("empty trailer section: 2 bytes", "0\r\n\r\n", "")},
             WithLimits([](ParserLimits& l) { l.max_field_section = 2; }));
  RunVectors({Rejected("empty trailer section over a limit of 1", "0\r\n\r\n", Error::kTrailerSectionTooLarge, 431)},
             WithLimits([](ParserLimits& l) { l.max_field_section = 1; }));
}

TEST(ChunkedDecoder_Limits, TrailerStorage) {
  DecodeConfig two;
  two.trailer_capacity = 2;
  RunVectors({Decoded("2 trailers, room for 2", "0\r\nA: 1\r\nB: 2\r\n\r\n", "", {{"A", "1"}, {"B", "2"}}),
              Rejected("3 trailers, room for 2", "0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", Error::kTooManyFields, 431)},
             two);
  DecodeConfig none;
  none.trailer_capacity = 0;
  RunVectors({Decoded("no trailers, no room", "1\r\nx\r\n0\r\n\r\n", "x"),
              Rejected("1 trailer, no room", "0\r\nA: 1\r\n\r\n", Error::kTooManyFields, 431)},
             none);
}

TEST(ChunkedDecoder_Limits, Defaults) {
  const ParserLimits defaults;
  EXPECT_EQ(defaults.max_chunk_size_digits, 16u);
  EXPECT_EQ(defaults.max_chunk_extensions, 4096u);
  EXPECT_EQ(defaults.max_field_section, 32u * 1024);
  EXPECT_EQ(defaults.max_body, 8u * 1024 * 1024);

  // 4096 extension bytes, then 4097.
  const std::string ext_4096 = ";" + std::string(4095, 'e');
  // The trailer section "X: <v>\r\n\r\n" is 7 + |v| bytes: 32768, then 32769.
  const std::string value_32768 = std::string(32768 - 7, 'v');
  DecodeConfig big_storage;
  big_storage.trailer_capacity = 8192;
  RunVectors(
      {
          Decoded("4096 extension bytes", "5" + ext_4096 + "\r\nhello\r\n0\r\n\r\n", "hello"),
          Rejected("4097 extension bytes", "5" + ext_4096 + "e\r\nhello\r\n0\r\n\r\n", Error::kChunkExtensionsTooLarge,
                   400),
          Decoded("32768-byte trailer section", "0\r\nX: " + value_32768 + "\r\n\r\n", "", {{"X", value_32768}}),
          Rejected("32769-byte trailer section", "0\r\nX: " + value_32768 + "v\r\n\r\n", Error::kTrailerSectionTooLarge,
                   431),
          Rejected("many small trailers over 32 KiB (R-7.1.2-4)", "0\r\n" + Repeat("X: y\r\n", 6000) + "\r\n",
                   Error::kTrailerSectionTooLarge, 431),
      },
      big_storage);
  // max_body (8 MiB): a chunk of exactly 8 MiB is announced fine (the data is
  // still to come); one byte more is refused at its size line.
  RunVectors({Incomplete("8 MiB chunk announced", "800000\r\n", ""),
              Rejected("8 MiB + 1 chunk announced", "800001\r\n", Error::kBodyTooLarge, 413)});
}

// ---------------------------------------------------------------------------
// The in-place contract.

TEST(ChunkedDecoder_Contract, DecodesInPlaceAndLeavesTheNextMessageAlone) {
  std::string wire = "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: 1\r\n\r\nGET / HTTP/1.1\r\n";
  const std::size_t body_size = wire.find("GET");
  testing::GuardedBuffer buffer(wire);
  std::vector<Header> storage(4);
  ChunkedDecoder decoder(storage);
  ASSERT_EQ(decoder.decode(buffer.span()), ParseStatus::kComplete);
  EXPECT_EQ(decoder.decoded_size(), 5u);
  EXPECT_EQ(buffer.view().substr(0, 5), "abcde");
  EXPECT_EQ(decoder.consumed(), body_size);
  EXPECT_EQ(buffer.view().substr(body_size), "GET / HTTP/1.1\r\n");
  ASSERT_EQ(decoder.trailers().size(), 1u);
  EXPECT_EQ(decoder.trailers()[0].name, "T");
  EXPECT_EQ(decoder.trailers()[0].value, "1");
  // The trailer views point into the buffer.
  EXPECT_GE(decoder.trailers()[0].name.data(), buffer.data());
  EXPECT_LT(decoder.trailers()[0].name.data(), buffer.data() + body_size);
}

TEST(ChunkedDecoder_Contract, ResetDecodesTheNextBody) {
  std::vector<Header> storage(4);
  ChunkedDecoder decoder(storage);
  testing::GuardedBuffer first("5\r\nhello\r\n0\r\nA: 1\r\n\r\n"s);
  ASSERT_EQ(decoder.decode(first.span()), ParseStatus::kComplete);
  decoder.reset();
  EXPECT_EQ(decoder.error(), Error::kNone);
  EXPECT_EQ(decoder.decoded_size(), 0u);
  EXPECT_TRUE(decoder.trailers().empty());
  testing::GuardedBuffer second("2\r\nhi\r\n0\r\n\r\n"s);
  ASSERT_EQ(decoder.decode(second.span()), ParseStatus::kComplete);
  EXPECT_EQ(second.view().substr(0, decoder.decoded_size()), "hi");
  EXPECT_EQ(decoder.consumed(), second.size());
  // After an error too.
  decoder.reset();
  testing::GuardedBuffer bad("x\r\n"s);
  ASSERT_EQ(decoder.decode(bad.span()), ParseStatus::kError);
  EXPECT_EQ(decoder.error(), Error::kInvalidChunkSize);
  decoder.reset();
  testing::GuardedBuffer good("0\r\n\r\n"s);
  EXPECT_EQ(decoder.decode(good.span()), ParseStatus::kComplete);
}

TEST(ChunkedDecoder_Contract, EmptyInputIsIncomplete) {
  std::vector<Header> storage(1);
  ChunkedDecoder decoder(storage);
  EXPECT_EQ(decoder.decode({}), ParseStatus::kIncomplete);
  EXPECT_EQ(decoder.decoded_size(), 0u);
}

// ---------------------------------------------------------------------------
// Bounded work (design invariant 4, docs/invariants.md): fed one byte per call, the decoder does
// at most one byte of extra work per call over one read (a CR waiting for its
// LF is looked at again), counted by bytes_examined(), not by a clock. A
// decoder that rescanned what it had seen would do ~n^2/2.

void FeedBytewiseLinear(const std::string& body, const DecodeConfig& config) {
  std::vector<Header> once_storage(config.trailer_capacity);
  ChunkedDecoder once(once_storage, config.options);
  std::string copy = body;
  ASSERT_EQ(once.decode(std::span<char>(copy.data(), copy.size())), ParseStatus::kComplete) << once.error();
  // One read: the bytes, plus a second pass over each trailer line at most.
  EXPECT_LE(once.bytes_examined(), 2 * body.size());

  testing::GuardedBuffer buffer(body.size());
  std::vector<Header> storage(config.trailer_capacity);
  ChunkedDecoder decoder(storage, config.options);
  ParseStatus status = ParseStatus::kIncomplete;
  for (std::size_t n = 1; n <= body.size(); ++n) {
    buffer.data()[n - 1] = body[n - 1];
    status = decoder.decode(buffer.span().first(n));
    ASSERT_NE(status, ParseStatus::kError) << decoder.error() << " at byte " << n;
    ASSERT_LE(decoder.bytes_examined(), once.bytes_examined() + n) << "at byte " << n;
  }
  EXPECT_EQ(status, ParseStatus::kComplete);
}

TEST(ChunkedDecoder_BoundedWork, OneMebibyteChunkByteByByte) {
  DecodeConfig config;
  FeedBytewiseLinear("100000\r\n" + std::string(1 << 20, 'd') + "\r\n0\r\n\r\n", config);
}

TEST(ChunkedDecoder_BoundedWork, SixtyFourKibibytesOfTinyChunksByteByByte) {
  DecodeConfig config;
  FeedBytewiseLinear(Repeat("1\r\nx\r\n", 64 * 1024 / 6) + "0\r\n\r\n", config);
}

TEST(ChunkedDecoder_BoundedWork, LongExtensionAndTrailersByteByByte) {
  DecodeConfig config;
  config.options.limits.max_chunk_extensions = 1 << 20;
  config.options.limits.max_field_section = 1 << 20;
  config.trailer_capacity = 8192;
  FeedBytewiseLinear("1;" + std::string((1 << 20) - 8, 'e') + "\r\nx\r\n0\r\nX: " + std::string(500000, 'v') + "\r\n" +
                         Repeat("T: 1\r\n", 5000) + "\r\n",
                     config);
}

}  // namespace
}  // namespace shockwave::http1
