// LogRing and LogWriter: whole lines or nothing, in order, never torn or
// interleaved, under two threads and under a writer draining several rings
// into one fd (partial writes, EAGAIN, EINTR, EPIPE); drops counted; a stop
// that writes everything; and try_append allocating nothing.
//
// Every line a test appends carries its producer, a sequence number, a
// payload of random length and a checksum of the rest, so a torn, glued or
// reordered line is found when the output is read back.

#include "server/observe/log_ring.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "testing/alloc_counter.h"

namespace shockwave::observe {
namespace {

using namespace std::chrono_literals;

std::uint32_t checksum(std::string_view s) {
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

// "p<producer> <sequence> <payload> <checksum>\n"
std::string make_line(int producer, std::uint64_t sequence, std::mt19937& random) {
  std::string line = "p" + std::to_string(producer) + " " + std::to_string(sequence) + " ";
  line.append(random() % 120, static_cast<char>('a' + random() % 26));
  char sum[16];
  std::snprintf(sum, sizeof sum, " %08x\n", checksum(line));
  return line + sum;
}

// Lines: what the output held, by producer, in order; or what was wrong.
struct Lines {
  std::map<int, std::vector<std::uint64_t>> sequences;
  std::string error;
};

Lines read_lines(std::string_view out) {
  Lines lines;
  std::size_t start = 0;
  while (start < out.size()) {
    const std::size_t end = out.find('\n', start);
    if (end == std::string_view::npos) {
      lines.error = "unterminated tail at " + std::to_string(start);
      return lines;
    }
    const std::string_view line = out.substr(start, end - start);
    start = end + 1;
    const std::size_t last = line.rfind(' ');
    int producer = -1;
    unsigned long long sequence = 0;
    unsigned sum = 0;
    if (last == std::string_view::npos || line.size() - last != 9 ||
        std::sscanf(std::string(line).c_str(), "p%d %llu", &producer, &sequence) != 2 ||
        std::sscanf(std::string(line.substr(last + 1)).c_str(), "%x", &sum) != 1 ||
        sum != checksum(line.substr(0, last))) {
      lines.error = "torn or glued line: " + std::string(line.substr(0, 200));
      return lines;
    }
    lines.sequences[producer].push_back(sequence);
  }
  return lines;
}

std::vector<std::uint64_t> iota(std::uint64_t n) {
  std::vector<std::uint64_t> v(n);
  for (std::uint64_t i = 0; i < n; ++i) v[i] = i;
  return v;
}

std::string contents(const LogRing& ring) {
  const LogRing::Readable r = ring.readable();
  return std::string(r.first) + std::string(r.second);
}

// An in-memory file for the writer to write to.
class MemFile {
 public:
  MemFile() : fd_(memfd_create("log_ring_test", MFD_CLOEXEC)) {}
  ~MemFile() { close(fd_); }
  int fd() const { return fd_; }
  std::string read() const {
    struct stat st;
    fstat(fd_, &st);
    std::string out(static_cast<std::size_t>(st.st_size), '\0');
    EXPECT_EQ(pread(fd_, out.data(), out.size(), 0), st.st_size);
    return out;
  }
  std::size_t size() const {
    struct stat st;
    fstat(fd_, &st);
    return static_cast<std::size_t>(st.st_size);
  }

 private:
  int fd_;
};

// ---------------------------------------------------------------------------
// The ring alone.

TEST(LogRingTest, CapacityIsAPowerOfTwoOfAtLeast64) {
  EXPECT_EQ(LogRing(1).capacity(), 64u);
  EXPECT_EQ(LogRing(64).capacity(), 64u);
  EXPECT_EQ(LogRing(100).capacity(), 128u);
  EXPECT_EQ(LogRing(1 << 20).capacity(), 1u << 20);
}

TEST(LogRingTest, AppendsWholeLinesAndWrapsAround) {
  LogRing ring(64);
  ASSERT_TRUE(ring.try_append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghij\n"));  // 57
  ring.consume(57);
  // 20 bytes from offset 57: 7 before the end, 13 from the start.
  ASSERT_TRUE(ring.try_append("first line\nsecond.\n"));
  const LogRing::Readable r = ring.readable();
  EXPECT_EQ(r.first, "first l");
  EXPECT_EQ(r.second, "ine\nsecond.\n");
  ring.consume(4);
  EXPECT_EQ(contents(ring), "t line\nsecond.\n");
  ring.consume(15);
  EXPECT_EQ(ring.readable().size(), 0u);
  EXPECT_EQ(ring.dropped(), 0u);
}

TEST(LogRingTest, RefusesWhatIsNotWholeLines) {
  LogRing ring(64);
  EXPECT_FALSE(ring.try_append(""));
  EXPECT_FALSE(ring.try_append("no newline"));
  EXPECT_FALSE(ring.try_append(std::string(64, 'x') + "\n"));  // longer than the ring
  EXPECT_EQ(ring.dropped(), 3u);
  EXPECT_EQ(ring.readable().size(), 0u);
  EXPECT_TRUE(ring.try_append(std::string(63, 'x') + "\n"));  // exactly the ring
}

TEST(LogRingTest, DropsWhenFullAndCountsEachDrop) {
  LogRing ring(64);
  for (char i = '0'; i < '6'; ++i) ASSERT_TRUE(ring.try_append(std::string("line-000") + i + "\n"));  // 10 each
  EXPECT_FALSE(ring.try_append("line-0006\n"));
  EXPECT_FALSE(ring.try_append("12345\n"));  // 60 + 6 > 64
  EXPECT_EQ(ring.dropped(), 2u);
  EXPECT_TRUE(ring.try_append("123\n"));  // 60 + 4: exactly full
  EXPECT_FALSE(ring.try_append("\n"));
  EXPECT_EQ(ring.dropped(), 3u);
  EXPECT_EQ(contents(ring), "line-0000\nline-0001\nline-0002\nline-0003\nline-0004\nline-0005\n123\n");
  ring.consume(10);
  EXPECT_TRUE(ring.try_append("line-0006\n"));
  EXPECT_EQ(contents(ring), "line-0001\nline-0002\nline-0003\nline-0004\nline-0005\n123\nline-0006\n");
}

// Two threads, a small ring that wraps thousands of times, a consumer that
// takes bytes in random amounts (as partial writes do). The producer
// retries a refused line, so nothing is lost while there is room, and
// every refusal is a counted drop.
TEST(LogRingTest, SpscStress) {
  constexpr std::uint64_t kLines = 200000;
  LogRing ring(1024);
  std::atomic<bool> done{false};
  std::uint64_t refusals = 0;
  std::thread producer([&] {
    std::mt19937 random(1);
    for (std::uint64_t i = 0; i < kLines; ++i) {
      const std::string line = make_line(0, i, random);
      while (!ring.try_append(line)) {
        ++refusals;
        std::this_thread::yield();
      }
    }
    done.store(true, std::memory_order_release);
  });
  std::string out;
  std::mt19937 random(2);
  for (;;) {
    const bool finished = done.load(std::memory_order_acquire);
    const LogRing::Readable r = ring.readable();
    if (r.size() == 0 && !finished) {
      std::this_thread::yield();
      continue;
    }
    const std::size_t take = r.size() == 0 ? 0 : 1 + random() % r.size();
    const std::size_t from_first = std::min(take, r.first.size());
    out.append(r.first.substr(0, from_first));
    out.append(r.second.substr(0, take - from_first));
    ring.consume(take);
    if (finished && take == r.size()) break;
  }
  producer.join();
  const Lines lines = read_lines(out);
  ASSERT_EQ(lines.error, "");
  EXPECT_EQ(lines.sequences.at(0), iota(kLines));
  EXPECT_EQ(ring.dropped(), refusals);
}

// ---------------------------------------------------------------------------
// The writer.

// Producers, each with a ring, appending `lines` each as fast as they can,
// without retrying: what is in the file is exactly what was accepted, in
// order, and the rest is counted as dropped.
TEST(LogWriterTest, ManyRingsIntoOneFdUnderDrops) {
  constexpr int kProducers = 3;
  constexpr std::uint64_t kLines = 100000;
  MemFile file;
  std::vector<std::unique_ptr<LogRing>> rings;
  LogWriter writer(file.fd(), 1ms);
  for (int p = 0; p < kProducers; ++p) {
    rings.push_back(std::make_unique<LogRing>(4096));
    ASSERT_TRUE(writer.add(*rings.back()));
  }
  std::string error;
  ASSERT_TRUE(writer.start(&error)) << error;
  std::vector<std::vector<std::uint64_t>> accepted(kProducers);
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      std::mt19937 random(static_cast<unsigned>(p));
      for (std::uint64_t i = 0; i < kLines; ++i) {
        if (rings[p]->try_append(make_line(p, i, random))) accepted[p].push_back(i);
      }
    });
  }
  for (std::thread& t : producers) t.join();
  writer.stop();

  const Lines lines = read_lines(file.read());
  ASSERT_EQ(lines.error, "");
  std::uint64_t dropped = 0;
  for (int p = 0; p < kProducers; ++p) {
    EXPECT_EQ(lines.sequences.count(p) ? lines.sequences.at(p) : std::vector<std::uint64_t>{}, accepted[p]);
    EXPECT_EQ(rings[p]->dropped(), kLines - accepted[p].size());
    dropped += rings[p]->dropped();
  }
  EXPECT_EQ(writer.dropped(), dropped);
  EXPECT_EQ(writer.bytes_written(), file.size());
  EXPECT_EQ(writer.write_errors(), 0u);
}

// Rings with room for everything lose nothing.
TEST(LogWriterTest, NoLossWhileThereIsRoom) {
  constexpr int kProducers = 2;
  constexpr std::uint64_t kLines = 50000;
  MemFile file;
  LogRing a(16 << 20), b(16 << 20);
  LogWriter writer(file.fd(), 5ms);
  ASSERT_TRUE(writer.add(a));
  ASSERT_TRUE(writer.add(b));
  ASSERT_TRUE(writer.start(nullptr));
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      std::mt19937 random(static_cast<unsigned>(p));
      LogRing& ring = p == 0 ? a : b;
      for (std::uint64_t i = 0; i < kLines; ++i) ring.try_append(make_line(p, i, random));
    });
  }
  for (std::thread& t : producers) t.join();
  writer.stop();
  const Lines lines = read_lines(file.read());
  ASSERT_EQ(lines.error, "");
  EXPECT_EQ(lines.sequences.at(0), iota(kLines));
  EXPECT_EQ(lines.sequences.at(1), iota(kLines));
  EXPECT_EQ(writer.dropped(), 0u);
}

// stop() writes what the rings hold and returns at once, not after the
// interval.
TEST(LogWriterTest, StopDrainsAndIsPrompt) {
  MemFile file;
  LogRing ring(1 << 16);
  LogWriter writer(file.fd(), 1h);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  std::mt19937 random(3);
  for (std::uint64_t i = 0; i < 100; ++i) ASSERT_TRUE(ring.try_append(make_line(0, i, random)));
  const auto before = std::chrono::steady_clock::now();
  writer.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  const Lines lines = read_lines(file.read());
  ASSERT_EQ(lines.error, "");
  EXPECT_EQ(lines.sequences.at(0), iota(100));
  writer.stop();  // again: nothing happens
}

TEST(LogWriterTest, LifecycleEdges) {
  MemFile file;
  LogRing ring(64), late(64);
  {
    LogWriter never_started(file.fd());
    never_started.stop();
  }
  LogWriter writer(file.fd(), 1h);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  EXPECT_FALSE(writer.add(late));
  std::string error;
  EXPECT_FALSE(writer.start(&error));
  EXPECT_EQ(error, "log writer: already started");
  writer.stop();
  EXPECT_FALSE(writer.start(nullptr));  // once
}

// Past half full the producer wakes the writer: with an interval of an
// hour, the lines still arrive. Below half they wait for the interval.
TEST(LogWriterTest, HalfFullWakesTheWriter) {
  MemFile file;
  LogRing ring(4096);
  LogWriter writer(file.fd(), 1h);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  const std::string line(99, 'x');
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(ring.try_append(line + "\n"));  // 2000 bytes: under half
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(file.size(), 0u);
  for (int i = 0; i < 1; ++i) ASSERT_TRUE(ring.try_append(line + "\n"));  // 2100 > 2048
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (file.size() < 2100 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(file.size(), 2100u);
  writer.stop();
}

// A reader that takes a little at a time from a non-blocking pipe of one
// page: writes are partial and hit EAGAIN; nothing is lost or torn. The
// interval is long because, once stopping, the writer gives up on a
// non-blocking fd that stays full for one interval (see
// StopGivesUpOnAReaderThatTakesNothing): with 1 ms, a reader thread
// descheduled that long on a loaded machine (CI, under UBSan) was taken for
// one that reads nothing, and the last line was cut. Room ends the wait at
// once, so the long interval does not slow the test.
TEST(LogWriterTest, PartialWritesAndEagain) {
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  fcntl(pipe_fds[0], F_SETPIPE_SZ, 4096);
  fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK);
  constexpr std::uint64_t kLines = 20000;
  LogRing ring(1 << 14);
  LogWriter writer(pipe_fds[1], 1s);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  std::string out;
  std::thread reader([&] {
    char chunk[777];
    ssize_t n;
    while ((n = read(pipe_fds[0], chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<std::size_t>(n));
  });
  std::mt19937 random(4);
  for (std::uint64_t i = 0; i < kLines; ++i) {
    const std::string line = make_line(0, i, random);
    while (!ring.try_append(line)) std::this_thread::yield();
  }
  writer.stop();
  close(pipe_fds[1]);
  reader.join();
  close(pipe_fds[0]);
  const Lines lines = read_lines(out);
  ASSERT_EQ(lines.error, "");
  EXPECT_EQ(lines.sequences.at(0), iota(kLines));
  EXPECT_EQ(writer.write_errors(), 0u);
}

std::atomic<int> signals_seen{0};
extern "C" void count_signal(int) { signals_seen.fetch_add(1, std::memory_order_relaxed); }

// Signals without SA_RESTART aimed at the writer while it blocks on a full
// pipe: its writes return EINTR or short, and nothing is lost or torn.
TEST(LogWriterTest, InterruptedWrites) {
  struct sigaction action = {}, old_action;
  action.sa_handler = count_signal;  // no SA_RESTART
  sigemptyset(&action.sa_mask);
  ASSERT_EQ(sigaction(SIGUSR1, &action, &old_action), 0);
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  fcntl(pipe_fds[0], F_SETPIPE_SZ, 4096);
  LogRing ring(1 << 16);
  LogWriter writer(pipe_fds[1], 1ms);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));  // its thread takes SIGUSR1...

  sigset_t usr1, old_mask;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  ASSERT_EQ(pthread_sigmask(SIG_BLOCK, &usr1, &old_mask), 0);  // ...this one and the next do not
  constexpr std::uint64_t kLines = 20000;
  std::string out;
  std::atomic<bool> reading{true};
  std::thread reader([&] {
    char chunk[512];
    ssize_t n;
    while ((n = read(pipe_fds[0], chunk, sizeof chunk)) > 0) {
      out.append(chunk, static_cast<std::size_t>(n));
      std::this_thread::sleep_for(20us);
    }
    reading.store(false);
  });
  std::mt19937 random(5);
  for (std::uint64_t i = 0; i < kLines; ++i) {
    const std::string line = make_line(0, i, random);
    while (!ring.try_append(line)) {
      kill(getpid(), SIGUSR1);
      std::this_thread::sleep_for(50us);
    }
  }
  writer.stop();
  close(pipe_fds[1]);
  reader.join();
  close(pipe_fds[0]);
  ASSERT_EQ(pthread_sigmask(SIG_SETMASK, &old_mask, nullptr), 0);
  ASSERT_EQ(sigaction(SIGUSR1, &old_action, nullptr), 0);

  EXPECT_GT(signals_seen.load(), 0);
  const Lines lines = read_lines(out);
  ASSERT_EQ(lines.error, "");
  EXPECT_EQ(lines.sequences.at(0), iota(kLines));
}

// A pipe nobody reads any more: EPIPE, not SIGPIPE; the batch is counted
// and discarded, so the ring takes lines again.
TEST(LogWriterTest, WriteErrorsAreCountedAndDiscarded) {
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  close(pipe_fds[0]);
  LogRing ring(4096);
  LogWriter writer(pipe_fds[1], 1ms);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  ASSERT_TRUE(ring.try_append("lost\n"));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (writer.write_errors() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
  EXPECT_GE(writer.write_errors(), 1u);
  while (ring.readable().size() != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_EQ(ring.readable().size(), 0u);
  writer.stop();
  close(pipe_fds[1]);
}

// A non-blocking pipe whose reader never reads: once stopping, the writer
// waits one interval for room, then gives the batch up (counted), so the
// server's exit is not held up.
TEST(LogWriterTest, StopGivesUpOnAReaderThatTakesNothing) {
  int pipe_fds[2];
  ASSERT_EQ(pipe2(pipe_fds, O_CLOEXEC), 0);
  fcntl(pipe_fds[0], F_SETPIPE_SZ, 4096);
  fcntl(pipe_fds[1], F_SETFL, O_NONBLOCK);
  LogRing ring(1 << 16);
  LogWriter writer(pipe_fds[1], 50ms);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  const std::string line = std::string(99, 'x') + "\n";
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(ring.try_append(line));  // 20,000 bytes for a 4,096-byte pipe
  const auto before = std::chrono::steady_clock::now();
  writer.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  // One batch, or two if the lines were appended while it waited on the first.
  EXPECT_GE(writer.write_errors(), 1u);
  EXPECT_EQ(ring.readable().size(), 0u);
  close(pipe_fds[0]);
  close(pipe_fds[1]);
}

// Invariant 1 (docs/invariants.md) for the log's hot path: appends that
// fit, that wake the writer (past half full) and that are dropped, on a
// started writer, allocate nothing.
TEST(LogRingTest, TryAppendAllocatesNothing) {
  MemFile file;
  LogRing ring(4096);
  LogWriter writer(file.fd(), 1h);
  ASSERT_TRUE(writer.add(ring));
  ASSERT_TRUE(writer.start(nullptr));
  const std::string line = std::string(99, 'x') + "\n";
  int accepted = 0;
  {
    shockwave::testing::AllocationScope scope;
    for (int i = 0; i < 1000; ++i) accepted += ring.try_append(line) ? 1 : 0;
    ring.try_append("not a line");
    EXPECT_EQ(scope.allocations(), 0u);
  }
  EXPECT_GT(accepted, 20);        // past half full: the wake path ran
  EXPECT_GT(ring.dropped(), 0u);  // and the drop path
  writer.stop();
}

}  // namespace
}  // namespace shockwave::observe
