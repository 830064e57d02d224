#include "bench/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace shockwave::bench {

std::size_t LatencyHistogram::bucket_count() noexcept { return index_of(kMaxTrackable) + 1; }

std::uint64_t LatencyHistogram::highest_in_bucket(std::size_t index) noexcept {
  if (index < 2 * kSubBuckets) return index;
  // The inverse of index_of: index = shift * 128 + top, top in [128, 256).
  const std::size_t shift = index / kSubBuckets - 1;
  const std::uint64_t top = index % kSubBuckets + kSubBuckets;
  return ((top + 1) << shift) - 1;
}

LatencyHistogram::LatencyHistogram() : counts_(new std::uint64_t[bucket_count()]()) {}

void LatencyHistogram::merge(const LatencyHistogram& other) noexcept {
  const std::size_t n = bucket_count();
  for (std::size_t i = 0; i < n; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
  max_ = std::max(max_, other.max_);
}

std::uint64_t LatencyHistogram::percentile(double p) const noexcept {
  if (count_ == 0) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // Nearest rank: the smallest value with at least p % of them at or below
  // (the epsilon keeps 99.9 % of 1000 at rank 999 despite rounding).
  const auto rank =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_) / 100.0 - 1e-9)));
  std::uint64_t seen = 0;
  const std::size_t n = bucket_count();
  for (std::size_t i = 0; i < n; ++i) {
    seen += counts_[i];
    // The last bucket also holds everything beyond the range: max() is
    // the best answer there.
    if (seen >= rank) return i + 1 == n ? max_ : std::min(highest_in_bucket(i), max_);
  }
  return max_;
}

double LatencyHistogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_) / static_cast<double>(count_);
}

double LatencyHistogram::stddev() const noexcept {
  if (count_ == 0) return 0.0;
  const double m = mean();
  const double variance = sum_squares_ / static_cast<double>(count_) - m * m;
  return variance > 0 ? std::sqrt(variance) : 0.0;
}

}  // namespace shockwave::bench
