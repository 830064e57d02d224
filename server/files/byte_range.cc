#include "server/files/byte_range.h"

#include <algorithm>
#include <charconv>
#include <limits>

#include "server/http1/char_class.h"
#include "server/http1/request.h"

namespace shockwave::files {
namespace {

namespace chars = http1::chars;

constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!chars::is_digit(c)) return false;
  }
  return true;
}

// saturating_value reads 1*DIGIT; past 2^64-1 it stays there, which is past
// every representation length (a file's size is an off_t).
std::uint64_t saturating_value(std::string_view digits) {
  std::uint64_t v = 0;
  for (char c : digits) {
    const auto d = static_cast<std::uint64_t>(c - '0');
    v = v > (kMax - d) / 10 ? kMax : v * 10 + d;
  }
  return v;
}

// decimal_less: a < b as numbers, for digit strings of any length (so that
// "first > last" is exact even where both saturate).
bool decimal_less(std::string_view a, std::string_view b) {
  a.remove_prefix(std::min(a.find_first_not_of('0'), a.size()));
  b.remove_prefix(std::min(b.find_first_not_of('0'), b.size()));
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

constexpr ByteRangeResult kIgnore{ByteRangeKind::kIgnore, {}};
constexpr ByteRangeResult kUnsatisfiable{ByteRangeKind::kUnsatisfiable, {}};

// evaluate_spec: one range-spec of the bytes unit (RFC 9110 §14.1.1,
// §14.1.2) against a length > 0.
ByteRangeResult evaluate_spec(std::string_view spec, std::uint64_t length) {
  const std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return kIgnore;  // other-range: not for bytes
  const std::string_view first = spec.substr(0, dash);
  const std::string_view last = spec.substr(dash + 1);
  if (first.empty()) {
    // suffix-range = "-" suffix-length: the last N bytes, all of them if
    // the representation is shorter; N = 0 is unsatisfiable (§14.1.2).
    if (!all_digits(last)) return kIgnore;
    const std::uint64_t suffix = saturating_value(last);
    if (suffix == 0) return kUnsatisfiable;
    const std::uint64_t n = std::min(suffix, length);
    return {ByteRangeKind::kSatisfiable, {length - n, n}};
  }
  // int-range = first-pos "-" [ last-pos ]
  if (!all_digits(first) || (!last.empty() && !all_digits(last))) return kIgnore;
  // §14.1.1: "An int-range is invalid if the last-pos value is present and
  // less than the first-pos."
  if (!last.empty() && decimal_less(last, first)) return kIgnore;
  // §14.1.2: satisfiable iff first-pos is less than the length; a last-pos
  // at or past the end means the remainder.
  const std::uint64_t from = saturating_value(first);
  if (from >= length) return kUnsatisfiable;
  const std::uint64_t to = last.empty() ? length - 1 : std::min(saturating_value(last), length - 1);
  return {ByteRangeKind::kSatisfiable, {from, to - from + 1}};
}

// format writes "bytes FIRST-LAST/LENGTH", or "bytes */LENGTH" without a
// range (RFC 9110 §14.4).
std::size_t format(std::span<char> out, const ByteRange* range, std::uint64_t length) {
  if (out.size() < kMaxContentRange) return 0;
  char* p = out.data();
  char* const end = out.data() + out.size();
  for (char c : std::string_view("bytes ")) *p++ = c;
  if (range != nullptr) {
    p = std::to_chars(p, end, range->first).ptr;
    *p++ = '-';
    p = std::to_chars(p, end, range->last()).ptr;
  } else {
    *p++ = '*';
  }
  *p++ = '/';
  p = std::to_chars(p, end, length).ptr;
  return static_cast<std::size_t>(p - out.data());
}

}  // namespace

ByteRangeResult parse_byte_range(std::string_view value, std::uint64_t length) noexcept {
  // §14.2: "MAY ignore a Range header field when the selected representation
  // has no content".
  if (value.empty() || length == 0) return kIgnore;
  const std::size_t equals = value.find('=');
  if (equals == std::string_view::npos) return kIgnore;
  // §14.1: "All range unit names are case-insensitive"; any other unit is
  // ignored (§14.2).
  if (!http1::equals_ignore_case(value.substr(0, equals), "bytes")) return kIgnore;

  // range-set = 1#range-spec, read as a recipient must (§5.6.1.2):
  // [ element ] *( OWS "," OWS [ element ] ).
  const std::string_view set = value.substr(equals + 1);
  std::string_view spec;  // the one range-spec, once found
  std::size_t i = 0;
  while (i < set.size()) {
    if (chars::is_ows(set[i])) {
      ++i;
      continue;
    }
    if (set[i] == ',') {  // an empty element
      ++i;
      continue;
    }
    // A second range-spec: the whole field is ignored (see the header).
    if (!spec.empty()) return kIgnore;
    std::size_t j = i;
    while (j < set.size() && set[j] != ',' && !chars::is_ows(set[j])) ++j;
    spec = set.substr(i, j - i);
    // After an element: OWS, then "," or the end.
    while (j < set.size() && chars::is_ows(set[j])) ++j;
    if (j < set.size() && set[j] != ',') return kIgnore;
    i = j;
  }
  if (spec.empty()) return kIgnore;  // 1#: at least one range-spec
  return evaluate_spec(spec, length);
}

std::size_t format_content_range(const ByteRange& range, std::uint64_t length, std::span<char> out) noexcept {
  return format(out, &range, length);
}

std::size_t format_unsatisfied_range(std::uint64_t length, std::span<char> out) noexcept {
  return format(out, nullptr, length);
}

}  // namespace shockwave::files
