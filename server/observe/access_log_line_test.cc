// format_access_line: both formats byte for byte, the client's bytes
// (CR/LF, quotes, backslashes, NUL, 0x80-0xFF) unable to end a line or
// forge a field, truncation at every buffer size, the time against
// gmtime_r, the size bound, and no allocation.
//
// Two small readers (read_combined, read_json) undo the escaping, so the
// properties are "what was logged reads back as what was given".

#include "server/observe/access_log_line.h"

#include <gtest/gtest.h>
#include <time.h>

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "testing/alloc_counter.h"

namespace shockwave::observe {
namespace {

constexpr std::int64_t kOct10 = 971186136000;  // 2000-10-10T13:55:36Z

AccessRecord example() {
  AccessRecord r;
  r.peer = PeerAddress::ipv4({127, 0, 0, 1});
  r.unix_ms = kOct10 + 123;
  r.method = "GET";
  r.target = "/x";
  r.version_minor = 1;
  r.status = 200;
  r.response_bytes = 2326;
  r.request_body_bytes = 17;
  r.duration_us = 1250;
  r.user_agent = "ua";
  r.referer = "ref";
  return r;
}

std::string format(const AccessRecord& r, AccessLogFormat f, std::size_t size = 1 << 16) {
  std::string out(size, '\0');
  out.resize(format_access_line(r, f, out));
  return out;
}

// bytes: a literal's bytes, NULs included.
template <std::size_t N>
constexpr std::string_view bytes(const char (&literal)[N]) {
  return std::string_view(literal, N - 1);
}

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) { return c <= '9' ? c - '0' : c - 'A' + 10; }

// Every byte but the last is printable ASCII; the last is the only '\n'.
::testing::AssertionResult one_safe_line(std::string_view line) {
  if (line.empty() || line.back() != '\n') return ::testing::AssertionFailure() << "no final LF";
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x20 || c > 0x7E) return ::testing::AssertionFailure() << "byte " << int(c) << " at " << i;
  }
  return ::testing::AssertionSuccess();
}

// ---------------------------------------------------------------------------
// read_combined: the fields of a combined line, strings unescaped.

struct Combined {
  std::string peer, time, request, referer, user_agent;
  std::uint64_t status = 0, bytes = 0;
};

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool literal(std::string_view l) {
    if (!s_.substr(i_).starts_with(l)) return false;
    i_ += l.size();
    return true;
  }
  bool number(std::uint64_t& v) {
    const std::size_t start = i_;
    v = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') v = v * 10 + static_cast<std::uint64_t>(s_[i_++] - '0');
    return i_ > start;
  }
  std::string until(char c) {
    const std::size_t end = s_.find(c, i_);
    std::string out(s_.substr(i_, end - i_));
    i_ = end == std::string_view::npos ? s_.size() : end;
    return out;
  }
  // quoted reads "..." with `escape` ("\\x" or "\\u00") + two hex digits,
  // and \" \\ when `quote_escapes`. A raw '"' can only be the closing one.
  bool quoted(std::string& out, std::string_view escape, bool quote_escapes) {
    if (!literal("\"")) return false;
    out.clear();
    while (i_ < s_.size() && s_[i_] != '"') {
      if (s_[i_] != '\\') {
        out += s_[i_++];
        continue;
      }
      if (quote_escapes && i_ + 1 < s_.size() && (s_[i_ + 1] == '"' || s_[i_ + 1] == '\\')) {
        out += s_[i_ + 1];
        i_ += 2;
        continue;
      }
      if (!literal(escape) || i_ + 2 > s_.size() || !hex_digit(s_[i_]) || !hex_digit(s_[i_ + 1])) return false;
      out += static_cast<char>(hex_value(s_[i_]) * 16 + hex_value(s_[i_ + 1]));
      i_ += 2;
    }
    return literal("\"");
  }
  bool done() const { return i_ == s_.size(); }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

std::optional<Combined> read_combined(std::string_view line) {
  Combined c;
  Reader r(line);
  c.peer = r.until(' ');
  if (!r.literal(" - - [")) return std::nullopt;
  c.time = r.until(']');
  if (!r.literal("] ") || !r.quoted(c.request, "\\x", false) || !r.literal(" ") || !r.number(c.status) ||
      !r.literal(" ") || !r.number(c.bytes) || !r.literal(" ") || !r.quoted(c.referer, "\\x", false) ||
      !r.literal(" ") || !r.quoted(c.user_agent, "\\x", false) || !r.literal("\n") || !r.done()) {
    return std::nullopt;
  }
  return c;
}

// read_json: a flat object of strings, unsigned integers and true, in
// order; values as text (strings unescaped), or nullopt if not JSON of
// that shape.
std::optional<std::vector<std::pair<std::string, std::string>>> read_json(std::string_view line) {
  std::vector<std::pair<std::string, std::string>> members;
  Reader r(line);
  if (!r.literal("{")) return std::nullopt;
  do {
    std::string key, value;
    if (!r.quoted(key, "\\u00", true) || !r.literal(":")) return std::nullopt;
    std::uint64_t n;
    if (r.quoted(value, "\\u00", true)) {
    } else if (r.number(n)) {
      value = std::to_string(n);
    } else if (r.literal("true")) {
      value = "true";
    } else {
      return std::nullopt;
    }
    members.emplace_back(key, value);
  } while (r.literal(","));
  if (!r.literal("}\n") || !r.done()) return std::nullopt;
  return members;
}

// ---------------------------------------------------------------------------

TEST(AccessLogLineTest, CombinedByteExact) {
  EXPECT_EQ(format(example(), AccessLogFormat::kCombined),
            "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.1\" 200 2326 \"ref\" \"ua\"\n");
}

TEST(AccessLogLineTest, JsonByteExact) {
  EXPECT_EQ(format(example(), AccessLogFormat::kJson),
            "{\"time\":\"2000-10-10T13:55:36.123Z\",\"peer\":\"127.0.0.1\",\"method\":\"GET\","
            "\"protocol\":\"HTTP/1.1\",\"status\":200,\"response_bytes\":2326,\"request_body_bytes\":17,"
            "\"duration_us\":1250,\"target\":\"/x\",\"referer\":\"ref\",\"user_agent\":\"ua\"}\n");
}

TEST(AccessLogLineTest, AbsentFields) {
  AccessRecord r = example();
  r.peer = PeerAddress{};
  r.version_minor = 0;
  r.user_agent = {};
  r.referer = {};
  EXPECT_EQ(format(r, AccessLogFormat::kCombined),
            "- - - [10/Oct/2000:13:55:36 +0000] \"GET /x HTTP/1.0\" 200 2326 \"-\" \"-\"\n");
  EXPECT_EQ(format(r, AccessLogFormat::kJson),
            "{\"time\":\"2000-10-10T13:55:36.123Z\",\"peer\":\"-\",\"method\":\"GET\","
            "\"protocol\":\"HTTP/1.0\",\"status\":200,\"response_bytes\":2326,\"request_body_bytes\":17,"
            "\"duration_us\":1250,\"target\":\"/x\",\"referer\":\"\",\"user_agent\":\"\"}\n");
}

// A 400 for bytes that never made a request line: no method, and the
// target (whatever the caller left there) is not logged.
TEST(AccessLogLineTest, NoRequestLine) {
  AccessRecord r = example();
  r.method = {};
  r.target = "ignored";
  r.status = 400;
  r.peer = PeerAddress::ipv6({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  EXPECT_EQ(format(r, AccessLogFormat::kCombined),
            "2001:db8::1 - - [10/Oct/2000:13:55:36 +0000] \"-\" 400 2326 \"ref\" \"ua\"\n");
  EXPECT_EQ(format(r, AccessLogFormat::kJson),
            "{\"time\":\"2000-10-10T13:55:36.123Z\",\"peer\":\"2001:db8::1\",\"method\":\"\","
            "\"protocol\":\"\",\"status\":400,\"response_bytes\":2326,\"request_body_bytes\":17,"
            "\"duration_us\":1250,\"target\":\"\",\"referer\":\"ref\",\"user_agent\":\"ua\"}\n");
}

// Log injection: CR/LF to start a forged line, quotes to close a field,
// backslashes to eat an escape, NUL to cut a C reader, 0xFF and 0x7F.
TEST(AccessLogLineTest, InjectionIsEscapedCombined) {
  AccessRecord r = example();
  r.target = "/a\r\n1.2.3.4 - - [x] \"GET / HTTP/1.1\" 200 0 \"-\" \"-\"\n";
  r.user_agent = bytes("q\"\\x22\0\xFF\x7F\x1B[31m");
  r.referer = "\" \"";
  const std::string line = format(r, AccessLogFormat::kCombined);
  EXPECT_EQ(line,
            "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "
            "\"GET /a\\x0D\\x0A1.2.3.4 - - [x] \\x22GET / HTTP/1.1\\x22 200 0 \\x22-\\x22 \\x22-\\x22\\x0A HTTP/1.1\" "
            "200 2326 \"\\x22 \\x22\" \"q\\x22\\x5Cx22\\x00\\xFF\\x7F\\x1B[31m\"\n");
  EXPECT_TRUE(one_safe_line(line));
}

TEST(AccessLogLineTest, InjectionIsEscapedJson) {
  AccessRecord r = example();
  r.target = "/a\r\n{\"status\":999}";
  r.user_agent = bytes("q\"\\u0022\0\xFF\x7F\t");
  r.referer = "\\";
  const std::string line = format(r, AccessLogFormat::kJson);
  EXPECT_EQ(line,
            "{\"time\":\"2000-10-10T13:55:36.123Z\",\"peer\":\"127.0.0.1\",\"method\":\"GET\","
            "\"protocol\":\"HTTP/1.1\",\"status\":200,\"response_bytes\":2326,\"request_body_bytes\":17,"
            "\"duration_us\":1250,\"target\":\"/a\\u000D\\u000A{\\\"status\\\":999}\",\"referer\":\"\\\\\","
            "\"user_agent\":\"q\\\"\\\\u0022\\u0000\\u00FF\\u007F\\u0009\"}\n");
  EXPECT_TRUE(one_safe_line(line));
  ASSERT_TRUE(read_json(line).has_value());
}

std::string random_bytes(std::mt19937& random, std::size_t max, bool spaces = true) {
  std::string s(random() % (max + 1), '\0');
  for (char& c : s) {
    // Half the time from the troublesome bytes, so every one occurs often.
    static constexpr char kNasty[] = {'"', '\\', '\r', '\n', '\0', ' ', '\x7F', '\xFF', '\x80', 'u', 'x', '0'};
    c = random() % 2 ? kNasty[random() % sizeof kNasty] : static_cast<char>(random());
    if (!spaces && c == ' ') c = '_';
  }
  return s;
}

// Any bytes: one safe line, and reading it back gives the bytes given.
TEST(AccessLogLineTest, AnyBytesReadBack) {
  std::mt19937 random(19);
  for (int i = 0; i < 20000; ++i) {
    // The method is a token and the target has no SP (the parser's
    // guarantees): the request field is split at its first and last space.
    std::string method = random_bytes(random, 8, /*spaces=*/false);
    if (method.empty()) method = "M";
    const std::string target = random_bytes(random, 64);
    const std::string ua = random_bytes(random, 32), referer = random_bytes(random, 32);
    AccessRecord r = example();
    r.method = method;
    r.target = target;
    r.user_agent = ua;
    r.referer = referer;
    r.unix_ms = static_cast<std::int64_t>(random() % 4102444800) * 1000;

    const std::string clf = format(r, AccessLogFormat::kCombined);
    ASSERT_TRUE(one_safe_line(clf)) << clf;
    const std::optional<Combined> c = read_combined(clf);
    ASSERT_TRUE(c.has_value()) << clf;
    const std::size_t first = c->request.find(' '), last = c->request.rfind(' ');
    EXPECT_EQ(c->request.substr(0, first), r.method);
    EXPECT_EQ(c->request.substr(first + 1, last - first - 1), target);
    EXPECT_EQ(c->request.substr(last + 1), "HTTP/1.1");
    EXPECT_EQ(c->user_agent, ua.empty() ? "-" : ua);
    EXPECT_EQ(c->referer, referer.empty() ? "-" : referer);
    EXPECT_EQ(c->status, 200u);

    const std::string json = format(r, AccessLogFormat::kJson);
    ASSERT_TRUE(one_safe_line(json)) << json;
    const auto members = read_json(json);
    ASSERT_TRUE(members.has_value()) << json;
    std::map<std::string, std::string> m(members->begin(), members->end());
    EXPECT_EQ(m["method"], r.method);
    EXPECT_EQ(m["target"], target);
    EXPECT_EQ(m["user_agent"], ua);
    EXPECT_EQ(m["referer"], referer);
  }
}

// The fields of example() as each format writes them: a truncated line is
// always a prefix of these plus the marker.
struct Layout {
  AccessLogFormat format;
  std::vector<std::string> fields;
  std::string end, marker;
};

std::vector<Layout> layouts(const std::string& target) {
  return {
      {AccessLogFormat::kCombined,
       {"127.0.0.1", " - - [10/Oct/2000:13:55:36 +0000]", " \"GET " + target + " HTTP/1.1\"", " 200", " 2326",
        " \"ref\"", " \"ua\""},
       "\n",
       " (truncated)\n"},
      {AccessLogFormat::kJson,
       {"{\"time\":\"2000-10-10T13:55:36.123Z\"", ",\"peer\":\"127.0.0.1\"", ",\"method\":\"GET\"",
        ",\"protocol\":\"HTTP/1.1\"", ",\"status\":200", ",\"response_bytes\":2326", ",\"request_body_bytes\":17",
        ",\"duration_us\":1250", ",\"target\":\"" + target + "\"", ",\"referer\":\"ref\"", ",\"user_agent\":\"ua\""},
       "}\n",
       ",\"truncated\":true}\n"},
  };
}

// At every buffer size: the whole line if it fits, else the most whole
// fields that leave room for the marker, then the marker.
TEST(AccessLogLineTest, TruncatesAtFieldBoundariesAtEverySize) {
  AccessRecord r = example();
  const std::string target = "/" + std::string(300, 'a');
  r.target = target;
  for (const Layout& layout : layouts(target)) {
    std::string whole;
    for (const std::string& f : layout.fields) whole += f;
    for (std::size_t size = kMinAccessLineBuffer; size <= whole.size() + 8; ++size) {
      std::string expected;
      if (whole.size() + layout.end.size() <= size) {
        expected = whole + layout.end;
      } else {
        std::string prefix;
        for (const std::string& f : layout.fields) {
          if (prefix.size() + f.size() + layout.marker.size() > size) break;
          prefix += f;
        }
        expected = prefix + layout.marker;
      }
      const std::string line = format(r, layout.format, size);
      ASSERT_EQ(line, expected) << "size " << size;
      ASSERT_LE(line.size(), size);
      if (layout.format == AccessLogFormat::kJson) {
        ASSERT_TRUE(read_json(line).has_value()) << line;
      }
    }
  }
}

// Escapes are never split: a target of bytes that all escape, at every
// size, gives whole fields (each reads back) or none of the target.
TEST(AccessLogLineTest, NeverCutsAnEscape) {
  AccessRecord r = example();
  const std::string target(100, '\n');
  r.target = target;
  std::string request = "\"GET ";
  for (std::size_t i = 0; i < target.size(); ++i) request += "\\x0A";
  request += " HTTP/1.1\"";
  for (std::size_t size = kMinAccessLineBuffer; size < 1000; ++size) {
    const std::string clf = format(r, AccessLogFormat::kCombined, size);
    ASSERT_TRUE(one_safe_line(clf));
    if (clf.ends_with(" (truncated)\n")) {
      // The request field is there whole, or not at all.
      EXPECT_EQ(clf.find("GET") == std::string::npos, clf.find(request) == std::string::npos) << clf;
    } else {
      ASSERT_TRUE(read_combined(clf).has_value()) << clf;
    }
    const std::string json = format(r, AccessLogFormat::kJson, size);
    ASSERT_TRUE(one_safe_line(json));
    const auto members = read_json(json);
    ASSERT_TRUE(members.has_value()) << json;
    for (const auto& [key, value] : *members) {
      if (key == "target") {
        EXPECT_EQ(value, target);
      }
    }
  }
}

// A long target in a 4 KiB buffer: the line loses the target's field (and
// in CLF what follows it, the format's order), never its shape.
TEST(AccessLogLineTest, LongTarget) {
  AccessRecord r = example();
  const std::string target = "/" + std::string(8000, '\xFF');
  r.target = target;
  EXPECT_EQ(format(r, AccessLogFormat::kCombined, 4096), "127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] (truncated)\n");
  EXPECT_EQ(format(r, AccessLogFormat::kJson, 4096),
            "{\"time\":\"2000-10-10T13:55:36.123Z\",\"peer\":\"127.0.0.1\",\"method\":\"GET\","
            "\"protocol\":\"HTTP/1.1\",\"status\":200,\"response_bytes\":2326,\"request_body_bytes\":17,"
            "\"duration_us\":1250,\"truncated\":true}\n");
  // Sized by max_access_line_size, it is whole.
  const std::size_t strings = r.method.size() + r.target.size() + r.user_agent.size() + r.referer.size();
  const std::string json = format(r, AccessLogFormat::kJson, max_access_line_size(strings));
  const auto members = read_json(json);
  ASSERT_TRUE(members.has_value());
  EXPECT_EQ((*members)[8], (std::pair<std::string, std::string>("target", target)));
}

// The bound holds for the worst record: every number at its widest, the
// longest peer, every string byte escaping to 6 (JSON) or 4 (CLF).
TEST(AccessLogLineTest, MaxLineSizeIsABound) {
  for (std::size_t n : {0, 1, 7, 100, 4096}) {
    const std::string worst(n, '\x01');
    AccessRecord r;
    r.peer = PeerAddress::ipv6(
        {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0});
    r.unix_ms = INT64_MAX;
    r.version_minor = 255;
    r.status = 65535;
    r.response_bytes = r.request_body_bytes = r.duration_us = UINT64_MAX;
    // Split the n bytes over the four strings.
    const std::string_view w = worst;
    r.method = w.substr(0, n / 4);
    r.target = w.substr(n / 4, n / 4);
    r.user_agent = w.substr(n / 2, n / 4);
    r.referer = w.substr(n / 2 + n / 4);
    for (AccessLogFormat f : {AccessLogFormat::kCombined, AccessLogFormat::kJson}) {
      const std::string line = format(r, f, max_access_line_size(n));
      EXPECT_EQ(line.find("truncated"), std::string::npos) << n << " " << line;
      EXPECT_TRUE(one_safe_line(line));
    }
  }
}

TEST(AccessLogLineTest, BufferBelowTheMinimumIsRefused) {
  char small[kMinAccessLineBuffer - 1];
  EXPECT_EQ(format_access_line(example(), AccessLogFormat::kCombined, small), 0u);
  EXPECT_EQ(format_access_line(example(), AccessLogFormat::kJson, small), 0u);
  // The minimum holds the first field and the marker even for the longest peer.
  AccessRecord r = example();
  r.peer = PeerAddress::ipv6(
      {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xf0});
  EXPECT_EQ(format(r, AccessLogFormat::kCombined, kMinAccessLineBuffer),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0 (truncated)\n");
  EXPECT_EQ(format(r, AccessLogFormat::kJson, kMinAccessLineBuffer),
            "{\"time\":\"2000-10-10T13:55:36.123Z\",\"truncated\":true}\n");
}

std::string gmtime_text(std::int64_t unix_ms, const char* pattern) {
  const time_t seconds = static_cast<time_t>(unix_ms / 1000);
  tm t;
  gmtime_r(&seconds, &t);
  char out[64];
  return std::string(out, strftime(out, sizeof out, pattern, &t));
}

// The calendar against glibc's, over 1970-9999: leap years (2000 is one,
// 2100 is not), month ends, and random instants.
TEST(AccessLogLineTest, TimeAgreesWithGmtime) {
  std::vector<std::int64_t> instants = {0,
                                        951782399999,   // 2000-02-28T23:59:59.999
                                        951782400000,   // 2000-02-29
                                        951868800000,   // 2000-03-01
                                        4107456000000,  // 2100-02-28
                                        4107542400000,  // 2100-03-01
                                        253402300799999};
  std::mt19937_64 random(1970);
  for (int i = 0; i < 100000; ++i) instants.push_back(static_cast<std::int64_t>(random() % 253402300800000));
  for (std::int64_t ms : instants) {
    AccessRecord r = example();
    r.unix_ms = ms;
    const std::string json = format(r, AccessLogFormat::kJson);
    char millis[8];
    snprintf(millis, sizeof millis, ".%03dZ", static_cast<int>(ms % 1000));
    ASSERT_EQ(json.substr(9, 24), gmtime_text(ms, "%Y-%m-%dT%H:%M:%S") + millis) << ms;
    const std::string clf = format(r, AccessLogFormat::kCombined);
    ASSERT_EQ(clf.substr(14, 28), gmtime_text(ms, "[%d/%b/%Y:%H:%M:%S +0000]")) << ms;
  }
}

TEST(AccessLogLineTest, TimeIsClampedTo1970Through9999) {
  AccessRecord r = example();
  r.unix_ms = -1;
  EXPECT_EQ(format(r, AccessLogFormat::kJson).substr(9, 24), "1970-01-01T00:00:00.000Z");
  r.unix_ms = INT64_MAX;
  EXPECT_EQ(format(r, AccessLogFormat::kJson).substr(9, 24), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format(r, AccessLogFormat::kCombined).substr(14, 28), "[31/Dec/9999:23:59:59 +0000]");
}

// Invariant 1 (docs/invariants.md): a line per request costs no allocation.
TEST(AccessLogLineTest, AllocatesNothing) {
  AccessRecord r = example();
  r.target = "/a\r\n\"\xFF";
  char out[512];
  char small[kMinAccessLineBuffer];
  std::size_t total = 0;
  shockwave::testing::AllocationScope scope;
  for (int i = 0; i < 1000; ++i) {
    total += format_access_line(r, AccessLogFormat::kCombined, out);
    total += format_access_line(r, AccessLogFormat::kJson, out);
    total += format_access_line(r, AccessLogFormat::kJson, small);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace shockwave::observe
