#include "server/files/safe_path.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "server/http1/char_class.h"

namespace shockwave::files {
namespace {

namespace chars = http1::chars;

constexpr std::string_view kIndex = "index.html";

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

// is_path_char: RFC 3986 §3.3 pchar without pct-encoded ("%" is decoded by
// the caller). kPathChar also holds "/" (segments are split before) and "?"
// (the query, which Request::path() has already cut off).
bool is_path_char(char c) { return c != '?' && c != '/' && chars::is(c, chars::kPathChar); }

RelativePath fail(PathError error) { return {error, 0}; }

constexpr std::uint64_t kOpenFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
constexpr std::uint64_t kResolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;

// openat2 without a libc wrapper (glibc 2.36 has none).
int openat2_beneath(int dir_fd, const char* name, std::uint64_t flags) {
  struct open_how how = {};
  how.flags = flags;
  how.resolve = kResolve;
  return static_cast<int>(syscall(SYS_openat2, dir_fd, name, &how, sizeof how));
}

// status_for_errno maps a failed openat2 to the answer (see the header).
int status_for_errno(int error) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
    case ENAMETOOLONG:
    case EXDEV:
    case ELOOP:
      return 404;
    case EACCES:
    case EPERM:
    case ENXIO:
    case ENODEV:
      return 403;
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case EAGAIN:
    case EINTR:
      return 503;
    default:
      return 500;
  }
}

}  // namespace

int RelativePath::status() const noexcept {
  switch (error) {
    case PathError::kNone:
      return 200;
    case PathError::kTooLong:
      return 414;
    default:
      return 400;
  }
}

RelativePath to_relative_path(std::string_view path, std::span<char> out) noexcept {
  if (path.empty() || path.front() != '/') return fail(PathError::kNotOriginForm);
  if (out.empty()) return fail(PathError::kTooLong);
  const std::size_t limit = out.size() - 1;  // room for the NUL
  std::size_t n = 0;
  bool directory = false;  // the path ends in "/" (or "/."): its index.html
  std::size_t pos = 1;
  for (bool last = false; !last;) {
    std::size_t slash = path.find('/', pos);
    last = slash == std::string_view::npos;
    if (last) slash = path.size();
    const std::string_view raw = path.substr(pos, slash - pos);
    pos = slash + 1;
    if (raw.empty()) {  // "//", or the trailing "/"
      directory = true;
      continue;
    }
    const std::size_t mark = n;  // where this segment (and its separator) begins
    if (n > 0) {
      if (n == limit) return fail(PathError::kTooLong);
      out[n++] = '/';
    }
    const std::size_t start = n;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '%') {
        // pct-encoded = "%" HEXDIG HEXDIG (RFC 3986 §2.1)
        if (i + 2 >= raw.size() || !chars::is_hex(raw[i + 1]) || !chars::is_hex(raw[i + 2])) {
          return fail(PathError::kBadEscape);
        }
        c = static_cast<char>(chars::hex_value(raw[i + 1]) * 16 + chars::hex_value(raw[i + 2]));
        i += 2;
        if (c == '/' || c == '\\') return fail(PathError::kEncodedSeparator);
        if (is_control(static_cast<unsigned char>(c))) return fail(PathError::kControl);
      } else if (is_control(static_cast<unsigned char>(c))) {
        return fail(PathError::kControl);
      } else if (!is_path_char(c)) {
        return fail(PathError::kNotPathChar);
      }
      if (n == limit) return fail(PathError::kTooLong);
      out[n++] = c;
    }
    // Dot segments, judged once decoded: "%2e%2e" is "..".
    const std::string_view segment(out.data() + start, n - start);
    if (segment == "..") return fail(PathError::kDotDot);
    if (segment == ".") {
      n = mark;
      directory = true;
      continue;
    }
    directory = false;
  }
  if (directory) {
    if (n > 0) {
      if (n == limit) return fail(PathError::kTooLong);
      out[n++] = '/';
    }
    if (limit - n < kIndex.size()) return fail(PathError::kTooLong);
    for (char c : kIndex) out[n++] = c;
  }
  out[n] = '\0';
  return {PathError::kNone, n};
}

OpenedFile open_beneath(int root_fd, const char* relative) noexcept {
  OpenedFile file;
  int fd = -1;
  // EINTR: a signal; EAGAIN: a rename raced the lookup (openat2(2)). Both
  // are worth another try, a bounded number of times.
  for (int attempt = 0; attempt < 4; ++attempt) {
    fd = openat2_beneath(root_fd, relative, kOpenFlags);
    if (fd >= 0 || (errno != EINTR && errno != EAGAIN)) break;
  }
  if (fd < 0) {
    file.error = errno;
    file.status = status_for_errno(file.error);
    return file;
  }
  if (fstat(fd, &file.info) != 0) {
    file.error = errno;
    file.status = 500;
    close(fd);
    return file;
  }
  if (!S_ISREG(file.info.st_mode)) {
    // A directory is the caller's to answer (404, or a redirect to "path/");
    // anything else is never served.
    file.status = S_ISDIR(file.info.st_mode) ? 404 : 403;
    close(fd);
    return file;
  }
  file.fd = fd;
  file.status = 200;
  return file;
}

int open_root(const char* path) noexcept {
  const int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return -1;
  // The probe: the root itself, through the same resolution requests use.
  const int probe = openat2_beneath(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (probe < 0) {
    const int error = errno;
    close(root);
    errno = error;
    return -1;
  }
  close(probe);
  return root;
}

}  // namespace shockwave::files
