#ifndef SHOCKWAVE_SERVER_FILES_SAFE_PATH_H_
#define SHOCKWAVE_SERVER_FILES_SAFE_PATH_H_

// From a request path to an open file beneath the document root, in two
// steps that each refuse traversal on their own:
//
//   const int root = open_root("/srv/www");                // once, at start-up
//   std::array<char, kMaxRelativePath> name;
//   const RelativePath rel = to_relative_path(request.path(), name);
//   if (rel.error != PathError::kNone) ... answer rel.status()
//   const OpenedFile file = open_beneath(root, name.data());
//   if (file.status != 200) ... answer file.status (file.directory(): maybe redirect to path + "/")
//   ... serve file.fd (file.info: size, mtime, inode); close(file.fd)
//
// Nothing here allocates: no std::string, no std::filesystem, the name in
// the caller's buffer, then system calls.
//
// 1. to_relative_path: the request's path (origin-form, percent-encoded, no
//    query: Request::path()) becomes a relative name, decoded, NUL-terminated,
//    in a caller buffer of kMaxRelativePath (PATH_MAX) bytes.
//    - Each segment is percent-decoded once (RFC 3986 §2.1, §2.4: after the
//      path is split into segments, so an encoded "/" cannot make one).
//    - Empty segments ("//") are dropped; "." segments, raw or encoded
//      ("%2e"), are dropped too: RFC 3986 §5.2.4 removes them, they name
//      the directory they are in, and dropping them keeps a name free of
//      them. A path that ends in "/" or "/." names a directory: its
//      "index.html".
//    - Refused with 400: a ".." segment, raw or encoded in any case ("%2e%2e",
//      ".%2E", "%2E."), since clients resolve dot segments before sending
//      (RFC 3986 §5.2.4) and only a traversal attempt sends one; an encoded
//      "/" or "\" ("%2F", "%5C": no file's name holds the first, and the
//      second is a separator on other systems and in other layers); a
//      control byte raw or encoded ("%00" and the rest, and DEL); a "%"
//      without two hex digits; a raw byte that is not a path character
//      (RFC 3986 §3.3 pchar, or "/"); a path not starting with "/".
//    - Refused with 414: a name longer than the buffer.
//    Decoded bytes >= 0x80 are kept as they are (UTF-8 names).
//
// 2. open_beneath: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS
//    (Linux 5.6 or later), so the kernel refuses any resolution that leaves
//    the root: "..", an absolute path, a symlink pointing outside it, and an
//    absolute symlink even when it points inside it (EXDEV). Relative
//    symlinks that stay inside are followed: hence no O_NOFOLLOW, which
//    would refuse a symlink in the last component whatever its target.
//    Flags: O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK (the last has no
//    effect on a regular file's reads; it keeps opening a FIFO from
//    blocking the event loop). Then fstat: only a regular file is served.
//    Opening a device node runs its driver's open; a document root has
//    none.
//
//    The status to answer:
//      200  a regular file: fd (caller closes it) and info.
//      404  ENOENT, ENOTDIR, ENAMETOOLONG; EXDEV and ELOOP (out of the root,
//           or a symlink loop): from outside, a path that leaves the root
//           names nothing, and a 403 would tell a prober that a link exists
//           and where it cannot go; a directory (directory() is true), which
//           the handler may instead redirect to the path with a "/".
//      403  EACCES, EPERM: beneath the root but not readable by the server,
//           which the operator needs to see; a FIFO, socket or device (ENXIO,
//           ENODEV, or fstat says so).
//      503  EMFILE, ENFILE, ENOMEM, and EAGAIN or EINTR that persist (a
//           rename raced the lookup, a signal interrupted it): the server is
//           short of something now, not the request wrong.
//      500  anything else (ENOSYS: a kernel without openat2).
//    EINTR and EAGAIN are retried a few times.

#include <linux/limits.h>
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace shockwave::files {

// The buffer a relative name needs: PATH_MAX, its NUL included.
inline constexpr std::size_t kMaxRelativePath = PATH_MAX;

enum class PathError : std::uint8_t {
  kNone,
  kNotOriginForm,     // does not start with "/"
  kBadEscape,         // "%" without two hex digits
  kControl,           // a control byte or DEL, raw or encoded (NUL included)
  kNotPathChar,       // a raw byte outside RFC 3986 pchar and "/"
  kDotDot,            // a ".." segment, raw or encoded
  kEncodedSeparator,  // "%2F" or "%5C"
  kTooLong,           // the name does not fit the buffer
};

struct RelativePath {
  PathError error = PathError::kNone;
  std::size_t size = 0;  // the name's length, NUL not counted (0 on error)

  // status: 200 when there is a name, else what to answer (400 or 414).
  int status() const noexcept;
};

// to_relative_path writes the name `path` maps to into `out`, NUL-terminated;
// on error `out` holds nothing meaningful.
RelativePath to_relative_path(std::string_view path, std::span<char> out) noexcept;

struct OpenedFile {
  int fd = -1;          // when status == 200: the file, read-only; the caller closes it
  int status = 500;     // 200, or what to answer (see the header comment)
  int error = 0;        // errno of the system call that failed; 0 if none did
  struct stat info {};  // fstat's answer, when openat2 succeeded: 200, a directory, a 403 for the type

  bool directory() const noexcept { return S_ISDIR(info.st_mode); }
};

// open_beneath opens `relative` (a name from to_relative_path) beneath the
// directory `root_fd` (from open_root).
OpenedFile open_beneath(int root_fd, const char* relative) noexcept;

// open_root opens the document root for open_beneath (O_PATH | O_DIRECTORY |
// O_CLOEXEC) and checks that openat2 with RESOLVE_BENEATH works here (not a
// kernel before 5.6, nor a seccomp policy that refuses it, which would make
// every request a 500 or 403). Returns the descriptor, or -1 with errno set.
// Meant for start-up.
int open_root(const char* path) noexcept;

}  // namespace shockwave::files

#endif  // SHOCKWAVE_SERVER_FILES_SAFE_PATH_H_
