// parse_http_date and format_http_date (http_date.h): RFC 9110 §5.6.7's
// three forms and its example, the ranges of each part, the strictness the
// grammar asks for (case, single spaces, no other forms), the weekday not
// checked against the date, rfc850-date's 50-year rule, the round trip with
// the formatter, a sweep against glibc's timegm, and no allocation.

#include "server/files/http_date.h"

#include <gtest/gtest.h>
#include <time.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "testing/alloc_counter.h"

namespace shockwave::files {
namespace {

// §5.6.7's example instant, Sun, 06 Nov 1994 08:49:37 GMT.
constexpr std::int64_t kExample = 784111777;
// A "now" for the tests: Thu, 24 Sep 2026 12:00:00 GMT.
constexpr std::int64_t kNow = 1790251200;

std::optional<std::int64_t> parse(std::string_view text, std::int64_t now = kNow) { return parse_http_date(text, now); }

std::string format(std::int64_t t) {
  std::array<char, kHttpDateSize> out;
  return std::string(out.data(), format_http_date(t, out));
}

// timegm as the independent oracle (fine in a test; not on the request path).
std::int64_t oracle(int year, int month, int day, int hour, int minute, int second) {
  struct tm tm = {};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm));
}

TEST(HttpDate, TheTestClockIsWhatItSays) { EXPECT_EQ(kNow, oracle(2026, 9, 24, 12, 0, 0)); }

// §5.6.7: "A recipient that parses a timestamp value in an HTTP field MUST
// accept all three HTTP-date formats", with its examples.
TEST(HttpDate, Rfc9110Section5_6_7ExamplesInAllThreeForms) {
  EXPECT_EQ(kExample, oracle(1994, 11, 6, 8, 49, 37));
  EXPECT_EQ(parse("Sun, 06 Nov 1994 08:49:37 GMT"), kExample);   // IMF-fixdate
  EXPECT_EQ(parse("Sunday, 06-Nov-94 08:49:37 GMT"), kExample);  // rfc850-date
  EXPECT_EQ(parse("Sun Nov  6 08:49:37 1994"), kExample);        // asctime-date
}

// date3 = month SP ( 2DIGIT / ( SP 1DIGIT ))
TEST(HttpDate, AsctimeDayIsTwoDigitsOrSpaceAndOne) {
  EXPECT_EQ(parse("Sun Nov 06 08:49:37 1994"), kExample);
  EXPECT_EQ(parse("Wed Nov 16 08:49:37 1994"), kExample + 10 * 86400);
  EXPECT_EQ(parse("Sun Nov 6 08:49:37 1994"), std::nullopt);
  EXPECT_EQ(parse("Sun Nov   6 08:49:37 1994"), std::nullopt);
  EXPECT_EQ(parse("Sun Nov  06 08:49:37 1994"), std::nullopt);
  EXPECT_EQ(parse("Sun Nov 6  08:49:37 1994"), std::nullopt);
}

TEST(HttpDate, EveryDayNameInBothSpellings) {
  // 6-12 Nov 1994, Sunday to Saturday.
  const char* shorts[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  const char* longs[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
  for (int i = 0; i < 7; ++i) {
    char imf[64], rfc850[64], asctime[64];
    std::snprintf(imf, sizeof imf, "%s, %02d Nov 1994 08:49:37 GMT", shorts[i], 6 + i);
    std::snprintf(rfc850, sizeof rfc850, "%s, %02d-Nov-94 08:49:37 GMT", longs[i], 6 + i);
    std::snprintf(asctime, sizeof asctime, "%s Nov %2d 08:49:37 1994", shorts[i], 6 + i);
    const std::int64_t expected = kExample + i * 86400;
    EXPECT_EQ(parse(imf), expected) << imf;
    EXPECT_EQ(parse(rfc850), expected) << rfc850;
    EXPECT_EQ(parse(asctime), expected) << asctime;
  }
}

TEST(HttpDate, EveryMonthName) {
  const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int m = 0; m < 12; ++m) {
    char imf[64];
    std::snprintf(imf, sizeof imf, "Mon, 15 %s 2001 00:00:00 GMT", months[m]);
    EXPECT_EQ(parse(imf), oracle(2001, m + 1, 15, 0, 0, 0)) << imf;
  }
}

// RFC 5322 §3.3 (whose semantics §5.6.7 borrows) makes a wrong weekday the
// sender's error, and §5.6.7 asks recipients "to be robust in parsing
// timestamps": the date counts, the day name is only syntax.
TEST(HttpDate, AWeekdayThatDisagreesWithTheDateIsAccepted) {
  EXPECT_EQ(parse("Mon, 06 Nov 1994 08:49:37 GMT"), kExample);
  EXPECT_EQ(parse("Friday, 06-Nov-94 08:49:37 GMT"), kExample);
  EXPECT_EQ(parse("Sat Nov  6 08:49:37 1994"), kExample);
}

TEST(HttpDate, ADayNameOutsideTheGrammarIsNot) {
  for (std::string_view bad :
       {"Sno, 06 Nov 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT", "Sunday, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06-Nov-94 08:49:37 GMT", "Sundae, 06-Nov-94 08:49:37 GMT", "Sunday , 06-Nov-94 08:49:37 GMT",
        "Sonntag, 06-Nov-94 08:49:37 GMT", "Sund Nov  6 08:49:37 1994", "Sunday Nov  6 08:49:37 1994",
        ", 06-Nov-94 08:49:37 GMT"}) {
    EXPECT_EQ(parse(bad), std::nullopt) << bad;
  }
}

// §5.6.7: "HTTP-date is case sensitive."
TEST(HttpDate, CaseSensitive) {
  for (std::string_view bad :
       {"sun, 06 Nov 1994 08:49:37 GMT", "SUN, 06 Nov 1994 08:49:37 GMT", "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 NOV 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 gmt", "sunday, 06-Nov-94 08:49:37 GMT",
        "Sunday, 06-nov-94 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 Gmt", "sun Nov  6 08:49:37 1994",
        "Sun NOV  6 08:49:37 1994"}) {
    EXPECT_EQ(parse(bad), std::nullopt) << bad;
  }
}

// Days that do not exist in their month (RFC 5322 §3.3: the day is 1 to
// the month's last).
TEST(HttpDate, DaysOutsideTheirMonthAreInvalid) {
  for (std::string_view bad :
       {"Fri, 30 Feb 2024 00:00:00 GMT", "Fri, 31 Apr 2024 00:00:00 GMT", "Fri, 31 Jun 2024 00:00:00 GMT",
        "Fri, 31 Sep 2024 00:00:00 GMT", "Fri, 31 Nov 2024 00:00:00 GMT", "Fri, 00 Jan 2024 00:00:00 GMT",
        "Fri, 32 Jan 2024 00:00:00 GMT", "Fri, 99 Dec 2024 00:00:00 GMT", "Friday, 30-Feb-24 00:00:00 GMT",
        "Fri Feb 30 00:00:00 2024", "Fri Feb  0 00:00:00 2024"}) {
    EXPECT_EQ(parse(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(parse("Wed, 31 Jan 2024 00:00:00 GMT"), oracle(2024, 1, 31, 0, 0, 0));
  EXPECT_EQ(parse("Sun, 30 Jun 2024 00:00:00 GMT"), oracle(2024, 6, 30, 0, 0, 0));
}

// 29 February: years divisible by 4, except centuries, except every 400th.
TEST(HttpDate, LeapDaysOnlyInLeapYears) {
  EXPECT_EQ(parse("Thu, 29 Feb 2024 12:00:00 GMT"), oracle(2024, 2, 29, 12, 0, 0));
  EXPECT_EQ(parse("Tue, 29 Feb 2000 12:00:00 GMT"), oracle(2000, 2, 29, 12, 0, 0));
  EXPECT_EQ(parse("Tue, 29 Feb 2400 12:00:00 GMT"), oracle(2400, 2, 29, 12, 0, 0));
  EXPECT_EQ(parse("Thu, 29 Feb 1900 12:00:00 GMT"), std::nullopt);
  EXPECT_EQ(parse("Mon, 29 Feb 2100 12:00:00 GMT"), std::nullopt);
  EXPECT_EQ(parse("Sun, 29 Feb 2023 12:00:00 GMT"), std::nullopt);
  EXPECT_EQ(parse("Thu Feb 29 12:00:00 2024"), oracle(2024, 2, 29, 12, 0, 0));
  EXPECT_EQ(parse("Wed Feb 29 12:00:00 2023"), std::nullopt);
}

// time-of-day: "00:00:00 - 23:59:60 (leap second)".
TEST(HttpDate, TimeOfDayRanges) {
  EXPECT_EQ(parse("Sun, 06 Nov 1994 00:00:00 GMT"), kExample - (8 * 3600 + 49 * 60 + 37));
  EXPECT_EQ(parse("Sun, 06 Nov 1994 23:59:59 GMT"), oracle(1994, 11, 6, 23, 59, 59));
  for (std::string_view bad :
       {"Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 25:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT",
        "Sun, 06 Nov 1994 08:49:61 GMT", "Sun, 06 Nov 1994 99:99:99 GMT", "Sunday, 06-Nov-94 24:00:00 GMT",
        "Sun Nov  6 24:00:00 1994", "Sun, 06 Nov 1994 8:49:37 GMT", "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08.49.37 GMT", "Sun, 06 Nov 1994 08:49:3x GMT"}) {
    EXPECT_EQ(parse(bad), std::nullopt) << bad;
  }
}

// Unix time has no leap seconds: :60 is the next minute's :00.
TEST(HttpDate, LeapSecondIsTheNextMinute) {
  EXPECT_EQ(parse("Sat, 31 Dec 2016 23:59:60 GMT"), parse("Sun, 01 Jan 2017 00:00:00 GMT"));
  EXPECT_EQ(parse("Sat, 31 Dec 2016 23:59:60 GMT"), oracle(2017, 1, 1, 0, 0, 0));
}

// "A sender MUST NOT generate additional whitespace in an HTTP-date beyond
// that specifically included as SP in the grammar"; no other shapes either.
TEST(HttpDate, OnlyTheGrammarsShapes) {
  for (std::string_view bad : {"",
                               " Sun, 06 Nov 1994 08:49:37 GMT",
                               "Sun, 06 Nov 1994 08:49:37 GMT ",
                               "Sun,  06 Nov 1994 08:49:37 GMT",
                               "Sun, 06  Nov 1994 08:49:37 GMT",
                               "Sun,06 Nov 1994 08:49:37 GMT",
                               "Sun, 06 Nov 1994 08:49:37  GMT",
                               "Sun, 06\tNov 1994 08:49:37 GMT",
                               "Sun, 6 Nov 1994 08:49:37 GMT",
                               "Sun, 06 Nov 94 08:49:37 GMT",
                               "Sun, 06 Nov 01994 08:49:37 GMT",
                               "Sun, 06 Nov 1994 08:49:37 UTC",
                               "Sun, 06 Nov 1994 08:49:37 +0000",
                               "Sun, 06 Nov 1994 08:49:37",
                               "Sun, 06 November 1994 08:49:37 GMT",
                               "Sun, 06-Nov-1994 08:49:37 GMT",
                               "Sunday, 06-Nov-1994 08:49:37 GMT",
                               "Sunday, 6-Nov-94 08:49:37 GMT",
                               "Sunday, 06 Nov 94 08:49:37 GMT",
                               "Sunday, 06-Nov-94 08:49:37",
                               "Sunday, 06-Nov-94 08:49:37 GMT ",
                               "Sunday,06-Nov-94 08:49:37 GMT",
                               "Sun Nov  6 08:49:37 1994 GMT",
                               "Sun Nov  6 08:49:37 94",
                               "Sun  Nov 6 08:49:37 1994",
                               "1994-11-06T08:49:37Z",
                               "784111777",
                               "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT"}) {
    EXPECT_EQ(parse(bad), std::nullopt) << "\"" << bad << "\"";
  }
}

// §5.6.7: a two-digit year that "appears to be more than 50 years in the
// future" is "the most recent year in the past that had the same last two
// digits". From kNow (2026-09-24T12:00Z), 50 years of 365.2425 days reach
// 2076-09-24 (about 00:00).
TEST(HttpDate, Rfc850TwoDigitYearsFollowTheFiftyYearRule) {
  EXPECT_EQ(parse("Sunday, 06-Nov-94 08:49:37 GMT"), kExample);  // 2094: 68 years ahead
  EXPECT_EQ(parse("Thursday, 24-Sep-26 12:00:00 GMT"), kNow);
  EXPECT_EQ(parse("Saturday, 01-Jan-00 00:00:00 GMT"), oracle(2000, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse("Wednesday, 01-Jan-70 00:00:00 GMT"), oracle(2070, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse("Wednesday, 01-Jan-76 00:00:00 GMT"), oracle(2076, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse("Friday, 31-Dec-76 00:00:00 GMT"), oracle(1976, 12, 31, 0, 0, 0));
  EXPECT_EQ(parse("Wednesday, 23-Sep-76 00:00:00 GMT"), oracle(2076, 9, 23, 0, 0, 0));
  EXPECT_EQ(parse("Sunday, 26-Sep-76 00:00:00 GMT"), oracle(1976, 9, 26, 0, 0, 0));
  EXPECT_EQ(parse("Saturday, 01-Jan-77 00:00:00 GMT"), oracle(1977, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse("Thursday, 01-Jan-70 00:00:00 GMT", 0), 0);
}

TEST(HttpDate, Rfc850CenturyFollowsTheClock) {
  const std::int64_t y2099 = oracle(2099, 6, 1, 0, 0, 0);
  EXPECT_EQ(parse("Wednesday, 01-Jan-10 00:00:00 GMT", y2099), oracle(2110, 1, 1, 0, 0, 0));  // 11 years ahead
  EXPECT_EQ(parse("Thursday, 01-Jan-60 00:00:00 GMT", y2099), oracle(2060, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse("Thursday, 01-Jan-99 00:00:00 GMT", y2099), oracle(2099, 1, 1, 0, 0, 0));
  const std::int64_t y1994 = kExample;
  EXPECT_EQ(parse("Friday, 01-Jan-44 00:00:00 GMT", y1994), oracle(2044, 1, 1, 0, 0, 0));
  EXPECT_EQ(parse("Sunday, 31-Dec-44 00:00:00 GMT", y1994), oracle(1944, 12, 31, 0, 0, 0));
}

// The leap day is checked in the year the rule chose.
TEST(HttpDate, Rfc850LeapDayInTheChosenCentury) {
  EXPECT_EQ(parse("Tuesday, 29-Feb-00 00:00:00 GMT"), oracle(2000, 2, 29, 0, 0, 0));
  const std::int64_t y1940 = oracle(1940, 1, 1, 0, 0, 0);  // "00" is 1900 then, not a leap year
  EXPECT_EQ(parse("Thursday, 29-Feb-00 00:00:00 GMT", y1940), std::nullopt);
  EXPECT_EQ(parse("Wednesday, 28-Feb-00 00:00:00 GMT", y1940), oracle(1900, 2, 28, 0, 0, 0));
}

TEST(HttpDate, TheWholeFourDigitRange) {
  EXPECT_EQ(kMinHttpDate, oracle(0, 1, 1, 0, 0, 0));
  EXPECT_EQ(kMaxHttpDate, oracle(9999, 12, 31, 23, 59, 59));
  EXPECT_EQ(parse("Sat, 01 Jan 0000 00:00:00 GMT"), kMinHttpDate);
  EXPECT_EQ(parse("Fri, 31 Dec 9999 23:59:59 GMT"), kMaxHttpDate);
  EXPECT_EQ(parse("Sat Jan  1 00:00:00 0000"), kMinHttpDate);
  EXPECT_EQ(parse("Wed, 31 Dec 1969 23:59:59 GMT"), -1);
  EXPECT_EQ(parse("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
}

// Every day from 1600 to 2400 (three leap-century rules, both signs of Unix
// time), each form, against timegm.
TEST(HttpDate, AgreesWithTimegmDayByDay) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int checked = 0;
  for (int year = 1600; year <= 2400; ++year) {
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= 31; ++day) {
        const int second = (year * 7 + month * 3 + day) % 61;  // 60 included
        const int minute = (year + day) % 60, hour = (month * day) % 24;
        struct tm tm = {};
        tm.tm_year = year - 1900, tm.tm_mon = month - 1, tm.tm_mday = day;
        timegm(&tm);
        const bool exists = tm.tm_mday == day;  // timegm normalises 31 Apr to 1 May
        char imf[64], asctime[64];
        std::snprintf(imf, sizeof imf, "Mon, %02d %s %04d %02d:%02d:%02d GMT", day, kMonths[month - 1], year, hour,
                      minute, second);
        std::snprintf(asctime, sizeof asctime, "Mon %s %2d %02d:%02d:%02d %04d", kMonths[month - 1], day, hour, minute,
                      second, year);
        if (exists) {
          const std::int64_t expected = oracle(year, month, day, hour, minute, second);
          ASSERT_EQ(parse(imf), expected) << imf;
          ASSERT_EQ(parse(asctime), expected) << asctime;
          ++checked;
        } else {
          ASSERT_EQ(parse(imf), std::nullopt) << imf;
          ASSERT_EQ(parse(asctime), std::nullopt) << asctime;
        }
      }
    }
  }
  EXPECT_EQ(checked, 292560);  // the days of 801 years, 195 of them leap
}

// §5.6.7: "the sender MUST generate those timestamps in the IMF-fixdate
// format".
TEST(HttpDate, FormatsImfFixdate) {
  EXPECT_EQ(format(kExample), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
  EXPECT_EQ(format(oracle(2000, 2, 29, 23, 59, 59)), "Tue, 29 Feb 2000 23:59:59 GMT");
  EXPECT_EQ(format(kMinHttpDate), "Sat, 01 Jan 0000 00:00:00 GMT");
  EXPECT_EQ(format(kMaxHttpDate), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(HttpDate, FormatRefusesWhatItCannotWrite) {
  EXPECT_EQ(format(kMinHttpDate - 1), "");
  EXPECT_EQ(format(kMaxHttpDate + 1), "");
  std::array<char, kHttpDateSize - 1> short_out;
  short_out.fill('#');
  EXPECT_EQ(format_http_date(kExample, short_out), 0u);
  EXPECT_EQ(std::string_view(short_out.data(), short_out.size()), std::string(short_out.size(), '#'));
}

// What is written parses back to the same second, across the whole range
// (the formatter's civil-from-days against the parser's days-from-civil).
TEST(HttpDate, FormatThenParseIsTheIdentity) {
  int n = 0;
  for (std::int64_t t = kMinHttpDate; t <= kMaxHttpDate; t += 86400 * 97 + 3607) {
    ASSERT_EQ(parse(format(t)), t) << format(t);
    ++n;
  }
  EXPECT_GT(n, 30000);
}

// Design invariant 1: the request path allocates nothing.
TEST(HttpDate, AllocatesNothing) {
  const std::string texts[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                               "Sun Nov  6 08:49:37 1994", "garbage", "Fri, 30 Feb 2024 00:00:00 GMT"};
  std::array<char, kHttpDateSize> out;
  std::int64_t sum = 0;
  testing::AllocationScope scope;
  for (const std::string& text : texts) sum += parse_http_date(text, kNow).value_or(1);
  sum += static_cast<std::int64_t>(format_http_date(kNow, out));
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_NE(sum, 0);
}

}  // namespace
}  // namespace shockwave::files
