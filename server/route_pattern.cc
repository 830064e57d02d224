#include "server/route_pattern.h"

#include <algorithm>

#include "server/http1/char_class.h"

namespace shockwave {
namespace {

namespace chars = http1::chars;

std::nullopt_t fail(std::string* error, std::string_view pattern, std::string_view why) {
  if (error != nullptr) *error = "route pattern \"" + std::string(pattern) + "\": " + std::string(why);
  return std::nullopt;
}

std::nullopt_t too_many(std::string* error, std::string_view pattern) {
  return fail(error, pattern, "more than " + std::to_string(kMaxRouteParams) + " parameters (kMaxRouteParams)");
}

bool is_name_char(char c) { return chars::is(c, chars::kAlpha) || chars::is_digit(c) || c == '_'; }

// literal_error returns why a literal segment is not one, or "" if it is:
// RFC 3986 §3.3 pchar (pct-encoded included); ":" and "*" are reserved for
// parameters and the wildcard, so that "/a*" is a mistake, not a literal.
std::string_view literal_error(std::string_view segment) {
  for (std::size_t i = 0; i < segment.size(); ++i) {
    const char c = segment[i];
    if (c == ':' || c == '*') return "\":\" and \"*\" may only start a segment (\"/:name\", \"/*\")";
    if (c == '%') {
      if (i + 2 >= segment.size() || !chars::is_hex(segment[i + 1]) || !chars::is_hex(segment[i + 2])) {
        return "\"%\" must be followed by two hex digits (RFC 3986 §2.1)";
      }
      i += 2;
      continue;
    }
    if (c == '?' || !chars::is(c, chars::kPathChar)) return "a byte that is not a path character (RFC 3986 §3.3)";
  }
  return {};
}

}  // namespace

std::optional<RoutePattern> RoutePattern::compile(std::string_view text, std::string* error) {
  if (text.empty() || text.front() != '/') return fail(error, text, "must start with \"/\"");
  RoutePattern pattern;
  pattern.text_ = std::string(text);
  std::size_t params = 0;
  std::size_t pos = 1;
  for (bool last = false; !last;) {
    const std::size_t slash = text.find('/', pos);
    last = slash == std::string_view::npos;
    const std::string_view segment = text.substr(pos, last ? std::string_view::npos : slash - pos);
    pos = slash + 1;

    if (segment == "*") {
      if (!last) return fail(error, text, "\"*\" must be the last segment");
      if (++params > kMaxRouteParams) return too_many(error, text);
      pattern.segments_.push_back({Kind::kWildcard, "*"});
    } else if (!segment.empty() && segment.front() == ':') {
      const std::string_view name = segment.substr(1);
      if (name.empty() || !std::all_of(name.begin(), name.end(), is_name_char)) {
        return fail(error, text, "a parameter name is [A-Za-z0-9_]+");
      }
      for (const Segment& s : pattern.segments_) {
        if (s.kind == Kind::kParam && s.text == name) return fail(error, text, "repeated parameter name");
      }
      if (++params > kMaxRouteParams) return too_many(error, text);
      pattern.segments_.push_back({Kind::kParam, std::string(name)});
    } else {
      if (segment.empty() && !last) return fail(error, text, "empty segment (\"//\")");
      const std::string_view why = literal_error(segment);
      if (!why.empty()) return fail(error, text, why);
      pattern.segments_.push_back({Kind::kLiteral, std::string(segment)});
    }
  }
  return pattern;
}

bool RoutePattern::match(std::string_view path, RouteParams& params) const noexcept {
  params.clear();
  // Anything but an origin-form path ("*" of OPTIONS *) matches nothing.
  if (path.empty() || path.front() != '/') return false;
  return match_from(path, 1, 0, params);
}

bool RoutePattern::match_after_first(std::string_view path, std::size_t first_end, RouteParams& params) const noexcept {
  params.clear();
  if (first_end == path.size()) return segments_.size() == 1;
  return match_from(path, first_end + 1, 1, params);
}

// match_from matches segments_[index...] against the segments of `path`
// from `pos`, where one (possibly empty) begins.
bool RoutePattern::match_from(std::string_view path, std::size_t pos, std::size_t index,
                              RouteParams& params) const noexcept {
  bool more = true;  // a segment (possibly empty) starts at pos
  for (std::size_t i = index; i < segments_.size(); ++i) {
    const Segment& s = segments_[i];
    if (!more) return false;
    if (s.kind == Kind::kWildcard) {
      params.push("*", path.substr(pos));
      return true;
    }
    const std::size_t slash = path.find('/', pos);
    more = slash != std::string_view::npos;
    const std::string_view segment = path.substr(pos, more ? slash - pos : std::string_view::npos);
    pos = slash + 1;
    if (s.kind == Kind::kLiteral) {
      if (segment != s.text) return false;
    } else {
      if (segment.empty()) return false;
      params.push(s.text, segment);
    }
  }
  return !more;
}

bool RoutePattern::same_shape(const RoutePattern& other) const noexcept {
  return std::equal(segments_.begin(), segments_.end(), other.segments_.begin(), other.segments_.end(),
                    [](const Segment& a, const Segment& b) {
                      return a.kind == b.kind && (a.kind != Kind::kLiteral || a.text == b.text);
                    });
}

bool RoutePattern::more_specific(const RoutePattern& a, const RoutePattern& b) noexcept {
  return std::lexicographical_compare(a.segments_.begin(), a.segments_.end(), b.segments_.begin(), b.segments_.end(),
                                      [](const Segment& x, const Segment& y) { return x.kind > y.kind; });
}

}  // namespace shockwave
