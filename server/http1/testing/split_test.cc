// The splitting helper must be able to fail: sessions whose outcome depends on
// how the bytes were split are caught, and the report names the delivery.

#include "server/http1/testing/split.h"

#include <gtest/gtest.h>

#include <string>

namespace shockwave::http1::testing {
namespace {

using namespace std::string_view_literals;

// Reads: records how many feed() calls a delivery made and what it saw last.
struct Reads {
  std::size_t calls = 0;
  std::string last;
  bool same_buffer = true;
  bool operator==(const Reads&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Reads& r) {
  return os << r.calls << " calls, last \"" << escape(r.last) << "\", same buffer " << r.same_buffer;
}

class CountingSession {
 public:
  struct Config {};
  using Result = Reads;
  explicit CountingSession(const Config&) {}
  void feed(std::span<char> received) {
    if (reads_.calls > 0 && received.data() != data_) reads_.same_buffer = false;
    data_ = received.data();
    ++reads_.calls;
    reads_.last.assign(received.data(), received.size());
  }
  Result result() const { return reads_; }

 private:
  Reads reads_;
  const char* data_ = nullptr;
};

TEST(FeedAllWays, DeliversEveryWayOnOneGrowingBuffer) {
  auto report = FeedAllWays<CountingSession>("abcd"sv, {});
  // one read, one read against the front guard, byte by byte, splits at 1, 2, 3
  EXPECT_EQ(report.runs, 6u);
  EXPECT_EQ(report.one_read, (Reads{1, "abcd", true}));
  ASSERT_EQ(report.mismatches.size(), 4u);  // the call counts differ, by design here
  EXPECT_EQ(report.mismatches[0].second, (Reads{4, "abcd", true}));
  EXPECT_EQ(report.mismatches[0].first.describe(), "byte by byte");
  EXPECT_EQ(report.mismatches[1].second, (Reads{2, "abcd", true}));
  EXPECT_EQ(report.mismatches[1].first.describe(), "two reads, the first of 1 bytes");
  EXPECT_FALSE(report.consistent());
}

// A session that only looks at the first read: wrong, and the helper says so.
class FirstReadOnlySession {
 public:
  struct Config {};
  using Result = std::string;
  explicit FirstReadOnlySession(const Config&) {}
  void feed(std::span<char> received) {
    if (!fed_) seen_.assign(received.data(), received.size());
    fed_ = true;
  }
  Result result() const { return seen_; }

 private:
  bool fed_ = false;
  std::string seen_;
};

TEST(FeedAllWays, ReportsTheDeliveryThatDiffered) {
  auto report = FeedAllWays<FirstReadOnlySession>("xyz"sv, {});
  auto consistent = report.consistent();
  EXPECT_FALSE(consistent);
  EXPECT_NE(std::string(consistent.message()).find("byte by byte"), std::string::npos) << consistent.message();
  EXPECT_NE(std::string(consistent.message()).find("two reads, the first of 2 bytes"), std::string::npos);
}

TEST(FeedAllWays, SamplesSplitsOfLongInputs) {
  SplitOptions options;
  options.every_offset_up_to = 100;
  options.edge = 10;
  options.samples = 20;
  auto points = internal::SplitPoints(1000, options);
  EXPECT_EQ(points.size(), 40u);
  EXPECT_EQ(points.front(), 1u);
  EXPECT_EQ(points.back(), 999u);
  EXPECT_EQ(internal::SplitPoints(100, options).size(), 99u);
}

TEST(RequestSession, AgreesAcrossDeliveriesForAPipeline) {
  const std::string bytes = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGE";
  auto report = FeedAllWays<RequestSession>(bytes, {});
  EXPECT_TRUE(report.consistent());
  ASSERT_EQ(report.one_read.requests.size(), 2u);
  EXPECT_EQ(report.one_read.requests[1].target, "/2");
  EXPECT_EQ(report.one_read.status, ParseStatus::kIncomplete);
  EXPECT_EQ(report.one_read.pending_offset, bytes.size() - 2);
}

TEST(DecodeSession, AgreesAcrossDeliveries) {
  auto report = FeedAllWays<DecodeSession>("3\r\nabc\r\n2\r\nde\r\n0\r\n\r\nNEXT"sv, {});
  EXPECT_TRUE(report.consistent());
  EXPECT_EQ(report.one_read.status, ParseStatus::kComplete);
  EXPECT_EQ(report.one_read.decoded, "abcde");
  EXPECT_EQ(report.one_read.consumed, 20u);  // "NEXT" is not the body's
}

// A session that reads one byte past what it was given: every delivery's
// last read ends at the guard page, so the helper itself makes it fault.
class OverReadingSession {
 public:
  struct Config {};
  using Result = int;
  explicit OverReadingSession(const Config&) {}
  void feed(std::span<char> received) { sum_ += static_cast<const volatile char*>(received.data())[received.size()]; }
  Result result() const { return sum_; }

 private:
  int sum_ = 0;
};

TEST(FeedAllWaysDeathTest, AnOverReadFaults) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(FeedAllWays<OverReadingSession>("GET / HTTP/1.1\r\n\r\n"sv, {}), "");
}

// Under ASan an over-read into bytes that have not "arrived" yet is caught
// too, before the last read (here: the first call of byte by byte).
class FirstReadOverReader {
 public:
  struct Config {};
  using Result = int;
  explicit FirstReadOverReader(const Config&) {}
  void feed(std::span<char> received) {
    // Only a one-byte first read over-reads: not the one-read deliveries.
    if (calls_++ == 0 && received.size() == 1) sum_ += static_cast<const volatile char*>(received.data())[1];
  }
  Result result() const { return sum_; }

 private:
  int calls_ = 0;
  int sum_ = 0;
};

TEST(FeedAllWaysDeathTest, AnOverReadIntoBytesNotYetReceivedIsCaughtUnderAsan) {
  if (!GuardedBuffer::asan_active()) GTEST_SKIP() << "needs --config=asan";
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(FeedAllWays<FirstReadOverReader>("GET / HTTP/1.1\r\n\r\n"sv, {}), "use-after-poison");
}

}  // namespace
}  // namespace shockwave::http1::testing
