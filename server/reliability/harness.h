#ifndef SHOCKWAVE_SERVER_RELIABILITY_HARNESS_H_
#define SHOCKWAVE_SERVER_RELIABILITY_HARNESS_H_

// What the reliability tests measure and print: the scale of the run (short
// form by default, full form under SHOCKWAVE_RELIABILITY_LONG), figures for
// the test log, the process's RSS and CPU time, latency percentiles, and
// sockets opened by the hundred. Test code: it allocates freely.

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace shockwave::reliability {

#ifdef SHOCKWAVE_RELIABILITY_LONG
inline constexpr bool kLong = true;
#else
inline constexpr bool kLong = false;
#endif

// scaled: the short form's number, or the full form's.
template <class T>
constexpr T scaled(T short_form, T long_form) {
  return kLong ? long_form : short_form;
}

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::int64_t ms_since(Clock::time_point start);

// figure prints one measured figure to the test log as
// "FIGURE <test>: <name> = <value> <unit>", for the README and the notes.
void figure(std::string_view name, double value, std::string_view unit = "");

// rss_kib: this process's resident set (VmRSS), in KiB.
std::int64_t rss_kib();
// cpu_ms: CPU time (user + system) this process has used.
std::int64_t cpu_ms();
// cpu_ms_of: the same for another process, from /proc/<pid>/stat; -1 if gone.
std::int64_t cpu_ms_of(pid_t pid);

// raise_fd_limit lifts this process's soft RLIMIT_NOFILE towards `want`
// (never past the hard limit) and returns the soft limit now in force.
std::size_t raise_fd_limit(std::size_t want);

struct Percentiles {
  std::size_t count = 0;
  double p50_us = 0, p99_us = 0, max_us = 0;
};
Percentiles percentiles(std::vector<double> samples_us);
// print_latency prints count, p50, p99 and max as figures named `label`.
void print_latency(std::string_view label, const Percentiles& p);

// connect_nonblocking opens a non-blocking TCP connection to
// 127.0.0.1:port (the handshake may still be in flight); -1 on failure, with
// errno set. The caller closes it.
int connect_nonblocking(std::uint16_t port);
// connect_blocking: a connected blocking socket with 10 s send/receive
// timeouts and TCP_NODELAY, or -1. `receive_buffer` > 0 sets SO_RCVBUF first.
int connect_blocking(std::uint16_t port, int receive_buffer = 0);
// reset_close closes `fd` with SO_LINGER 0: the peer sees a reset (RST).
void reset_close(int fd);
// send_all writes every byte (blocking socket); false if the peer is gone.
bool send_all(int fd, std::string_view bytes);
// read_until_close reads until EOF, a reset or `timeout`; the bytes read.
// *closed says whether the peer closed (EOF or reset) in time.
std::string read_until_close(int fd, milliseconds timeout, bool* closed);

}  // namespace shockwave::reliability

#endif  // SHOCKWAVE_SERVER_RELIABILITY_HARNESS_H_
