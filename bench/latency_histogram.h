#ifndef SHOCKWAVE_BENCH_LATENCY_HISTOGRAM_H_
#define SHOCKWAVE_BENCH_LATENCY_HISTOGRAM_H_

// LatencyHistogram: latencies in nanoseconds, bucketed log-linearly like
// HdrHistogram with 2 significant decimal digits. Values below 256 ns have a
// bucket each (exact); above, every power-of-two range [2^k, 2^(k+1)) is cut
// into 128 equal buckets, so a bucket is at most 1/128 of its values wide.
// percentile() answers a bucket's highest value (capped at max()), hence
// for a true value v it answers r with v <= r < v * (1 + 1/128): a relative
// error below 0.79 %. Values up to 2^37 - 1 ns (~137 s) are tracked; larger
// ones land in the last bucket (max() stays exact).
//
// All storage is allocated by the constructor: record() never allocates,
// so a load generator can record every request during a run.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace shockwave::bench {

class LatencyHistogram {
 public:
  static constexpr std::size_t kSubBuckets = 128;
  static constexpr std::uint64_t kMaxTrackable = (std::uint64_t{1} << 37) - 1;
  // The bound on percentile()'s relative error stated above.
  static constexpr double kMaxRelativeError = 1.0 / 128;

  LatencyHistogram();
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  void record(std::uint64_t ns) noexcept {
    ++counts_[index_of(ns < kMaxTrackable ? ns : kMaxTrackable)];
    ++count_;
    sum_ += ns;
    sum_squares_ += static_cast<double>(ns) * static_cast<double>(ns);
    if (ns > max_) max_ = ns;
  }
  // merge adds every value `other` recorded.
  void merge(const LatencyHistogram& other) noexcept;

  // percentile: the value at or below which p % (0 to 100) of the values
  // lie (nearest rank), within the error bound above; 0 when empty.
  std::uint64_t percentile(double p) const noexcept;
  // mean and stddev are exact (kept from sums, not from the buckets).
  double mean() const noexcept;
  double stddev() const noexcept;
  std::uint64_t max() const noexcept { return max_; }
  std::uint64_t count() const noexcept { return count_; }

  // The bucket layout, exposed for the tests. index_of: the bucket of a
  // value up to kMaxTrackable.
  static std::size_t index_of(std::uint64_t ns) noexcept {
    if (ns < 2 * kSubBuckets) return static_cast<std::size_t>(ns);
    // ns in [2^k, 2^(k+1)), k >= 8: the top 8 bits pick one of the 128
    // buckets of its range.
    const unsigned shift = static_cast<unsigned>(std::bit_width(ns)) - 8;
    return shift * kSubBuckets + static_cast<std::size_t>(ns >> shift);
  }
  static std::uint64_t highest_in_bucket(std::size_t index) noexcept;
  static std::size_t bucket_count() noexcept;

 private:
  std::unique_ptr<std::uint64_t[]> counts_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  double sum_squares_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_LATENCY_HISTOGRAM_H_
