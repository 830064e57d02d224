// Error: every rejection has a code, a fixed reason and the HTTP status it is
// answered with (design invariant 3, docs/invariants.md).

#include "server/http1/error.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

namespace shockwave::http1 {
namespace {

constexpr auto kLast = Error::kIncompleteResponse;

// The enumerators, counted from the X-macro: if one is added after
// kIncompleteResponse, this test says the loops below must be extended.
constexpr int kCount = 0
#define SHOCKWAVE_HTTP1_COUNT(name, status, reason) +1
    SHOCKWAVE_HTTP1_ERRORS(SHOCKWAVE_HTTP1_COUNT)
#undef SHOCKWAVE_HTTP1_COUNT
    ;

TEST(Error, IncompleteResponseIsTheLastEnumerator) { EXPECT_EQ(static_cast<int>(kLast) + 1, kCount); }

TEST(Error, EveryErrorHasAReasonAndAStatusFromTheSet) {
  const std::set<int> allowed = {400, 413, 414, 431, 501, 502, 505};  // 502: the response errors
  std::set<std::string_view> reasons;
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(kLast); ++i) {
    const auto e = static_cast<Error>(i);
    SCOPED_TRACE(std::string(error_name(e)));
    EXPECT_FALSE(error_reason(e).empty());
    EXPECT_FALSE(error_name(e).empty());
    EXPECT_NE(error_name(e).front(), 'k') << "error_name drops the leading 'k'";
    EXPECT_TRUE(reasons.insert(error_reason(e)).second) << "reasons are distinct";
    EXPECT_TRUE(names.insert(error_name(e)).second) << "names are distinct";
    if (e == Error::kNone) {
      EXPECT_EQ(error_status(e), 0);
    } else {
      EXPECT_TRUE(allowed.count(error_status(e))) << error_status(e);
    }
  }
}

TEST(Error, ReasonsHaveStaticStorage) {
  const std::string_view a = error_reason(Error::kBareLF);
  const std::string_view b = error_reason(Error::kBareLF);
  EXPECT_EQ(a.data(), b.data());
}

// The status of each error, as a table (RFC 9110 §15; RFC 6585 §5 for 431).
TEST(Error, StatusOfEachError) {
  struct Row {
    Error error;
    std::string_view name;
    int status;
  };
  const Row rows[] = {
      {Error::kNone, "None", 0},
      {Error::kBareCR, "BareCR", 400},
      {Error::kBareLF, "BareLF", 400},
      {Error::kTooManyLeadingEmptyLines, "TooManyLeadingEmptyLines", 400},
      {Error::kInvalidMethod, "InvalidMethod", 400},
      {Error::kMethodTooLong, "MethodTooLong", 501},  // RFC 9112 §3
      {Error::kInvalidRequestLine, "InvalidRequestLine", 400},
      {Error::kInvalidTarget, "InvalidTarget", 400},
      {Error::kInvalidVersion, "InvalidVersion", 400},
      {Error::kUnsupportedVersion, "UnsupportedVersion", 505},  // RFC 9110 §15.6.6
      {Error::kRequestLineTooLong, "RequestLineTooLong", 414},  // RFC 9112 §3
      {Error::kWhitespaceBeforeFirstField, "WhitespaceBeforeFirstField", 400},
      {Error::kObsFold, "ObsFold", 400},
      {Error::kInvalidFieldName, "InvalidFieldName", 400},
      {Error::kWhitespaceBeforeColon, "WhitespaceBeforeColon", 400},  // RFC 9112 §5.1: MUST 400
      {Error::kInvalidFieldValue, "InvalidFieldValue", 400},
      {Error::kFieldSectionTooLarge, "FieldSectionTooLarge", 431},  // RFC 9110 §5.4
      {Error::kTooManyFields, "TooManyFields", 431},
      {Error::kMissingHost, "MissingHost", 400},  // RFC 9112 §3.2: MUST 400
      {Error::kDuplicateHost, "DuplicateHost", 400},
      {Error::kInvalidHost, "InvalidHost", 400},
      {Error::kInvalidContentLength, "InvalidContentLength", 400},
      {Error::kDuplicateContentLength, "DuplicateContentLength", 400},
      {Error::kContentLengthWithTransferEncoding, "ContentLengthWithTransferEncoding", 400},
      {Error::kTransferEncodingInHttp10, "TransferEncodingInHttp10", 400},
      {Error::kInvalidTransferEncoding, "InvalidTransferEncoding", 400},
      {Error::kChunkedNotFinal, "ChunkedNotFinal", 400},  // RFC 9112 §6.3 item 6: MUST 400
      {Error::kChunkedTwice, "ChunkedTwice", 400},
      {Error::kUnsupportedTransferCoding, "UnsupportedTransferCoding", 501},  // RFC 9112 §6.1
      {Error::kBodyTooLarge, "BodyTooLarge", 413},                            // RFC 9110 §15.5.14
      {Error::kInvalidChunkSize, "InvalidChunkSize", 400},
      {Error::kInvalidChunkExtension, "InvalidChunkExtension", 400},
      {Error::kChunkExtensionsTooLarge, "ChunkExtensionsTooLarge", 400},
      {Error::kInvalidChunkData, "InvalidChunkData", 400},
      {Error::kTrailerSectionTooLarge, "TrailerSectionTooLarge", 431},
      {Error::kInvalidStatusLine, "InvalidStatusLine", 502},  // RFC 9110 §15.6.3: a gateway's answer
      {Error::kInvalidStatusCode, "InvalidStatusCode", 502},
      {Error::kStatusLineTooLong, "StatusLineTooLong", 502},
      {Error::kTooManyInterimResponses, "TooManyInterimResponses", 502},
      {Error::kIncompleteResponse, "IncompleteResponse", 502},
  };
  EXPECT_EQ(std::size(rows), static_cast<std::size_t>(kCount)) << "one row per error";
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.name));
    EXPECT_EQ(error_name(row.error), row.name);
    EXPECT_EQ(error_status(row.error), row.status);
  }
}

TEST(Error, EveryResponseErrorIsA502) {
  EXPECT_EQ(response_error_status(Error::kNone), 0);
  for (unsigned i = 1; i < static_cast<unsigned>(kCount); ++i) {
    EXPECT_EQ(response_error_status(static_cast<Error>(i)), 502) << error_name(static_cast<Error>(i));
  }
}

}  // namespace
}  // namespace shockwave::http1
