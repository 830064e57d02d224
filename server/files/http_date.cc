#include "server/files/http_date.h"

#include <array>
#include <cstring>

#include "server/http1/char_class.h"
#include "server/http1/response_writer.h"

namespace shockwave::files {
namespace {

namespace chars = http1::chars;

constexpr std::int64_t kSecondsPerDay = 86400;

constexpr bool is_leap(std::int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

constexpr int days_in_month(std::int64_t year, int month) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// days_since_year_0: days from 0000-01-01 to year-month-day, 0 <= year.
// Whole years (year 0 is a leap year: divisible by 400), then whole months,
// then days. A day past its month's end simply runs on into the next month
// (the 50-year comparison below relies on that; parsing checks days first).
constexpr std::int64_t days_since_year_0(std::int64_t year, int month, int day) {
  constexpr int kBeforeMonth[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  const std::int64_t leap_years_before = year == 0 ? 0 : (year - 1) / 4 - (year - 1) / 100 + (year - 1) / 400 + 1;
  std::int64_t days = 365 * year + leap_years_before + kBeforeMonth[month - 1] + (day - 1);
  if (month > 2 && is_leap(year)) ++days;
  return days;
}

constexpr std::int64_t kDaysTo1970 = days_since_year_0(1970, 1, 1);
static_assert(kDaysTo1970 == 719528);
static_assert(days_since_year_0(2000, 3, 1) - kDaysTo1970 == 11017);                 // 2000-02-29 exists
static_assert(days_since_year_0(1900, 3, 1) - days_since_year_0(1900, 2, 28) == 1);  // 1900-02-29 does not

struct Civil {
  std::int64_t year;
  int month, day, hour, minute, second;
};

constexpr std::int64_t unix_seconds(const Civil& c) {
  return (days_since_year_0(c.year, c.month, c.day) - kDaysTo1970) * kSecondsPerDay + c.hour * 3600 + c.minute * 60 +
         c.second;
}
static_assert(unix_seconds({1994, 11, 6, 8, 49, 37}) == 784111777);  // §5.6.7's example
static_assert(unix_seconds({0, 1, 1, 0, 0, 0}) == kMinHttpDate);
static_assert(unix_seconds({9999, 12, 31, 23, 59, 59}) == kMaxHttpDate);

// year_of: the calendar year a Unix time falls in (clamped to 0000-9999).
std::int64_t year_of(std::int64_t t) {
  const std::int64_t days = (t >= 0 ? t : t - (kSecondsPerDay - 1)) / kSecondsPerDay + kDaysTo1970;
  if (days < 0) return 0;
  std::int64_t year = days / 366;  // at or below the year; 366 days a step at most
  while (year < 9999 && days_since_year_0(year + 1, 1, 1) <= days) ++year;
  return year;
}

// digits reads n DIGITs at p.
bool digits(std::string_view s, std::size_t p, std::size_t n, int& value) {
  if (p + n > s.size()) return false;
  value = 0;
  for (std::size_t i = p; i < p + n; ++i) {
    if (!chars::is_digit(s[i])) return false;
    value = value * 10 + (s[i] - '0');
  }
  return true;
}

// month_at reads a case-sensitive month name ("Jan" .. "Dec") at p.
bool month_at(std::string_view s, std::size_t p, int& month) {
  constexpr std::string_view kMonths = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (p + 3 > s.size()) return false;
  for (int m = 0; m < 12; ++m) {
    if (s.substr(p, 3) == kMonths.substr(3 * m, 3)) {
      month = m + 1;
      return true;
    }
  }
  return false;
}

// day_name: day-name ("Mon" .. "Sun"), case-sensitive.
bool day_name(std::string_view s) {
  for (std::string_view name : {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}) {
    if (s == name) return true;
  }
  return false;
}

// day_name_l: day-name-l ("Monday" .. "Sunday"), case-sensitive.
bool day_name_l(std::string_view s) {
  for (std::string_view name : {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}) {
    if (s == name) return true;
  }
  return false;
}

// time_of_day reads hour ":" minute ":" second at p (8 bytes).
bool time_of_day(std::string_view s, std::size_t p, Civil& c) {
  return digits(s, p, 2, c.hour) && s[p + 2] == ':' && digits(s, p + 3, 2, c.minute) && s[p + 5] == ':' &&
         digits(s, p + 6, 2, c.second);
}

// valid: the ranges §5.6.7 and RFC 5322 §3.3 give each part.
bool valid(const Civil& c) {
  return c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= days_in_month(c.year, c.month) && c.hour <= 23 &&
         c.minute <= 59 && c.second <= 60;
}

std::optional<std::int64_t> checked(const Civil& c) {
  if (!valid(c)) return std::nullopt;
  return unix_seconds(c);
}

// IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
// date1 = day SP month SP year            "Sun, 06 Nov 1994 08:49:37 GMT"
std::optional<std::int64_t> imf_fixdate(std::string_view s) {
  Civil c{};
  int year = 0;
  if (s.size() != kHttpDateSize || !day_name(s.substr(0, 3)) || s.substr(3, 2) != ", " || !digits(s, 5, 2, c.day) ||
      s[7] != ' ' || !month_at(s, 8, c.month) || s[11] != ' ' || !digits(s, 12, 4, year) || s[16] != ' ' ||
      !time_of_day(s, 17, c) || s.substr(25) != " GMT") {
    return std::nullopt;
  }
  c.year = year;
  return checked(c);
}

// asctime-date = day-name SP date3 SP time-of-day SP year
// date3 = month SP ( 2DIGIT / ( SP 1DIGIT ))   "Sun Nov  6 08:49:37 1994"
std::optional<std::int64_t> asctime_date(std::string_view s) {
  Civil c{};
  int year = 0;
  if (s.size() != 24 || !day_name(s.substr(0, 3)) || s[3] != ' ' || !month_at(s, 4, c.month) || s[7] != ' ') {
    return std::nullopt;
  }
  const bool one_digit = s[8] == ' ';
  if (!digits(s, one_digit ? 9 : 8, one_digit ? 1 : 2, c.day) || s[10] != ' ' || !time_of_day(s, 11, c) ||
      s[19] != ' ' || !digits(s, 20, 4, year)) {
    return std::nullopt;
  }
  c.year = year;
  return checked(c);
}

// rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT
// date2 = day "-" month "-" 2DIGIT            "Sunday, 06-Nov-94 08:49:37 GMT"
std::optional<std::int64_t> rfc850_date(std::string_view s, std::int64_t now) {
  const std::size_t comma = s.find(',');
  if (comma == std::string_view::npos || !day_name_l(s.substr(0, comma))) return std::nullopt;
  const std::string_view rest = s.substr(comma);
  Civil c{};
  int yy = 0;
  if (rest.size() != 24 || rest[1] != ' ' || !digits(rest, 2, 2, c.day) || rest[4] != '-' ||
      !month_at(rest, 5, c.month) || rest[8] != '-' || !digits(rest, 9, 2, yy) || rest[11] != ' ' ||
      !time_of_day(rest, 12, c) || rest.substr(20) != " GMT") {
    return std::nullopt;
  }
  // The latest year ending in yy that is at most 50 years ahead of now:
  // start a century after now's and step back (§5.6.7).
  constexpr std::int64_t kFiftyYears = 50 * 3652425 * kSecondsPerDay / 10000;
  const std::int64_t now_year = year_of(now);
  std::int64_t year = now_year - now_year % 100 + yy + 100;
  while (year > 9999) year -= 100;
  for (;;) {
    c.year = year;
    // A day past the month's end runs on (see days_since_year_0): enough to
    // compare; the date is checked once its year is known.
    if (unix_seconds(c) - now <= kFiftyYears) break;
    if (year < 100) return std::nullopt;
    year -= 100;
  }
  return checked(c);
}

}  // namespace

std::optional<std::int64_t> parse_http_date(std::string_view text, std::int64_t now) noexcept {
  if (text.size() == kHttpDateSize && text[3] == ',') return imf_fixdate(text);
  if (text.size() == 24 && text[3] == ' ') return asctime_date(text);
  return rfc850_date(text, now);
}

std::size_t format_http_date(std::int64_t unix_seconds, std::span<char> out) noexcept {
  if (out.size() < kHttpDateSize || unix_seconds < kMinHttpDate || unix_seconds > kMaxHttpDate) return 0;
  // "Date: " + IMF-fixdate + CRLF: the date is the middle.
  constexpr std::string_view kPrefix = "Date: ";
  std::array<char, 40> line;
  const std::size_t size = http1::format_date_line(unix_seconds, line);
  if (size != kPrefix.size() + kHttpDateSize + 2) return 0;
  std::memcpy(out.data(), line.data() + kPrefix.size(), kHttpDateSize);
  return kHttpDateSize;
}

}  // namespace shockwave::files
