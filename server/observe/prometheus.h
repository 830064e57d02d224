#ifndef SHOCKWAVE_SERVER_OBSERVE_PROMETHEUS_H_
#define SHOCKWAVE_SERVER_OBSERVE_PROMETHEUS_H_

// render_prometheus: the stats counters (server/stats.h, as
// Server::stats() sums them) in the Prometheus text exposition format,
// version 0.0.4, into a caller's buffer, without allocating:
//
//   char body[kPrometheusBufferSize];
//   std::size_t n = render_prometheus(server.stats(), body);
//   w.header("Content-Type", kPrometheusContentType);
//   w.body(std::string_view(body, n));
//
// Every family has # HELP and # TYPE before its samples; names start with
// shockwave_, counters end in _total:
//
//   shockwave_requests_total                  counter  responses to complete requests
//   shockwave_errors_total{status="400"}      counter  one series per kCountedStatuses entry, in its order
//   shockwave_read_bytes_total                counter  bytes read from client connections
//   shockwave_written_bytes_total             counter  bytes written to client connections
//   shockwave_connections_accepted_total      counter
//   shockwave_connections_closed_total        counter
//   shockwave_access_log_dropped_lines_total  counter  the ring was full (0 without an access log)
//   shockwave_access_log_write_errors_total   counter  batches the log file refused
//   shockwave_connections_open                gauge    accepted - closed (0 if the sums cross)
//   shockwave_last_request_timestamp_seconds  gauge    Unix time, millisecond precision; 0 before any
//
// The counters are sums of relaxed per-loop atomics, read one after the
// other: a scrape may see a connection closed but not yet its accept,
// hence the clamp on the gauge.

#include <cstddef>
#include <span>
#include <string_view>

#include "server/stats.h"

namespace shockwave::observe {

// The Content-Type to serve the rendering with.
inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Large enough for any snapshot (every value at its widest).
inline constexpr std::size_t kPrometheusBufferSize = 4096;

// render_prometheus writes the exposition to `out` and returns its length,
// or 0 if it does not fit (then `out`'s contents are unspecified).
std::size_t render_prometheus(const StatsSnapshot& stats, std::span<char> out) noexcept;

}  // namespace shockwave::observe

#endif  // SHOCKWAVE_SERVER_OBSERVE_PROMETHEUS_H_
