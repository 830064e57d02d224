#include "server/observe/access_log_line.h"

#include <array>

#include "server/observe/bounded_text.h"

namespace shockwave::observe {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

// Bytes written as they are in both formats: printable ASCII but '"' and
// '\', which end or start something inside a quoted string.
constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c <= 0x7E; ++c) plain[c] = c != '"' && c != '\\';
  return plain;
}();

// Line: a BoundedText that remembers where each field ended. A write that
// does not fit overflows; the caller then goes back to the last field
// boundary (truncate()), so what was cut is never seen.
class Line : public BoundedText {
 public:
  Line(std::span<char> out, std::string_view end, std::string_view truncated_end) noexcept
      : BoundedText(out), end_(end), truncated_end_(truncated_end) {}

  // put_escaped: runs of plain bytes copied at once; every other byte as
  // `prefix` and two hex digits ("\x" + "22", "\u00" + "0A"), except '"'
  // and '\' when `quote_escapes` (JSON's \" and \\).
  void put_escaped(std::string_view s, std::string_view prefix, bool quote_escapes) noexcept {
    std::size_t i = 0;
    while (i < s.size()) {
      std::size_t j = i;
      while (j < s.size() && kPlain[static_cast<unsigned char>(s[j])]) ++j;
      put(s.substr(i, j - i));
      if (j == s.size()) break;
      const auto c = static_cast<unsigned char>(s[j]);
      if (quote_escapes && (c == '"' || c == '\\')) {
        put('\\');
        put(static_cast<char>(c));
      } else {
        put(prefix);
        put(kHex[c >> 4]);
        put(kHex[c & 0xF]);
      }
      i = j + 1;
    }
  }

  // field_done: a field ended here. False when it did not fit, or left no
  // room for the line's end: nothing more can fit, so the caller truncates.
  bool field_done() noexcept {
    if (overflowed() || capacity() - size() < end_.size()) return false;
    if (fields_ < kMaxFields) boundaries_[fields_++] = size();
    return true;
  }
  std::size_t finish() noexcept {
    put(end_);
    return size();
  }
  // truncate: back to the last boundary that leaves room for the marker.
  // There is one: kMinAccessLineBuffer holds the first field (at most 39
  // bytes of peer, or 34 of JSON's time) and either marker.
  std::size_t truncate() noexcept {
    std::size_t at = 0;
    for (std::size_t i = fields_; i > 0; --i) {
      if (capacity() - boundaries_[i - 1] >= truncated_end_.size()) {
        at = boundaries_[i - 1];
        break;
      }
    }
    rewind(at);
    put(truncated_end_);
    return size();
  }

 private:
  static constexpr std::size_t kMaxFields = 16;
  std::string_view end_;
  std::string_view truncated_end_;
  std::size_t boundaries_[kMaxFields] = {};
  std::size_t fields_ = 0;
};

// UTC calendar fields of a time, for the years 1970-9999.
struct CivilTime {
  unsigned year, month, day, hour, minute, second, millisecond;
};

constexpr std::int64_t kMaxUnixMs = 253402300799999;  // 9999-12-31T23:59:59.999Z

// civil_time: days since 1970-01-01 to a proleptic Gregorian date, by
// counting 400-year eras from 0000-03-01 (every era has 146097 days, and a
// year starting in March puts the leap day last).
CivilTime civil_time(std::int64_t unix_ms) noexcept {
  if (unix_ms < 0) unix_ms = 0;
  if (unix_ms > kMaxUnixMs) unix_ms = kMaxUnixMs;
  const std::int64_t seconds = unix_ms / 1000;
  const std::int64_t of_day = seconds % 86400;
  const std::int64_t days = seconds / 86400 + 719468;  // 0000-03-01 to 1970-01-01
  const std::int64_t era = days / 146097;
  const std::int64_t day_of_era = days - era * 146097;  // [0, 146096]
  // Years of 365 days, less the leap days before this one: [0, 399].
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  // Months from March: 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31, 28/29
  // days, which (153 * m + 2) / 5 counts exactly.
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  CivilTime t;
  t.day = static_cast<unsigned>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  t.month = static_cast<unsigned>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  t.year = static_cast<unsigned>(era * 400 + year_of_era + (t.month <= 2 ? 1 : 0));
  t.hour = static_cast<unsigned>(of_day / 3600);
  t.minute = static_cast<unsigned>(of_day / 60 % 60);
  t.second = static_cast<unsigned>(of_day % 60);
  t.millisecond = static_cast<unsigned>(unix_ms % 1000);
  return t;
}

constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// [10/Oct/2000:13:55:36 +0000]
void put_clf_time(Line& line, std::int64_t unix_ms) noexcept {
  const CivilTime t = civil_time(unix_ms);
  line.put('[');
  line.put_padded(t.day, 2);
  line.put('/');
  line.put(kMonths[t.month - 1]);
  line.put('/');
  line.put_padded(t.year, 4);
  line.put(':');
  line.put_padded(t.hour, 2);
  line.put(':');
  line.put_padded(t.minute, 2);
  line.put(':');
  line.put_padded(t.second, 2);
  line.put(" +0000]");
}

// 2000-10-10T13:55:36.123Z
void put_rfc3339_time(Line& line, std::int64_t unix_ms) noexcept {
  const CivilTime t = civil_time(unix_ms);
  line.put_padded(t.year, 4);
  line.put('-');
  line.put_padded(t.month, 2);
  line.put('-');
  line.put_padded(t.day, 2);
  line.put('T');
  line.put_padded(t.hour, 2);
  line.put(':');
  line.put_padded(t.minute, 2);
  line.put(':');
  line.put_padded(t.second, 2);
  line.put('.');
  line.put_padded(t.millisecond, 3);
  line.put('Z');
}

void put_peer(Line& line, const PeerAddress& peer) noexcept {
  char text[kMaxPeerText];
  line.put(std::string_view(text, format_peer(peer, text)));
}

void put_clf_string(Line& line, std::string_view s) noexcept {
  line.put('"');
  if (s.empty()) {
    line.put('-');
  } else {
    line.put_escaped(s, "\\x", /*quote_escapes=*/false);
  }
  line.put('"');
}

std::size_t format_combined(const AccessRecord& r, std::span<char> out) noexcept {
  Line line(out, "\n", " (truncated)\n");
  put_peer(line, r.peer);
  if (!line.field_done()) return line.truncate();
  line.put(" - - ");
  put_clf_time(line, r.unix_ms);
  if (!line.field_done()) return line.truncate();
  line.put(" \"");
  if (r.method.empty()) {
    line.put('-');
  } else {
    line.put_escaped(r.method, "\\x", false);
    line.put(' ');
    line.put_escaped(r.target, "\\x", false);
    line.put(" HTTP/1.");
    line.put_unsigned(r.version_minor);
  }
  line.put('"');
  if (!line.field_done()) return line.truncate();
  line.put(' ');
  line.put_unsigned(r.status);
  if (!line.field_done()) return line.truncate();
  line.put(' ');
  line.put_unsigned(r.response_bytes);
  if (!line.field_done()) return line.truncate();
  line.put(' ');
  put_clf_string(line, r.referer);
  if (!line.field_done()) return line.truncate();
  line.put(' ');
  put_clf_string(line, r.user_agent);
  if (!line.field_done()) return line.truncate();
  return line.finish();
}

void put_json_string(Line& line, std::string_view key, std::string_view value) noexcept {
  line.put(",\"");
  line.put(key);
  line.put("\":\"");
  line.put_escaped(value, "\\u00", /*quote_escapes=*/true);
  line.put('"');
}

void put_json_number(Line& line, std::string_view key, std::uint64_t value) noexcept {
  line.put(",\"");
  line.put(key);
  line.put("\":");
  line.put_unsigned(value);
}

std::size_t format_json(const AccessRecord& r, std::span<char> out) noexcept {
  Line line(out, "}\n", ",\"truncated\":true}\n");
  line.put("{\"time\":\"");
  put_rfc3339_time(line, r.unix_ms);
  line.put('"');
  if (!line.field_done()) return line.truncate();
  line.put(",\"peer\":\"");
  put_peer(line, r.peer);
  line.put('"');
  if (!line.field_done()) return line.truncate();
  put_json_string(line, "method", r.method);
  if (!line.field_done()) return line.truncate();
  line.put(",\"protocol\":\"");
  if (!r.method.empty()) {
    line.put("HTTP/1.");
    line.put_unsigned(r.version_minor);
  }
  line.put('"');
  if (!line.field_done()) return line.truncate();
  put_json_number(line, "status", r.status);
  if (!line.field_done()) return line.truncate();
  put_json_number(line, "response_bytes", r.response_bytes);
  if (!line.field_done()) return line.truncate();
  put_json_number(line, "request_body_bytes", r.request_body_bytes);
  if (!line.field_done()) return line.truncate();
  put_json_number(line, "duration_us", r.duration_us);
  if (!line.field_done()) return line.truncate();
  put_json_string(line, "target", r.method.empty() ? std::string_view() : r.target);
  if (!line.field_done()) return line.truncate();
  put_json_string(line, "referer", r.referer);
  if (!line.field_done()) return line.truncate();
  put_json_string(line, "user_agent", r.user_agent);
  if (!line.field_done()) return line.truncate();
  return line.finish();
}

}  // namespace

std::size_t format_access_line(const AccessRecord& record, AccessLogFormat format, std::span<char> out) noexcept {
  if (out.size() < kMinAccessLineBuffer) return 0;
  switch (format) {
    case AccessLogFormat::kCombined:
      return format_combined(record, out);
    case AccessLogFormat::kJson:
      return format_json(record, out);
  }
  return 0;
}

}  // namespace shockwave::observe
