#include "server/observe/prometheus.h"

#include <cstdint>

#include "server/observe/bounded_text.h"

namespace shockwave::observe {
namespace {

void family(BoundedText& out, std::string_view name, std::string_view type, std::string_view help) noexcept {
  out.put("# HELP ");
  out.put(name);
  out.put(' ');
  out.put(help);
  out.put("\n# TYPE ");
  out.put(name);
  out.put(' ');
  out.put(type);
  out.put('\n');
}

void sample(BoundedText& out, std::string_view name, std::uint64_t value) noexcept {
  out.put(name);
  out.put(' ');
  out.put_unsigned(value);
  out.put('\n');
}

void counter(BoundedText& out, std::string_view name, std::string_view help, std::uint64_t value) noexcept {
  family(out, name, "counter", help);
  sample(out, name, value);
}

}  // namespace

std::size_t render_prometheus(const StatsSnapshot& stats, std::span<char> buffer) noexcept {
  BoundedText out(buffer);
  counter(out, "shockwave_requests_total", "Responses to complete requests.", stats.requests);

  constexpr std::string_view kErrors = "shockwave_errors_total";
  family(out, kErrors, "counter", "Error responses with one of the statuses the server counts, by status.");
  for (int i = 0; i < kCountedStatusCount; ++i) {
    out.put(kErrors);
    out.put("{status=\"");
    out.put_unsigned(static_cast<std::uint64_t>(kCountedStatuses[i]));
    out.put("\"} ");
    out.put_unsigned(stats.errors[i]);
    out.put('\n');
  }

  counter(out, "shockwave_read_bytes_total", "Bytes read from client connections.", stats.bytes_read);
  counter(out, "shockwave_written_bytes_total", "Bytes written to client connections.", stats.bytes_written);
  counter(out, "shockwave_connections_accepted_total", "Connections accepted.", stats.connections_accepted);
  counter(out, "shockwave_connections_closed_total", "Connections closed.", stats.connections_closed);

  counter(out, "shockwave_access_log_dropped_lines_total", "Access log lines dropped: their loop's ring was full.",
          stats.access_log_dropped_lines);
  counter(out, "shockwave_access_log_write_errors_total", "Access log batches lost to write errors.",
          stats.access_log_write_errors);

  constexpr std::string_view kOpen = "shockwave_connections_open";
  family(out, kOpen, "gauge", "Connections open: accepted minus closed.");
  sample(out, kOpen,
         stats.connections_accepted > stats.connections_closed ? stats.connections_accepted - stats.connections_closed
                                                               : 0);

  constexpr std::string_view kLast = "shockwave_last_request_timestamp_seconds";
  family(out, kLast, "gauge", "Unix time of the last response to a complete request; 0 before the first.");
  const std::uint64_t ms = stats.last_request_unix_ms > 0 ? static_cast<std::uint64_t>(stats.last_request_unix_ms) : 0;
  out.put(kLast);
  out.put(' ');
  out.put_unsigned(ms / 1000);
  if (ms % 1000 != 0) {
    out.put('.');
    out.put_padded(static_cast<unsigned>(ms % 1000), 3);
  }
  out.put('\n');

  return out.overflowed() ? 0 : out.size();
}

}  // namespace shockwave::observe
