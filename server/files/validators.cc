#include "server/files/validators.h"

#include <optional>

#include "server/files/http_date.h"
#include "server/http1/char_class.h"

namespace shockwave::files {
namespace {

namespace chars = http1::chars;

// EntityTag: a parsed entity-tag; `opaque` keeps its quotes.
struct EntityTag {
  bool weak = false;
  std::string_view opaque;
};

// etagc = %x21 / %x23-7E / obs-text (§8.8.3): VCHAR but DQUOTE, and obs-text.
bool is_etagc(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u == 0x21 || (u >= 0x23 && u <= 0x7e) || u >= 0x80;
}

// entity_tag reads entity-tag = [ weak ] opaque-tag at the start of s;
// returns how many bytes it took, 0 if s does not start with one.
std::size_t entity_tag(std::string_view s, EntityTag& tag) {
  std::size_t i = 0;
  tag.weak = s.starts_with("W/");  // weak = %s"W/": case-sensitive
  if (tag.weak) i = 2;
  if (i >= s.size() || s[i] != '"') return 0;
  const std::size_t open = i++;
  while (i < s.size() && is_etagc(s[i])) ++i;
  if (i >= s.size() || s[i] != '"') return 0;
  tag.opaque = s.substr(open, i + 1 - open);
  return i + 1;
}

// whole_tag: s is exactly one entity-tag.
std::optional<EntityTag> whole_tag(std::string_view s) {
  EntityTag tag;
  const std::size_t n = entity_tag(s, tag);
  if (n == 0 || n != s.size()) return std::nullopt;
  return tag;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && chars::is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && chars::is_ows(s.back())) s.remove_suffix(1);
  return s;
}

enum class ListMatch : std::uint8_t { kNone, kMatch, kAny, kInvalid };

// match_list reads If-Match / If-None-Match = "*" / #entity-tag and says
// whether `current` is in it, by `strong` or weak comparison. The list is
// read as recipients must (§5.6.1.2): [ element ] *( OWS "," OWS [ element ] ),
// to its end: one bad element makes the whole value invalid.
ListMatch match_list(std::string_view value, const EntityTag& current, bool strong) {
  value = trim(value);
  if (value == "*") return ListMatch::kAny;
  bool matched = false;
  std::size_t i = 0;
  while (i < value.size()) {
    if (chars::is_ows(value[i]) || value[i] == ',') {  // separators and empty elements
      ++i;
      continue;
    }
    EntityTag tag;
    const std::size_t n = entity_tag(value.substr(i), tag);
    if (n == 0) return ListMatch::kInvalid;  // "*" among tags lands here too
    i += n;
    // After an element: OWS, then "," or the end.
    while (i < value.size() && chars::is_ows(value[i])) ++i;
    if (i < value.size() && value[i] != ',') return ListMatch::kInvalid;
    if (tag.opaque == current.opaque && (!strong || (!tag.weak && !current.weak))) matched = true;
  }
  return matched ? ListMatch::kMatch : ListMatch::kNone;
}

EntityTag current_tag(const Validators& v) { return {false, v.etag.view()}; }

// if_match (§13.1.1): "*" is true (the representation exists); else true
// if a listed tag matches by the strong comparison (§13.1.1: "An origin
// server MUST use the strong comparison function").
bool if_match(std::string_view value, const Validators& v) {
  const ListMatch m = match_list(value, current_tag(v), /*strong=*/true);
  return m == ListMatch::kAny || m == ListMatch::kMatch;
}

// if_none_match (§13.1.2): false for "*" (the representation exists) or a
// weak match ("A recipient MUST use the weak comparison function").
bool if_none_match(std::string_view value, const Validators& v) {
  const ListMatch m = match_list(value, current_tag(v), /*strong=*/false);
  return !(m == ListMatch::kAny || m == ListMatch::kMatch);
}

// if_range (§13.1.5): "A valid entity-tag can be distinguished from a valid
// HTTP-date by examining the first three characters for a DQUOTE."
bool if_range(std::string_view value, const Validators& v, std::int64_t now) {
  value = trim(value);
  if (value.substr(0, 3).find('"') != std::string_view::npos) {
    // "If the entity-tag validator provided exactly matches the ETag field
    // value ... using the strong comparison function"
    const std::optional<EntityTag> tag = whole_tag(value);
    return tag && !tag->weak && tag->opaque == v.etag.view();
  }
  // "If the HTTP-date validator provided exactly matches the Last-Modified
  // field value"; ours is always strong (see the header), or absent.
  const std::optional<std::int64_t> date = parse_http_date(value, now);
  return date && v.has_last_modified && *date == v.last_modified;
}

void put_hex(char*& p, std::uint64_t v) {
  char digits[16];
  int n = 0;
  do {
    digits[n++] = "0123456789abcdef"[v & 0xf];
    v >>= 4;
  } while (v != 0);
  while (n > 0) *p++ = digits[--n];
}

}  // namespace

ETag make_etag(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns) noexcept {
  ETag tag;
  char* p = tag.bytes_.data();
  *p++ = '"';
  put_hex(p, inode);
  *p++ = '-';
  put_hex(p, size);
  *p++ = '-';
  put_hex(p, static_cast<std::uint64_t>(mtime_ns));  // before 1970: the two's complement bits, still unique
  *p++ = '"';
  tag.size_ = static_cast<std::uint8_t>(p - tag.bytes_.data());
  return tag;
}

Validators make_validators(std::uint64_t inode, std::uint64_t size, std::int64_t mtime_ns, std::int64_t now) noexcept {
  Validators v;
  v.etag = make_etag(inode, size, mtime_ns);
  constexpr std::int64_t kNs = 1'000'000'000;
  const std::int64_t seconds = mtime_ns >= 0 ? mtime_ns / kNs : -((-(mtime_ns + 1)) / kNs) - 1;  // floor
  // Only a second that is over, and one an HTTP-date can name (see the header).
  v.has_last_modified = seconds < now && seconds >= kMinHttpDate && seconds <= kMaxHttpDate;
  v.last_modified = v.has_last_modified ? seconds : 0;
  return v;
}

bool strong_match(std::string_view a, std::string_view b) noexcept {
  const std::optional<EntityTag> x = whole_tag(a), y = whole_tag(b);
  return x && y && !x->weak && !y->weak && x->opaque == y->opaque;
}

bool weak_match(std::string_view a, std::string_view b) noexcept {
  const std::optional<EntityTag> x = whole_tag(a), y = whole_tag(b);
  return x && y && x->opaque == y->opaque;
}

Precondition evaluate_preconditions(Method method, const ConditionalRequest& request, const Validators& validators,
                                    std::int64_t now) noexcept {
  // 1. If-Match; 2. else If-Unmodified-Since, a valid date only, and only
  // with a modification date (§13.1.4).
  if (!request.if_match.empty()) {
    if (!if_match(request.if_match, validators)) return Precondition::kPreconditionFailed;
  } else if (!request.if_unmodified_since.empty() && validators.has_last_modified) {
    const std::optional<std::int64_t> date = parse_http_date(request.if_unmodified_since, now);
    // "If the selected representation's last modification date is earlier
    // than or equal to the date provided in the field value, the condition
    // is true."
    if (date && validators.last_modified > *date) return Precondition::kPreconditionFailed;
  }
  // 3. If-None-Match; 4. else If-Modified-Since, on the same terms (§13.1.3).
  if (!request.if_none_match.empty()) {
    if (!if_none_match(request.if_none_match, validators)) return Precondition::kNotModified;
  } else if (!request.if_modified_since.empty() && validators.has_last_modified) {
    const std::optional<std::int64_t> date = parse_http_date(request.if_modified_since, now);
    // "If the selected representation's last modification date is earlier
    // or equal to the date provided in the field value, the condition is
    // false."
    if (date && validators.last_modified <= *date) return Precondition::kNotModified;
  }
  // 5. Range is for GET only (§14.2); If-Range without a Range is ignored
  // (§13.1.5).
  if (method != Method::kGet || request.range.empty()) return Precondition::kServeFull;
  if (!request.if_range.empty() && !if_range(request.if_range, validators, now)) return Precondition::kServeFull;
  return Precondition::kServeRange;
}

}  // namespace shockwave::files
