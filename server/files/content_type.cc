#include "server/files/content_type.h"

#include <algorithm>
#include <array>
#include <cstddef>

#include "server/http1/char_class.h"

namespace shockwave::files {
namespace {

struct MediaType {
  std::string_view extension;  // lower case, no dot
  std::string_view type;
};

constexpr std::string_view kUtf8 = "; charset=utf-8";

// Sorted by extension (bytewise), for the binary search; the checks below
// keep it so.
constexpr std::array kMediaTypes = {
    MediaType{"apng", "image/apng"},
    MediaType{"avif", "image/avif"},
    MediaType{"bmp", "image/bmp"},
    MediaType{"css", "text/css; charset=utf-8"},
    MediaType{"csv", "text/csv; charset=utf-8"},
    MediaType{"gif", "image/gif"},
    MediaType{"gz", "application/gzip"},
    MediaType{"htm", "text/html; charset=utf-8"},
    MediaType{"html", "text/html; charset=utf-8"},
    MediaType{"ico", "image/vnd.microsoft.icon"},
    MediaType{"jpeg", "image/jpeg"},
    MediaType{"jpg", "image/jpeg"},
    MediaType{"js", "text/javascript; charset=utf-8"},  // RFC 9239 §6: text/javascript
    MediaType{"json", "application/json"},
    MediaType{"map", "application/json"},  // source maps
    MediaType{"md", "text/markdown; charset=utf-8"},
    MediaType{"mjs", "text/javascript; charset=utf-8"},
    MediaType{"mp3", "audio/mpeg"},
    MediaType{"mp4", "video/mp4"},
    MediaType{"ogg", "audio/ogg"},
    MediaType{"otf", "font/otf"},
    MediaType{"pdf", "application/pdf"},
    MediaType{"png", "image/png"},
    MediaType{"svg", "image/svg+xml"},
    MediaType{"tar", "application/x-tar"},
    MediaType{"ttf", "font/ttf"},
    MediaType{"txt", "text/plain; charset=utf-8"},
    MediaType{"wasm", "application/wasm"},
    MediaType{"wav", "audio/wav"},
    MediaType{"webm", "video/webm"},
    MediaType{"webmanifest", "application/manifest+json"},
    MediaType{"webp", "image/webp"},
    MediaType{"woff", "font/woff"},
    MediaType{"woff2", "font/woff2"},
    MediaType{"xml", "application/xml"},
    MediaType{"zip", "application/zip"},
};

constexpr std::size_t kLongestExtension = [] {
  std::size_t n = 0;
  for (const MediaType& m : kMediaTypes) n = std::max(n, m.extension.size());
  return n;
}();

constexpr bool table_is_sound() {
  for (std::size_t i = 0; i < kMediaTypes.size(); ++i) {
    const MediaType& m = kMediaTypes[i];
    if (m.extension.empty() || m.type.empty()) return false;
    for (char c : m.extension) {
      if (c != http1::chars::to_lower(c) || c == '.') return false;
    }
    if (i > 0 && !(kMediaTypes[i - 1].extension < m.extension)) return false;  // sorted, no duplicates
    // text/* says its charset; nothing else does.
    if (m.type.starts_with("text/") != m.type.ends_with(kUtf8)) return false;
  }
  return true;
}
static_assert(table_is_sound(), "kMediaTypes: sorted unique lower-case extensions, charset exactly on text/*");

}  // namespace

std::string_view content_type_for_extension(std::string_view extension) noexcept {
  if (extension.empty() || extension.size() > kLongestExtension) return kDefaultContentType;
  std::array<char, kLongestExtension> lower;
  for (std::size_t i = 0; i < extension.size(); ++i) lower[i] = http1::chars::to_lower(extension[i]);
  const std::string_view key(lower.data(), extension.size());
  const auto it = std::lower_bound(kMediaTypes.begin(), kMediaTypes.end(), key,
                                   [](const MediaType& m, std::string_view k) { return m.extension < k; });
  return it != kMediaTypes.end() && it->extension == key ? it->type : kDefaultContentType;
}

std::string_view content_type_for_path(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return kDefaultContentType;  // none, or a dot file
  return content_type_for_extension(name.substr(dot + 1));
}

}  // namespace shockwave::files
