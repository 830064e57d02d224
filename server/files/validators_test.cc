// validators.h: the ETag's form, when a file has a Last-Modified, the
// entity-tag comparisons of RFC 9110 §8.8.3.2, each conditional field
// (§13.1.1-§13.1.5) alone and in §13.2.2's order, and no allocation.

#include "server/files/validators.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cctype>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "server/files/byte_range.h"
#include "testing/alloc_counter.h"

namespace shockwave::files {
namespace {

// The file: modified at Sun, 06 Nov 1994 08:49:37 GMT (+123 ns), served at
// Last-Modified + 100 s.
constexpr std::int64_t kModified = 784111777;
constexpr std::int64_t kNow = kModified + 100;
constexpr std::int64_t kMtimeNs = kModified * 1'000'000'000 + 123;
constexpr std::string_view kLastModified = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr std::string_view kSecondBefore = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr std::string_view kSecondAfter = "Sun, 06 Nov 1994 08:49:38 GMT";

class PreconditionsTest : public ::testing::Test {
 protected:
  Precondition get(const ConditionalRequest& request) const {
    return evaluate_preconditions(Method::kGet, request, validators_, kNow);
  }
  Precondition head(const ConditionalRequest& request) const {
    return evaluate_preconditions(Method::kHead, request, validators_, kNow);
  }
  std::string weak_tag() const { return "W/" + tag_; }

  const Validators validators_ = make_validators(42, 1000, kMtimeNs, kNow);
  const std::string tag_ = std::string(validators_.etag.view());
};

// §8.8.3: opaque-tag = DQUOTE *etagc DQUOTE; ours is three hex numbers.
TEST(ETag, IsAQuotedOpaqueTagOfInodeSizeAndMtime) {
  EXPECT_EQ(make_etag(0x2a, 0x3e8, 0x5).view(), "\"2a-3e8-5\"");
  EXPECT_EQ(make_etag(0, 0, 0).view(), "\"0-0-0\"");
  EXPECT_EQ(make_etag(42, 1000, kMtimeNs).view(), "\"2a-3e8-ae1b981bc490a7b\"");
  EXPECT_TRUE(strong_match(make_etag(1, 2, 3).view(), make_etag(1, 2, 3).view()));
}

TEST(ETag, TheLongestFitsKMaxETag) {
  constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
  const ETag tag = make_etag(kMax, kMax, -1);
  EXPECT_EQ(tag.view(), "\"ffffffffffffffff-ffffffffffffffff-ffffffffffffffff\"");
  EXPECT_EQ(tag.view().size(), kMaxETag);
}

// A strong validator changes with the representation (§8.8.1): any of the
// three changes the tag.
TEST(ETag, ChangesWithEachPart) {
  const ETag base = make_etag(1, 2, 3);
  EXPECT_FALSE(weak_match(base.view(), make_etag(9, 2, 3).view()));
  EXPECT_FALSE(weak_match(base.view(), make_etag(1, 9, 3).view()));
  EXPECT_FALSE(weak_match(base.view(), make_etag(1, 2, 4).view()));  // one nanosecond later
  // Fields do not run into each other: (0x12, 0x3) is not (0x1, 0x23).
  EXPECT_NE(make_etag(0x12, 0x3, 0).view(), make_etag(0x1, 0x23, 0).view());
}

TEST(Validators, LastModifiedIsTheMtimesSecondOnceItIsOver) {
  const Validators v = make_validators(1, 2, kMtimeNs, kNow);
  EXPECT_TRUE(v.has_last_modified);
  EXPECT_EQ(v.last_modified, kModified);
  EXPECT_EQ(v.etag.view(), make_etag(1, 2, kMtimeNs).view());
  EXPECT_TRUE(make_validators(1, 2, kMtimeNs, kModified + 1).has_last_modified);
}

// §8.8.2.1: never later than Date; §8.8.2.2: not the current second either
// (a second change within it would go out under the same date).
TEST(Validators, NoLastModifiedForTheCurrentSecondOrTheFuture) {
  EXPECT_FALSE(make_validators(1, 2, kMtimeNs, kModified).has_last_modified);
  EXPECT_FALSE(make_validators(1, 2, kMtimeNs + 3'000'000'000, kModified).has_last_modified);
}

TEST(Validators, MtimesBefore1970RoundDown) {
  const Validators v = make_validators(1, 2, -1, kNow);  // 1969-12-31T23:59:59.999999999Z
  EXPECT_TRUE(v.has_last_modified);
  EXPECT_EQ(v.last_modified, -1);
  EXPECT_EQ(make_validators(1, 2, -1'000'000'000, kNow).last_modified, -1);
  EXPECT_EQ(make_validators(1, 2, -1'000'000'001, kNow).last_modified, -2);
  // The earliest mtime there is, in 1677, is still a date.
  EXPECT_EQ(make_validators(1, 2, std::numeric_limits<std::int64_t>::min(), kNow).last_modified, -9223372037);
}

TEST(Validators, FromStat) {
  struct stat st = {};
  st.st_ino = 42;
  st.st_size = 1000;
  st.st_mtim.tv_sec = kModified;
  st.st_mtim.tv_nsec = 123;
  const Validators v = make_validators(st, kNow);
  EXPECT_EQ(v.etag.view(), make_validators(42, 1000, kMtimeNs, kNow).etag.view());
  EXPECT_EQ(v.last_modified, kModified);
}

// §8.8.3.2, Table 3, row by row.
TEST(EntityTagComparison, Rfc9110Table3) {
  EXPECT_FALSE(strong_match("W/\"1\"", "W/\"1\""));
  EXPECT_TRUE(weak_match("W/\"1\"", "W/\"1\""));
  EXPECT_FALSE(strong_match("W/\"1\"", "W/\"2\""));
  EXPECT_FALSE(weak_match("W/\"1\"", "W/\"2\""));
  EXPECT_FALSE(strong_match("W/\"1\"", "\"1\""));
  EXPECT_TRUE(weak_match("W/\"1\"", "\"1\""));
  EXPECT_TRUE(strong_match("\"1\"", "\"1\""));
  EXPECT_TRUE(weak_match("\"1\"", "\"1\""));
}

// entity-tag = [ weak ] opaque-tag; weak = %s"W/"; etagc excludes DQUOTE,
// SP and controls. Character by character: no case folding, no unescaping.
TEST(EntityTagComparison, OnlyEntityTagsCompare) {
  for (std::string_view bad :
       {"1", "\"1", "1\"", "w/\"1\"", "W\"1\"", "W/1", "\"a b\"", "\"a\"x", " \"1\"", "*", "\"\x7f\"", "\"\x01\""}) {
    EXPECT_FALSE(weak_match(bad, bad)) << bad;
    EXPECT_FALSE(strong_match(bad, bad)) << bad;
  }
  EXPECT_TRUE(strong_match("\"\"", "\"\""));                  // ETag: "" (§8.8.3's example)
  EXPECT_TRUE(strong_match("\"\x80\xff\"", "\"\x80\xff\""));  // obs-text
  EXPECT_FALSE(strong_match("\"abc\"", "\"ABC\""));
  // A backslash is an etagc, not an escape (§8.8.3's note on quoted-string).
  EXPECT_TRUE(strong_match("\"a\\\"", "\"a\\\""));
  EXPECT_FALSE(strong_match("\"a\\\"", "\"a\""));
}

// §13.2.2 step 6: no precondition, no Range.
TEST_F(PreconditionsTest, NothingConditionalServesTheWhole) {
  EXPECT_EQ(get({}), Precondition::kServeFull);
  EXPECT_EQ(head({}), Precondition::kServeFull);
}

// §13.1.2: "*" or a listed tag that matches by the weak comparison: 304.
TEST_F(PreconditionsTest, IfNoneMatchWithOurTagIsNotModified) {
  EXPECT_EQ(get({.if_none_match = tag_}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_none_match = weak_tag()}), Precondition::kNotModified);  // weak comparison
  EXPECT_EQ(get({.if_none_match = "*"}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_none_match = " * "}), Precondition::kNotModified);
  EXPECT_EQ(head({.if_none_match = tag_}), Precondition::kNotModified);
}

TEST_F(PreconditionsTest, IfNoneMatchWithOtherTagsServes) {
  EXPECT_EQ(get({.if_none_match = "\"other\""}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_none_match = "W/\"other\", \"x\""}), Precondition::kServeFull);
  // Character by character: a tag that differs only in case is another tag.
  std::string upper = tag_;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(get({.if_none_match = upper}), Precondition::kServeFull);
}

// If-None-Match = "*" / #entity-tag, with §5.6.1.2's OWS and empty elements.
TEST_F(PreconditionsTest, IfNoneMatchLists) {
  const std::string lists[] = {
      "\"a\", " + tag_,   "\"a\"," + tag_ + ",\"b\"",         "W/\"a\" ,\t" + weak_tag() + " , \"b\"",
      ", ," + tag_ + ",", "\"xyzzy\", \"r2d2xxxx\", " + tag_,
  };
  for (const std::string& list : lists) EXPECT_EQ(get({.if_none_match = list}), Precondition::kNotModified) << list;
}

// A list that is not valid syntax matches nothing (validators.h): the
// request is served, never answered 304 on a guess.
TEST_F(PreconditionsTest, AnInvalidIfNoneMatchMatchesNothing) {
  const std::string lists[] = {
      tag_ + ", garbage", tag_ + " \"a\"",           "*, " + tag_, tag_ + ", *", "w/" + tag_,
      tag_ + "x",         "\"unterminated, " + tag_,
  };
  for (const std::string& list : lists) EXPECT_EQ(get({.if_none_match = list}), Precondition::kServeFull) << list;
}

// §13.1.3: valid date, Last-Modified earlier or equal: 304; later: served.
TEST_F(PreconditionsTest, IfModifiedSince) {
  EXPECT_EQ(get({.if_modified_since = kLastModified}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_modified_since = kSecondAfter}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_modified_since = kSecondBefore}), Precondition::kServeFull);
  EXPECT_EQ(head({.if_modified_since = kLastModified}), Precondition::kNotModified);
  // The obsolete forms too (§5.6.7: recipients MUST accept all three).
  EXPECT_EQ(get({.if_modified_since = "Sunday, 06-Nov-94 08:49:37 GMT"}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_modified_since = "Sun Nov  6 08:49:37 1994"}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_modified_since = "Sun Nov  6 08:49:36 1994"}), Precondition::kServeFull);
}

// §13.1.3: "A recipient MUST ignore the If-Modified-Since header field if the
// received field value is not a valid HTTP-date, the field value has more
// than one member ...".
TEST_F(PreconditionsTest, AnInvalidIfModifiedSinceIsIgnored) {
  for (std::string_view bad : {"yesterday", "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
                               "Sun, 31 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:49:37 GMT", "0"}) {
    EXPECT_EQ(get({.if_modified_since = bad}), Precondition::kServeFull) << bad;
  }
}

// §13.1.3: "A recipient MUST ignore If-Modified-Since if the request contains
// an If-None-Match header field".
TEST_F(PreconditionsTest, IfModifiedSinceIsIgnoredBesideIfNoneMatch) {
  EXPECT_EQ(get({.if_none_match = "\"other\"", .if_modified_since = kLastModified}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_none_match = tag_, .if_modified_since = kSecondBefore}), Precondition::kNotModified);
  // Even an invalid If-None-Match is one.
  EXPECT_EQ(get({.if_none_match = "garbage", .if_modified_since = kLastModified}), Precondition::kServeFull);
}

// §13.1.3: "MUST ignore ... if the resource does not have a modification date
// available": a file modified in the current second has none (validators.h).
TEST_F(PreconditionsTest, IfModifiedSinceIsIgnoredWithoutLastModified) {
  const Validators fresh = make_validators(42, 1000, kMtimeNs, kModified);
  ASSERT_FALSE(fresh.has_last_modified);
  EXPECT_EQ(evaluate_preconditions(Method::kGet, {.if_modified_since = kSecondAfter}, fresh, kModified),
            Precondition::kServeFull);
  // The ETag still validates.
  EXPECT_EQ(evaluate_preconditions(Method::kGet, {.if_none_match = fresh.etag.view()}, fresh, kModified),
            Precondition::kNotModified);
}

// §13.1.1: "*" or a strong match continues; anything else is 412.
TEST_F(PreconditionsTest, IfMatch) {
  EXPECT_EQ(get({.if_match = "*"}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_match = tag_}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_match = "\"a\", " + tag_}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_match = "\"other\""}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_match = weak_tag()}), Precondition::kPreconditionFailed);  // strong comparison
  EXPECT_EQ(get({.if_match = tag_ + ", garbage"}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_match = "*, " + tag_}), Precondition::kPreconditionFailed);
  EXPECT_EQ(head({.if_match = "\"other\""}), Precondition::kPreconditionFailed);
}

// §13.1.4: Last-Modified earlier than or equal to the date continues; later
// is 412; an invalid date is ignored.
TEST_F(PreconditionsTest, IfUnmodifiedSince) {
  EXPECT_EQ(get({.if_unmodified_since = kLastModified}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_unmodified_since = kSecondAfter}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_unmodified_since = kSecondBefore}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_unmodified_since = "Sunday, 06-Nov-94 08:49:36 GMT"}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_unmodified_since = "not a date"}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_unmodified_since = std::string(kSecondBefore) + ", " + std::string(kSecondBefore)}),
            Precondition::kServeFull);  // "appears to be a list of dates"
}

// §13.1.4: "MUST ignore If-Unmodified-Since if the request contains an
// If-Match header field", and without a modification date.
TEST_F(PreconditionsTest, IfUnmodifiedSinceIsIgnoredBesideIfMatchOrWithoutADate) {
  EXPECT_EQ(get({.if_match = "*", .if_unmodified_since = kSecondBefore}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_match = tag_, .if_unmodified_since = kSecondBefore}), Precondition::kServeFull);
  const Validators fresh = make_validators(42, 1000, kMtimeNs, kModified);
  EXPECT_EQ(evaluate_preconditions(Method::kGet, {.if_unmodified_since = kSecondBefore}, fresh, kModified),
            Precondition::kServeFull);
}

// §13.2.2: 412 (steps 1-2) before 304 (steps 3-4) before Range (step 5).
TEST_F(PreconditionsTest, Rfc9110Section13_2_2Order) {
  EXPECT_EQ(get({.if_match = "\"other\"", .if_none_match = tag_}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_none_match = tag_, .if_unmodified_since = kSecondBefore}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_match = tag_, .if_none_match = tag_}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_match = tag_, .if_modified_since = kLastModified}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_modified_since = kLastModified, .if_unmodified_since = kLastModified}),
            Precondition::kNotModified);
  // §14.2: "Range is ignored when a conditional GET would result in a 304".
  EXPECT_EQ(get({.if_none_match = tag_, .range = "bytes=0-0"}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_modified_since = kLastModified, .range = "bytes=0-0"}), Precondition::kNotModified);
  EXPECT_EQ(get({.if_match = "\"other\"", .range = "bytes=0-0"}), Precondition::kPreconditionFailed);
  EXPECT_EQ(get({.if_match = tag_, .range = "bytes=0-0"}), Precondition::kServeRange);
}

// §14.2: "GET is the only method for which range handling is defined."
TEST_F(PreconditionsTest, RangeIsForGetOnly) {
  EXPECT_EQ(get({.range = "bytes=0-0"}), Precondition::kServeRange);
  EXPECT_EQ(head({.range = "bytes=0-0"}), Precondition::kServeFull);
  EXPECT_EQ(head({.if_range = tag_, .range = "bytes=0-0"}), Precondition::kServeFull);
}

// §13.1.5: an entity-tag If-Range is true only by the strong comparison.
TEST_F(PreconditionsTest, IfRangeWithAnEntityTag) {
  EXPECT_EQ(get({.if_range = tag_, .range = "bytes=0-0"}), Precondition::kServeRange);
  EXPECT_EQ(get({.if_range = weak_tag(), .range = "bytes=0-0"}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_range = "\"other\"", .range = "bytes=0-0"}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_range = tag_ + ", \"a\"", .range = "bytes=0-0"}), Precondition::kServeFull);  // one tag, no list
  EXPECT_EQ(get({.if_range = tag_ + "x", .range = "bytes=0-0"}), Precondition::kServeFull);
}

// §13.1.5: a date If-Range is true only by an exact match with
// Last-Modified (not "earlier than or equal"), which is strong here.
TEST_F(PreconditionsTest, IfRangeWithADate) {
  EXPECT_EQ(get({.if_range = kLastModified, .range = "bytes=0-0"}), Precondition::kServeRange);
  EXPECT_EQ(get({.if_range = "Sunday, 06-Nov-94 08:49:37 GMT", .range = "bytes=0-0"}), Precondition::kServeRange);
  EXPECT_EQ(get({.if_range = "Sun Nov  6 08:49:37 1994", .range = "bytes=0-0"}), Precondition::kServeRange);
  EXPECT_EQ(get({.if_range = kSecondAfter, .range = "bytes=0-0"}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_range = kSecondBefore, .range = "bytes=0-0"}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_range = "not a date", .range = "bytes=0-0"}), Precondition::kServeFull);
  // Without a Last-Modified there is no strong date to match (§8.8.2.2).
  const Validators fresh = make_validators(42, 1000, kMtimeNs, kModified);
  EXPECT_EQ(evaluate_preconditions(Method::kGet, {.if_range = kLastModified, .range = "bytes=0-0"}, fresh, kModified),
            Precondition::kServeFull);
}

// §13.1.5: "A server MUST ignore an If-Range header field received in a
// request that does not contain a Range header field."
TEST_F(PreconditionsTest, IfRangeWithoutRangeIsIgnored) {
  EXPECT_EQ(get({.if_range = tag_}), Precondition::kServeFull);
  EXPECT_EQ(get({.if_range = "\"other\""}), Precondition::kServeFull);
}

// What a file handler does with kServeRange: the Range itself decides
// between 206, 416 and 200 (byte_range.h).
TEST_F(PreconditionsTest, ThenTheRangeDecides) {
  const ConditionalRequest request{.if_range = tag_, .range = "bytes=-100"};
  ASSERT_EQ(get(request), Precondition::kServeRange);
  const ByteRangeResult r = parse_byte_range(request.range, 1000);
  EXPECT_EQ(r.kind, ByteRangeKind::kSatisfiable);
  EXPECT_EQ(r.range, (ByteRange{900, 100}));
}

// Design invariant 1: evaluated per request, so nothing is allocated.
TEST_F(PreconditionsTest, AllocatesNothing) {
  const std::string inm = "\"a\", " + weak_tag() + ", \"b\"";
  const ConditionalRequest requests[] = {
      {.if_none_match = inm},
      {.if_match = tag_, .if_unmodified_since = kLastModified},
      {.if_modified_since = "Sunday, 06-Nov-94 08:49:37 GMT"},
      {.if_unmodified_since = kSecondBefore},
      {.if_range = kLastModified, .range = "bytes=0-0"},
      {.if_range = tag_, .range = "bytes=0-0"},
  };
  const std::string weak = weak_tag();
  int served = 0;
  testing::AllocationScope scope;
  const Validators v = make_validators(42, 1000, kMtimeNs, kNow);
  for (const ConditionalRequest& request : requests) {
    served += static_cast<int>(evaluate_preconditions(Method::kGet, request, v, kNow));
  }
  served += strong_match(v.etag.view(), tag_) + weak_match(weak, tag_);
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(served, 0);
}

}  // namespace
}  // namespace shockwave::files
