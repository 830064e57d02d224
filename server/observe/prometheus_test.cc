// render_prometheus: the exact text for a known snapshot, the exposition
// grammar (version 0.0.4) enforced line by line by a small checker that is
// itself shown to refuse bad input, every value at its widest fitting
// kPrometheusBufferSize, 0 when the buffer is short, and no allocation.

#include "server/observe/prometheus.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "server/stats.h"
#include "testing/alloc_counter.h"

namespace shockwave::observe {
namespace {

std::string render(const StatsSnapshot& stats, std::size_t size = kPrometheusBufferSize) {
  std::string out(size, '\0');
  out.resize(render_prometheus(stats, out));
  return out;
}

// ---------------------------------------------------------------------------
// check_exposition: "" if `text` follows the text format 0.0.4, else the
// first problem. Stricter than the format where this package promises
// more: every family has HELP and TYPE, both before its samples.

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

bool metric_name(std::string_view s) {
  if (s.empty() || !(name_start(s[0]) || s[0] == ':')) return false;
  for (char c : s) {
    if (!name_char(c) && c != ':') return false;
  }
  return true;
}

bool label_name(std::string_view s) {
  if (s.empty() || !name_start(s[0]) || s.starts_with("__")) return false;
  for (char c : s) {
    if (!name_char(c)) return false;
  }
  return true;
}

// A float as Go's ParseFloat takes it, or +Inf, -Inf, NaN.
bool sample_value(std::string_view s) {
  if (s == "+Inf" || s == "-Inf" || s == "NaN") return true;
  if (s.empty()) return false;
  const std::string text(s);
  char* end = nullptr;
  std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && text.find_first_not_of("+-.0123456789eE") == std::string::npos;
}

std::string check_exposition(std::string_view text) {
  if (text.empty() || text.back() != '\n') return "does not end in LF";
  std::set<std::string> helped, typed, sampled, series;
  std::string current;  // the family whose samples are being read
  std::size_t start = 0;
  for (int number = 1; start < text.size(); ++number) {
    const std::size_t end = text.find('\n', start);
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (line.empty()) return where + "empty";
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) {
      const bool help = line[2] == 'H';
      const std::string_view rest = line.substr(7);
      const std::size_t space = rest.find(' ');
      const std::string name(rest.substr(0, space));
      if (!metric_name(name)) return where + "bad metric name";
      if (sampled.count(name)) return where + "HELP or TYPE after the family's samples";
      if (help) {
        if (!helped.insert(name).second) return where + "second HELP";
        const std::string_view doc = space == std::string_view::npos ? "" : rest.substr(space + 1);
        for (std::size_t i = 0; i < doc.size(); ++i) {
          if (doc[i] == '\\' && (i + 1 == doc.size() || (doc[i + 1] != '\\' && doc[i + 1] != 'n'))) {
            return where + "bad escape in HELP";
          }
          if (doc[i] == '\\') ++i;
        }
      } else {
        if (!typed.insert(name).second) return where + "second TYPE";
        const std::string_view type = space == std::string_view::npos ? "" : rest.substr(space + 1);
        if (type != "counter" && type != "gauge" && type != "histogram" && type != "summary" && type != "untyped") {
          return where + "unknown type";
        }
      }
      continue;
    }
    if (line[0] == '#') continue;  // a comment

    // name [ "{" label="value" { "," label="value" } [","] "}" ] value [ timestamp ]
    std::size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    const std::string name(line.substr(0, i));
    if (!metric_name(name)) return where + "bad metric name";
    std::string labels;
    if (i < line.size() && line[i] == '{') {
      std::set<std::string> label_names;
      ++i;
      while (i < line.size() && line[i] != '}') {
        const std::size_t eq = line.find('=', i);
        if (eq == std::string_view::npos) return where + "label without =";
        const std::string label(line.substr(i, eq - i));
        if (!label_name(label) || !label_names.insert(label).second) return where + "bad or repeated label name";
        i = eq + 1;
        if (i >= line.size() || line[i] != '"') return where + "unquoted label value";
        for (++i; i < line.size() && line[i] != '"'; ++i) {
          if (line[i] == '\\') {
            if (i + 1 >= line.size() || (line[i + 1] != '\\' && line[i + 1] != '"' && line[i + 1] != 'n')) {
              return where + "bad escape in label value";
            }
            ++i;
          }
        }
        if (i >= line.size()) return where + "unterminated label value";
        ++i;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return where + "unterminated labels";
      labels = std::string(line.substr(name.size(), i + 1 - name.size()));
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return where + "no space before the value";
    const std::string_view rest = line.substr(i + 1);
    const std::size_t space = rest.find(' ');
    if (!sample_value(rest.substr(0, space))) return where + "bad value";
    if (space != std::string_view::npos) {
      const std::string_view timestamp = rest.substr(space + 1);
      if (timestamp.empty() || timestamp.find_first_not_of("-0123456789") != std::string_view::npos) {
        return where + "bad timestamp";
      }
    }
    // This package's families are counters and gauges: the family is the
    // sample's name.
    if (!helped.count(name) || !typed.count(name)) return where + "sample before its HELP and TYPE";
    if (name != current && sampled.count(name)) return where + "family's samples not together";
    current = name;
    sampled.insert(name);
    if (!series.insert(name + labels).second) return where + "repeated series";
  }
  return "";
}

TEST(ExpositionCheckerTest, RefusesWhatTheFormatForbids) {
  EXPECT_EQ(check_exposition("# HELP a x\n# TYPE a counter\na 1\n"), "");
  EXPECT_EQ(check_exposition("# TYPE a counter\n# HELP a x\na{b=\"c\\\"\",d=\"\"} 1.5e3 123\n"), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\na 1"), "");                    // no final LF
  EXPECT_NE(check_exposition("a 1\n# HELP a x\n# TYPE a counter\n"), "");                  // sample first
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\n# TYPE a gauge\na 1\n"), "");  // two TYPEs
  EXPECT_NE(check_exposition("# HELP 1a x\n# TYPE 1a counter\n1a 1\n"), "");               // name charset
  EXPECT_NE(check_exposition("# HELP a-b x\n# TYPE a-b counter\na-b 1\n"), "");
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\na{1=\"x\"} 1\n"), "");  // label name
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\na{b=\"x} 1\n"), "");    // open quote
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\na 1,5\n"), "");         // value
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\na 1\na 2\n"), "");      // same series
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\n# HELP b x\n# TYPE b gauge\n"
                             "a{s=\"1\"} 1\nb 1\na{s=\"2\"} 1\n"),
            "");                                                              // interleaved families
  EXPECT_NE(check_exposition("# HELP a x\n# TYPE a counter\n\na 1\n"), "");   // empty line
  EXPECT_NE(check_exposition("# HELP a x\\y\n# TYPE a counter\na 1\n"), "");  // HELP escape
}

// ---------------------------------------------------------------------------

StatsSnapshot example() {
  StatsSnapshot s;
  s.requests = 1234;
  s.connections_accepted = 57;
  s.connections_closed = 50;
  s.bytes_read = 987654;
  s.bytes_written = 12345678;
  for (int i = 0; i < kCountedStatusCount; ++i) s.errors[i] = static_cast<std::uint64_t>(i * 3);
  s.last_request_unix_ms = 1700000000123;
  s.access_log_dropped_lines = 11;
  s.access_log_write_errors = 2;
  return s;
}

TEST(PrometheusTest, ExactText) {
  EXPECT_EQ(render(example()),
            "# HELP shockwave_requests_total Responses to complete requests.\n"
            "# TYPE shockwave_requests_total counter\n"
            "shockwave_requests_total 1234\n"
            "# HELP shockwave_errors_total Error responses with one of the statuses the server counts, by status.\n"
            "# TYPE shockwave_errors_total counter\n"
            "shockwave_errors_total{status=\"400\"} 0\n"
            "shockwave_errors_total{status=\"408\"} 3\n"
            "shockwave_errors_total{status=\"413\"} 6\n"
            "shockwave_errors_total{status=\"414\"} 9\n"
            "shockwave_errors_total{status=\"431\"} 12\n"
            "shockwave_errors_total{status=\"500\"} 15\n"
            "shockwave_errors_total{status=\"501\"} 18\n"
            "shockwave_errors_total{status=\"505\"} 21\n"
            "# HELP shockwave_read_bytes_total Bytes read from client connections.\n"
            "# TYPE shockwave_read_bytes_total counter\n"
            "shockwave_read_bytes_total 987654\n"
            "# HELP shockwave_written_bytes_total Bytes written to client connections.\n"
            "# TYPE shockwave_written_bytes_total counter\n"
            "shockwave_written_bytes_total 12345678\n"
            "# HELP shockwave_connections_accepted_total Connections accepted.\n"
            "# TYPE shockwave_connections_accepted_total counter\n"
            "shockwave_connections_accepted_total 57\n"
            "# HELP shockwave_connections_closed_total Connections closed.\n"
            "# TYPE shockwave_connections_closed_total counter\n"
            "shockwave_connections_closed_total 50\n"
            "# HELP shockwave_access_log_dropped_lines_total Access log lines dropped: their loop's ring was full.\n"
            "# TYPE shockwave_access_log_dropped_lines_total counter\n"
            "shockwave_access_log_dropped_lines_total 11\n"
            "# HELP shockwave_access_log_write_errors_total Access log batches lost to write errors.\n"
            "# TYPE shockwave_access_log_write_errors_total counter\n"
            "shockwave_access_log_write_errors_total 2\n"
            "# HELP shockwave_connections_open Connections open: accepted minus closed.\n"
            "# TYPE shockwave_connections_open gauge\n"
            "shockwave_connections_open 7\n"
            "# HELP shockwave_last_request_timestamp_seconds Unix time of the last response to a complete "
            "request; 0 before the first.\n"
            "# TYPE shockwave_last_request_timestamp_seconds gauge\n"
            "shockwave_last_request_timestamp_seconds 1700000000.123\n");
}

TEST(PrometheusTest, FollowsTheExpositionGrammar) {
  EXPECT_EQ(check_exposition(render(example())), "");
  EXPECT_EQ(check_exposition(render(StatsSnapshot{})), "");
}

// Every counted status gets its series, with the status as its label.
TEST(PrometheusTest, OneErrorSeriesPerCountedStatus) {
  const std::string text = render(example());
  for (int i = 0; i < kCountedStatusCount; ++i) {
    const std::string series = "shockwave_errors_total{status=\"" + std::to_string(kCountedStatuses[i]) + "\"} " +
                               std::to_string(i * 3) + "\n";
    EXPECT_NE(text.find(series), std::string::npos) << series;
  }
}

TEST(PrometheusTest, EdgesOfTheGauges) {
  StatsSnapshot s;
  std::string text = render(s);
  EXPECT_NE(text.find("\nshockwave_connections_open 0\n"), std::string::npos);
  EXPECT_NE(text.find("\nshockwave_last_request_timestamp_seconds 0\n"), std::string::npos);

  // Closed ahead of accepted (sums read one after the other): 0, not a wrap.
  s.connections_accepted = 3;
  s.connections_closed = 4;
  s.last_request_unix_ms = 1700000000000;  // whole seconds: no fraction
  text = render(s);
  EXPECT_NE(text.find("\nshockwave_connections_open 0\n"), std::string::npos);
  EXPECT_NE(text.find("\nshockwave_last_request_timestamp_seconds 1700000000\n"), std::string::npos);

  s.last_request_unix_ms = 1700000000005;  // the fraction keeps its zeros
  EXPECT_NE(render(s).find("\nshockwave_last_request_timestamp_seconds 1700000000.005\n"), std::string::npos);
  s.last_request_unix_ms = -5;
  EXPECT_NE(render(s).find("\nshockwave_last_request_timestamp_seconds 0\n"), std::string::npos);
}

StatsSnapshot widest() {
  StatsSnapshot s;
  s.requests = s.connections_accepted = s.bytes_read = s.bytes_written = UINT64_MAX;
  s.access_log_dropped_lines = s.access_log_write_errors = UINT64_MAX;
  for (std::uint64_t& e : s.errors) e = UINT64_MAX;
  s.last_request_unix_ms = INT64_MAX;
  return s;
}

TEST(PrometheusTest, AnySnapshotFitsTheBufferSize) {
  const std::string text = render(widest());
  ASSERT_FALSE(text.empty());
  EXPECT_LE(text.size(), kPrometheusBufferSize);
  EXPECT_EQ(check_exposition(text), "");
  EXPECT_NE(text.find("\nshockwave_connections_open 18446744073709551615\n"), std::string::npos);
  EXPECT_NE(text.find("\nshockwave_last_request_timestamp_seconds 9223372036854775.807\n"), std::string::npos);
}

// Exactly its length fits; one byte less is 0, never a cut exposition.
TEST(PrometheusTest, ShortBufferGivesZero) {
  for (const StatsSnapshot& s : {example(), widest(), StatsSnapshot{}}) {
    const std::string whole = render(s);
    EXPECT_EQ(render(s, whole.size()), whole);
    for (std::size_t size : {whole.size() - 1, whole.size() / 2, std::size_t{1}, std::size_t{0}}) {
      EXPECT_EQ(render(s, size), "") << size;
    }
  }
}

TEST(PrometheusTest, ContentType) { EXPECT_EQ(kPrometheusContentType, "text/plain; version=0.0.4; charset=utf-8"); }

// A scrape, like a request, allocates nothing.
TEST(PrometheusTest, AllocatesNothing) {
  const StatsSnapshot s = example();
  char out[kPrometheusBufferSize];
  char small[100];
  std::size_t total = 0;
  shockwave::testing::AllocationScope scope;
  for (int i = 0; i < 1000; ++i) {
    total += render_prometheus(s, out);
    total += render_prometheus(s, small);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace shockwave::observe
