#include "bench/latency_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace shockwave::bench {
namespace {

// The nearest-rank percentile of sorted values, as percentile() defines it.
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, double p) {
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(sorted.size()) / 100.0 - 1e-9)));
  return sorted[rank - 1];
}

// Values spread evenly over the orders of magnitude from 1 ns to ~100 s.
std::vector<std::uint64_t> log_uniform(std::size_t n, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> exponent(0.0, 11.0);
  std::vector<std::uint64_t> values(n);
  for (auto& v : values) v = static_cast<std::uint64_t>(std::pow(10.0, exponent(rng)));
  return values;
}

TEST(LatencyHistogram, EmptyAnswersZero) {
  const LatencyHistogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.stddev(), 0.0);
  EXPECT_EQ(h.percentile(0), 0u);
  EXPECT_EQ(h.percentile(50), 0u);
  EXPECT_EQ(h.percentile(100), 0u);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (std::uint64_t v = 1; v <= 255; ++v) h.record(v);
  EXPECT_EQ(h.count(), 255u);
  EXPECT_EQ(h.max(), 255u);
  EXPECT_EQ(h.percentile(0), 1u);
  EXPECT_EQ(h.percentile(50), 128u);  // rank ceil(127.5) = 128
  EXPECT_EQ(h.percentile(100), 255u);
  for (double p = 1; p <= 100; p += 1) {
    EXPECT_EQ(h.percentile(p), static_cast<std::uint64_t>(std::ceil(p * 255 / 100 - 1e-9))) << p;
  }
  EXPECT_DOUBLE_EQ(h.mean(), 128.0);
  // The population standard deviation of 1..255: sqrt((255^2 - 1) / 12).
  EXPECT_NEAR(h.stddev(), std::sqrt((255.0 * 255.0 - 1) / 12), 1e-9);
}

TEST(LatencyHistogram, BucketsTileTheRangeWithBoundedWidth) {
  // Every bucket starts right after the previous one ends, and none is
  // wider than kMaxRelativeError of its lowest value (or 1 below 256).
  std::uint64_t low = 0;
  for (std::size_t i = 0; i < LatencyHistogram::bucket_count(); ++i) {
    const std::uint64_t high = LatencyHistogram::highest_in_bucket(i);
    ASSERT_GE(high, low) << i;
    ASSERT_EQ(LatencyHistogram::index_of(low), i);
    ASSERT_EQ(LatencyHistogram::index_of(high), i);
    if (low >= 256) {
      ASSERT_LE(static_cast<double>(high - low + 1), static_cast<double>(low) * LatencyHistogram::kMaxRelativeError)
          << i;
    } else {
      ASSERT_EQ(high, low);
    }
    low = high + 1;
  }
  EXPECT_EQ(low - 1, LatencyHistogram::kMaxTrackable);
}

TEST(LatencyHistogram, LargeValuesWithinTheStatedRelativeError) {
  std::vector<std::uint64_t> values = log_uniform(100'000, 7);
  LatencyHistogram h;
  for (std::uint64_t v : values) h.record(v);
  std::sort(values.begin(), values.end());
  double worst = 0;
  for (double p : {0.1, 1.0, 10.0, 25.0, 50.0, 75.0, 90.0, 99.0, 99.9, 99.99}) {
    const std::uint64_t exact = exact_percentile(values, p);
    const std::uint64_t got = h.percentile(p);
    ASSERT_GE(got, exact) << p;
    const double error = static_cast<double>(got - exact) / static_cast<double>(exact);
    EXPECT_LT(error, LatencyHistogram::kMaxRelativeError) << "p" << p << " exact " << exact << " got " << got;
    worst = std::max(worst, error);
  }
  // The bound is not vacuous: bucketing does move large values.
  EXPECT_GT(worst, 0.0);
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.percentile(100), values.back());
}

TEST(LatencyHistogram, EveryLargeValueIsReportedWithinTheBound) {
  // One value v with a larger one beside it: the 50th percentile is v's
  // bucket, not capped by max().
  for (std::uint64_t v = 256; v < LatencyHistogram::kMaxTrackable / 2; v = v * 3 / 2 + 1) {
    LatencyHistogram h;
    h.record(v);
    h.record(LatencyHistogram::kMaxTrackable);
    const std::uint64_t got = h.percentile(50);
    ASSERT_GE(got, v);
    ASSERT_LT(static_cast<double>(got), static_cast<double>(v) * (1 + LatencyHistogram::kMaxRelativeError)) << v;
  }
}

TEST(LatencyHistogram, BeyondTheRangeKeepsMaxAndCount) {
  LatencyHistogram h;
  const std::uint64_t huge = LatencyHistogram::kMaxTrackable * 4;
  h.record(huge);
  h.record(1000);
  EXPECT_EQ(h.count(), 2u);
  EXPECT_EQ(h.max(), huge);
  EXPECT_EQ(h.percentile(100), huge);
  EXPECT_DOUBLE_EQ(h.mean(), (static_cast<double>(huge) + 1000) / 2);
}

TEST(LatencyHistogram, MergeEqualsRecordingAll) {
  const std::vector<std::uint64_t> a = log_uniform(20'000, 1);
  const std::vector<std::uint64_t> b = log_uniform(5'000, 2);
  LatencyHistogram ha;
  LatencyHistogram hb;
  LatencyHistogram all;
  for (std::uint64_t v : a) ha.record(v), all.record(v);
  for (std::uint64_t v : b) hb.record(v), all.record(v);
  ha.merge(hb);
  EXPECT_EQ(ha.count(), all.count());
  EXPECT_EQ(ha.max(), all.max());
  EXPECT_DOUBLE_EQ(ha.mean(), all.mean());
  EXPECT_NEAR(ha.stddev(), all.stddev(), all.stddev() * 1e-9);
  for (double p = 0; p <= 100; p += 0.5) EXPECT_EQ(ha.percentile(p), all.percentile(p)) << p;
  EXPECT_EQ(ha.percentile(99.9), all.percentile(99.9));

  // Merging an empty histogram changes nothing; into an empty one copies.
  const LatencyHistogram empty;
  const std::uint64_t p99 = all.percentile(99);
  all.merge(empty);
  EXPECT_EQ(all.count(), a.size() + b.size());
  EXPECT_EQ(all.percentile(99), p99);
  LatencyHistogram fresh;
  fresh.merge(all);
  EXPECT_EQ(fresh.count(), all.count());
  EXPECT_EQ(fresh.percentile(99), p99);
}

}  // namespace
}  // namespace shockwave::bench
