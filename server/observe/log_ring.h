#ifndef SHOCKWAVE_SERVER_OBSERVE_LOG_RING_H_
#define SHOCKWAVE_SERVER_OBSERVE_LOG_RING_H_

// The access log's sink: a byte ring per event loop and one thread that
// writes them all to a file. An event loop never blocks on the log, never
// allocates for it and makes no system call per line:
//
//   LogRing ring(1 << 20);            // one per event loop, allocated here once
//   LogWriter writer(log_fd);         // the fd stays the caller's
//   writer.add(ring);                 // every ring, before start
//   if (!writer.start(&error)) ...
//   // event loop thread, per response:
//   ring.try_append(line);            // false: full, the line is dropped and counted
//   // shutdown: stop the loops, then
//   writer.stop();                    // writes what the rings still hold
//
// LogRing is single-producer, single-consumer: one thread appends (the
// event loop that owns it), one thread reads (the LogWriter's). An append
// is whole lines or nothing, published at once, so the reader never sees
// part of one; the writer writes a ring's published bytes out completely
// before it turns to the next ring, so lines from different loops never
// interleave in the file. A line that does not fit is dropped, never
// waited for: dropped() counts them (a metric, when wired in).
//
// Cost to the event loop per line: a memcpy and a release store, plus,
// when the ring is more than half full and the writer has not been woken
// since it last drained this ring, one write(2) to an eventfd. The writer
// otherwise wakes on its own every `interval` and drains every ring, so a
// quiet server logs with at most that delay and a busy one wakes it at
// most once per drain.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace shockwave::observe {

class LogRing {
 public:
  // The capacity is rounded up to a power of two (at least 64 bytes); the
  // buffer is allocated here and never again. A line longer than the
  // capacity can never be appended.
  explicit LogRing(std::size_t capacity);
  LogRing(const LogRing&) = delete;
  LogRing& operator=(const LogRing&) = delete;

  // Producer side: the one thread that owns the ring.

  // try_append copies `lines` (one or more whole lines, the last ending in
  // '\n') into the ring, or, if they do not fit, nothing: returns false and
  // counts one drop. Empty input, or input not ending in '\n', is refused
  // and counted the same way (it could end up glued to another loop's line).
  // Never blocks, never allocates.
  bool try_append(std::string_view lines) noexcept;

  // Any thread.
  std::uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }
  std::size_t capacity() const noexcept { return capacity_; }

  // Consumer side: the one thread that drains the ring (LogWriter's; tests
  // may drive it directly, without a writer).

  // Readable: the published bytes, oldest first, in two parts when they
  // wrap around the end of the buffer (`second` is empty otherwise). They
  // stay valid and unchanged until consumed.
  struct Readable {
    std::string_view first;
    std::string_view second;
    std::size_t size() const noexcept { return first.size() + second.size(); }
  };
  Readable readable() const noexcept;
  // consume hands the oldest `bytes` (at most readable().size()) back to
  // the producer.
  void consume(std::size_t bytes) noexcept;

 private:
  friend class LogWriter;
  void wake_writer() noexcept;

  const std::size_t capacity_;
  const std::size_t mask_;
  const std::unique_ptr<char[]> buffer_;

  // head_ and tail_ count bytes since construction (64 bits never wrap), so
  // tail_ - head_ is the fill and `& mask_` the index. Each lives on its own
  // cache line with what only its writer touches, so the producer and the
  // consumer do not false-share.

  // The producer's: written by it only.
  alignas(64) std::atomic<std::uint64_t> tail_{0};
  std::uint64_t head_seen_ = 0;  // the producer's last look at head_
  std::atomic<std::uint64_t> dropped_{0};

  // The consumer's: written by it only.
  alignas(64) std::atomic<std::uint64_t> head_{0};

  // Both: the producer sets it when it wakes the writer, the writer clears
  // it when it drains this ring. A hint only; the interval is the backstop.
  alignas(64) std::atomic<bool> wake_pending_{false};
  std::atomic<int> wake_fd_{-1};  // the writer's eventfd, once started
};

class LogWriter {
 public:
  // fd: where the lines go (a file, a pipe, stderr), written with
  // write(2); the caller opens and closes it. interval: how often the
  // writer drains on its own.
  explicit LogWriter(int fd, std::chrono::milliseconds interval = std::chrono::milliseconds(100)) noexcept;
  // Stops the writer. Destroy it only once nothing appends to its rings any
  // more (the eventfd they may wake closes here).
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  // add registers a ring to drain; before start() only (false after). The
  // ring must outlive the writer.
  bool add(LogRing& ring);
  // start opens the eventfd and starts the thread; once. False (and why in
  // *error) when either fails.
  bool start(std::string* error);
  // stop wakes the writer, which drains every ring one last time and exits;
  // returns once it has. Lines appended before stop() are written (those
  // appended concurrently may or may not be). Idempotent; no-op before start.
  // A non-blocking fd that takes nothing for a whole interval once stopping
  // is given up on (a counted write error); a blocking one blocks stop().
  void stop() noexcept;

  // Batches lost to a write error (EPIPE, ENOSPC, EBADF, ...: the bytes are
  // discarded so the rings do not fill for good), and bytes written.
  std::uint64_t write_errors() const noexcept { return write_errors_.load(std::memory_order_relaxed); }
  std::uint64_t bytes_written() const noexcept { return bytes_written_.load(std::memory_order_relaxed); }
  // Lines the rings dropped, all of them.
  std::uint64_t dropped() const noexcept;

 private:
  void run() noexcept;
  void drain(LogRing& ring) noexcept;
  bool wait_writable() noexcept;

  const int fd_;
  const int interval_ms_;
  int wake_fd_ = -1;
  std::vector<LogRing*> rings_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> write_errors_{0};
  std::atomic<std::uint64_t> bytes_written_{0};
};

}  // namespace shockwave::observe

#endif  // SHOCKWAVE_SERVER_OBSERVE_LOG_RING_H_
