#include "server/observe/log_ring.h"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace shockwave::observe {

// Memory ordering, in one place. The ring's bytes are plain memory; two
// counters hand them back and forth:
//  - tail_: the producer copies a line in, then stores tail_ with release;
//    the consumer loads tail_ with acquire, so it sees every byte before it.
//  - head_: the consumer writes bytes out, then stores head_ with release;
//    the producer loads head_ with acquire, so the consumer is done reading
//    those bytes before the producer overwrites them.
// Each counter is loaded relaxed by its own writer (no one else stores it).
// wake_pending_ and wake_fd_ guard no data and are relaxed throughout.

LogRing::LogRing(std::size_t capacity)
    : capacity_(std::bit_ceil(std::max<std::size_t>(capacity, 64))),
      mask_(capacity_ - 1),
      buffer_(std::make_unique<char[]>(capacity_)) {}

bool LogRing::try_append(std::string_view lines) noexcept {
  const std::size_t n = lines.size();
  if (n == 0 || n > capacity_ || lines.back() != '\n') {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  const std::uint64_t tail = tail_.load(std::memory_order_relaxed);
  // The cached head is old, so the ring may have more room than it says:
  // look at the consumer's cache line only when the cache says full.
  if (tail + n - head_seen_ > capacity_) {
    head_seen_ = head_.load(std::memory_order_acquire);
    if (tail + n - head_seen_ > capacity_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
  }
  const std::size_t at = static_cast<std::size_t>(tail) & mask_;
  const std::size_t first = std::min(n, capacity_ - at);
  std::memcpy(buffer_.get() + at, lines.data(), first);
  std::memcpy(buffer_.get(), lines.data() + first, n - first);
  tail_.store(tail + n, std::memory_order_release);

  // More than half full: the writer should not wait for its interval.
  // Refresh the cached head first, or a stale one would call for a wake
  // after every drain.
  if (tail + n - head_seen_ > capacity_ / 2) {
    head_seen_ = head_.load(std::memory_order_acquire);
    if (tail + n - head_seen_ > capacity_ / 2) wake_writer();
  }
  return true;
}

void LogRing::wake_writer() noexcept {
  // A plain load first: while a wake is pending, a ring that stays over
  // half full costs no read-modify-write per line.
  if (wake_pending_.load(std::memory_order_relaxed)) return;
  if (wake_pending_.exchange(true, std::memory_order_relaxed)) return;
  const int fd = wake_fd_.load(std::memory_order_relaxed);
  if (fd < 0) return;  // no writer started: the flag waits for its first drain
  const std::uint64_t one = 1;
  // Non-blocking eventfd: EAGAIN means the counter is full, so the writer
  // is woken anyway.
  [[maybe_unused]] const ssize_t written = ::write(fd, &one, sizeof one);
}

LogRing::Readable LogRing::readable() const noexcept {
  const std::uint64_t head = head_.load(std::memory_order_relaxed);
  const std::uint64_t tail = tail_.load(std::memory_order_acquire);
  const auto size = static_cast<std::size_t>(tail - head);
  const std::size_t at = static_cast<std::size_t>(head) & mask_;
  const std::size_t first = std::min(size, capacity_ - at);
  return Readable{std::string_view(buffer_.get() + at, first), std::string_view(buffer_.get(), size - first)};
}

void LogRing::consume(std::size_t bytes) noexcept {
  head_.store(head_.load(std::memory_order_relaxed) + bytes, std::memory_order_release);
}

LogWriter::LogWriter(int fd, std::chrono::milliseconds interval) noexcept
    : fd_(fd), interval_ms_(static_cast<int>(std::max<std::chrono::milliseconds::rep>(interval.count(), 1))) {}

LogWriter::~LogWriter() {
  stop();
  if (wake_fd_ >= 0) {
    for (LogRing* ring : rings_) ring->wake_fd_.store(-1, std::memory_order_relaxed);
    ::close(wake_fd_);
  }
}

bool LogWriter::add(LogRing& ring) {
  if (wake_fd_ >= 0) return false;
  rings_.push_back(&ring);
  return true;
}

bool LogWriter::start(std::string* error) {
  if (wake_fd_ >= 0) {
    if (error != nullptr) *error = "log writer: already started";
    return false;
  }
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    if (error != nullptr) *error = std::string("log writer: eventfd: ") + std::strerror(errno);
    return false;
  }
  for (LogRing* ring : rings_) ring->wake_fd_.store(wake_fd_, std::memory_order_relaxed);
  try {
    thread_ = std::thread([this] { run(); });
  } catch (const std::system_error& e) {
    // wake_fd_ stays open (and start refused) until the destructor: a
    // producer may already have read it.
    if (error != nullptr) *error = std::string("log writer: thread: ") + e.what();
    return false;
  }
  return true;
}

void LogWriter::stop() noexcept {
  if (!thread_.joinable()) return;
  // release: pairs with run()'s acquire, so the last drain sees every
  // line appended before this call.
  stopping_.store(true, std::memory_order_release);
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
}

std::uint64_t LogWriter::dropped() const noexcept {
  std::uint64_t total = 0;
  for (const LogRing* ring : rings_) total += ring->dropped();
  return total;
}

void LogWriter::run() noexcept {
  // A log pipe whose reader has gone must cost an EPIPE (counted), not the
  // process: SIGPIPE is blocked in this thread, which is the one write(2)
  // raises it for, so it stays pending here and ends with the thread.
  sigset_t pipe;
  sigemptyset(&pipe);
  sigaddset(&pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe, nullptr);

  pollfd wake{wake_fd_, POLLIN, 0};
  for (;;) {
    if (::poll(&wake, 1, interval_ms_) > 0) {
      std::uint64_t count;
      [[maybe_unused]] const ssize_t n = ::read(wake_fd_, &count, sizeof count);
    }
    // Read before draining: a stop() that lands during this drain is seen
    // next turn, whose poll returns at once.
    const bool last = stopping_.load(std::memory_order_acquire);
    for (LogRing* ring : rings_) drain(*ring);
    if (last) return;
  }
}

// drain writes out what the ring has published, all of it, before the
// caller moves to the next ring: a line is never interleaved with another
// ring's. Bytes are handed back to the producer as each write completes.
void LogWriter::drain(LogRing& ring) noexcept {
  // Cleared before tail_ is read, so a producer crossing half full from
  // now on wakes the writer again. If the clear is seen late, one wake is
  // missed and the interval covers it.
  ring.wake_pending_.store(false, std::memory_order_relaxed);
  LogRing::Readable left = ring.readable();
  while (left.size() > 0) {
    iovec parts[2];
    int count = 0;
    for (std::string_view part : {left.first, left.second}) {
      if (!part.empty()) parts[count++] = iovec{const_cast<char*>(part.data()), part.size()};
    }
    const ssize_t n = ::writev(fd_, parts, count);
    if (n > 0) {
      auto written = static_cast<std::size_t>(n);
      ring.consume(written);
      bytes_written_.fetch_add(written, std::memory_order_relaxed);
      const std::size_t from_first = std::min(written, left.first.size());
      left.first.remove_prefix(from_first);
      left.second.remove_prefix(written - from_first);
      if (left.first.empty()) std::swap(left.first, left.second);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && wait_writable()) continue;
    // An error, or a write of nothing: these bytes cannot go out. Dropping
    // them keeps the rings from filling for good; the count says so.
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    ring.consume(left.size());
    return;
  }
}

// wait_writable: a non-blocking fd is full. Wait for room; false to give
// up, only once stopping, so a reader that takes nothing cannot hold up the
// server's exit.
bool LogWriter::wait_writable() noexcept {
  pollfd out{fd_, POLLOUT, 0};
  const int ready = ::poll(&out, 1, interval_ms_);
  if (ready > 0) return true;  // room, or an error the next write reports
  if (ready < 0) return errno == EINTR;
  return !stopping_.load(std::memory_order_relaxed);
}

}  // namespace shockwave::observe
