#ifndef SHOCKWAVE_SERVER_ROUTE_PATTERN_H_
#define SHOCKWAVE_SERVER_ROUTE_PATTERN_H_

// RoutePattern: one path pattern of the router (router.h), compiled at
// start-up and matched against request paths without allocating.
//
//   /plaintext        literal segments: the path's segments, byte for byte
//   /users/:id        a parameter: exactly one non-empty segment, named "id"
//   /static/*         a trailing wildcard: the rest of the path after
//                     "/static/" (possibly empty), named "*"
//   /                 the root; a trailing "/" is significant ("/a/" is not "/a")
//
// Matching is on the raw path (Request::path(): the query is not part of
// it). Percent-encoding is left as it is, in the path and in the pattern:
// "/a%62" does not match "/ab", and a parameter's value is still encoded.
// Decoding is the handler's decision (RFC 3986 §2.4: decode only once the
// components are split, which is what a segment is).
//
// Rejected when compiled, with the reason: not starting with "/", an empty
// segment other than the last ("//"), "*" anywhere but as the whole last
// segment, ":" or "*" inside a literal segment, a byte outside RFC 3986
// pchar or a "%" not followed by two hex digits in a literal, a parameter
// name that is empty, not [A-Za-z0-9_]+ or repeated, and more than
// kMaxRouteParams parameters (the wildcard counts as one).

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shockwave {

// How many parameters a pattern may have, so RouteParams is a fixed array.
inline constexpr std::size_t kMaxRouteParams = 8;

// RouteParams: a matched route's parameters, as views into the request's
// path (valid during the handler's call) and names as views into the router.
class RouteParams {
 public:
  // Built for every request routed, so the slots are left uninitialised
  // (only the first size() are ever read): zeroing them was a tenth of a
  // request's user-space time (bench/connection_bench.cc).
  RouteParams() noexcept {}
  RouteParams(const RouteParams& other) noexcept : size_(other.size_) {
    for (std::size_t i = 0; i < size_; ++i) params_[i] = other.params_[i];
  }
  RouteParams& operator=(const RouteParams& other) noexcept {
    size_ = other.size_;
    for (std::size_t i = 0; i < size_; ++i) params_[i] = other.params_[i];
    return *this;
  }

  std::size_t size() const noexcept { return size_; }
  std::string_view name(std::size_t i) const noexcept { return params_[i].name; }
  std::string_view value(std::size_t i) const noexcept { return params_[i].value; }
  // get returns the value of the parameter with this name, or "" (also for
  // a name the pattern does not have: check the pattern, not the value).
  std::string_view get(std::string_view name) const noexcept {
    for (std::size_t i = 0; i < size_; ++i) {
      if (params_[i].name == name) return params_[i].value;
    }
    return {};
  }
  // wildcard returns what the trailing "*" matched, or "".
  std::string_view wildcard() const noexcept { return get("*"); }

  void clear() noexcept { size_ = 0; }
  // push appends one; patterns are checked at compile time, so it fits.
  void push(std::string_view name, std::string_view value) noexcept {
    params_[size_].name = name;
    params_[size_].value = value;
    ++size_;
  }

 private:
  struct Param {
    std::string_view name;
    std::string_view value;
  };
  std::size_t size_ = 0;
  union {  // a union's members are not initialised unless named
    std::array<Param, kMaxRouteParams> params_;
  };
};

class RoutePattern {
 public:
  // compile returns the pattern, or nullopt with `*error` saying why.
  static std::optional<RoutePattern> compile(std::string_view text, std::string* error);

  // match: the path fits the pattern; `params` holds its parameters (and
  // is cleared first). Allocates nothing.
  bool match(std::string_view path, RouteParams& params) const noexcept;

  // match_after_first: match() for an origin-form path whose first segment,
  // path[1, first_end), the caller found equal to first_literal().
  bool match_after_first(std::string_view path, std::size_t first_end, RouteParams& params) const noexcept;

  // same_shape: both match exactly the same paths (parameter names aside).
  bool same_shape(const RoutePattern& other) const noexcept;

  // more_specific orders patterns so that, of two that match one path, the
  // more specific comes first: at the first segment where their kinds
  // differ, a literal beats a parameter, which beats the wildcard. Two
  // patterns that both match a path and are not the same shape always
  // differ in kind somewhere (equal kinds would need equal literals), so
  // the first match in this order is the most specific one.
  static bool more_specific(const RoutePattern& a, const RoutePattern& b) noexcept;

  const std::string& text() const noexcept { return text_; }
  // first_literal: the first segment's bytes when it is a literal (a path
  // matches only if its first segment is the same), else nullopt.
  std::optional<std::string_view> first_literal() const noexcept {
    if (segments_.front().kind != Kind::kLiteral) return std::nullopt;
    return segments_.front().text;
  }

 private:
  // Ordered by precedence: a higher kind wins.
  enum class Kind : std::uint8_t { kWildcard, kParam, kLiteral };
  struct Segment {
    Kind kind;
    std::string text;  // the literal's bytes, or the parameter's name
  };

  bool match_from(std::string_view path, std::size_t pos, std::size_t index, RouteParams& params) const noexcept;

  std::string text_;
  std::vector<Segment> segments_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_ROUTE_PATTERN_H_
