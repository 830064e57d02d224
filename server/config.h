#ifndef SHOCKWAVE_SERVER_CONFIG_H_
#define SHOCKWAVE_SERVER_CONFIG_H_

// Config: everything the server sizes at start-up. Every buffer and
// connection slot is allocated once, from these numbers; a request that does
// not fit is answered with its status (414/431/413), never a reason to grow.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/http1/options.h"

namespace shockwave {

// IoBackend: how an event loop waits for and moves bytes (README, "Event loops").
enum class IoBackend : std::uint8_t {
  kEpoll,  // edge-triggered epoll; recv and send are system calls
  kUring,  // io_uring; receives and sends are queued and submitted together
  kAuto,   // io_uring if the kernel gives this process a ring, else epoll
};

// io_name: the name --io takes and the server prints.
constexpr std::string_view io_name(IoBackend io) noexcept {
  switch (io) {
    case IoBackend::kEpoll:
      return "epoll";
    case IoBackend::kUring:
      return "uring";
    case IoBackend::kAuto:
      break;
  }
  return "auto";
}

// AccessLogFormat: the access log's lines (observe/access_log_line.h has
// both, byte for byte): NCSA combined, as nginx and Apache write it, or
// one JSON object per line.
enum class AccessLogFormat : std::uint8_t { kCombined, kJson };

struct Config {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: the kernel picks one (see Server::port())
  unsigned threads = 1;       // event loops, each with its own SO_REUSEPORT listener
  // kAuto by default: io_uring spends less CPU and far fewer system calls
  // per request (README, "Event loops"), but a kernel may refuse rings
  // (seccomp, kernel.io_uring_disabled). Once started, Server::config().io
  // says which loop runs; kUring asked for explicitly fails start() instead.
  IoBackend io = IoBackend::kAuto;

  // Across all threads; accept is paused (not spun) at the limit.
  std::size_t max_connections = 1024;
  // Field lines a request may carry (its head's and trailers' together) → 431.
  std::size_t max_fields = 100;
  // Parser limits: request-line (414), field section (431), body (413), ...
  http1::ParserLimits limits = [] {
    http1::ParserLimits l;
    l.max_request_line = 8192;  // nginx: large_client_header_buffers 8k
    l.max_field_section = 16 * 1024;
    l.max_body = 64 * 1024;  // a request, head and body, lives in one input buffer
    return l;
  }();
  http1::Leniency leniency;  // all off: strict
  // Response bytes one connection may have queued; a response whose head or
  // content is larger than this is answered with 500 instead, nothing of it
  // sent (a streaming response may be larger: it is sent as it goes).
  std::size_t write_buffer_size = 64 * 1024;

  // Timeouts, in the range nginx and h2o use.
  std::chrono::milliseconds header_timeout{10'000};   // whole head, from its first byte (slowloris)
  std::chrono::milliseconds body_timeout{10'000};     // between body reads
  std::chrono::milliseconds idle_timeout{60'000};     // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout{10'000};    // between write progress
  std::chrono::milliseconds shutdown_timeout{5'000};  // graceful shutdown's hard deadline
  // A deferred response, or a body paused by its handler, must be woken
  // within this (handler.h); else 503 and the connection closes.
  std::chrono::milliseconds deferred_timeout{30'000};
  std::size_t max_requests_per_connection = 10'000;  // then Connection: close

  // The server's answer to OPTIONS * (RFC 9110 §9.3.7): the methods it
  // serves, as the Allow field of a 200. Handlers never see OPTIONS *.
  std::string allow = "GET, HEAD, OPTIONS, POST, PUT, DELETE";

  // Per-thread relaxed counters; free when off, allocation-free when on.
  bool enable_stats = false;

  // The access log: a line per response, written to this file (appended;
  // "-" is stderr), or none when empty (the default). Each event loop puts
  // its lines in a ring of access_log_ring bytes that a thread of the
  // server's drains, so a loop never waits for the disk and allocates
  // nothing; a line that finds its ring full is dropped and counted.
  std::string access_log;
  AccessLogFormat access_log_format = AccessLogFormat::kCombined;
  std::size_t access_log_ring = 1 << 20;

  // read_buffer_size is each connection's input buffer: one whole request
  // (request-line, field section, trailers, body) must fit.
  std::size_t read_buffer_size() const {
    return limits.max_request_line + 2 * limits.max_field_section + limits.max_body + 1024;
  }
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_CONFIG_H_
