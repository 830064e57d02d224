// safe_path.h: request paths to relative names (decoding, dot segments,
// empty segments, index.html, every refusal and its status), then names
// opened beneath a real root made under TEST_TMPDIR: files, a directory, a
// FIFO, symlinks inside the root (followed) and out of it (refused), and
// every traversal spelling refused before or at the kernel. No allocation
// on the way.

#include "server/files/safe_path.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>

#include "testing/alloc_counter.h"

namespace shockwave::files {
namespace {

// ---------------------------------------------------------------------------
// to_relative_path

struct Mapped {
  PathError error;
  std::string name;
};

Mapped map(std::string_view path, std::size_t buffer = kMaxRelativePath) {
  std::string out(buffer, '#');
  const RelativePath r = to_relative_path(path, std::span<char>(out.data(), out.size()));
  if (r.error != PathError::kNone) return {r.error, ""};
  EXPECT_EQ(out[r.size], '\0') << path;
  EXPECT_EQ(std::strlen(out.c_str()), r.size) << path;  // no NUL inside
  return {r.error, out.substr(0, r.size)};
}

std::string name_of(std::string_view path) {
  const Mapped m = map(path);
  EXPECT_EQ(m.error, PathError::kNone) << path;
  return m.name;
}

PathError error_of(std::string_view path) { return map(path).error; }

TEST(RelativePath, PlainPaths) {
  EXPECT_EQ(name_of("/a"), "a");
  EXPECT_EQ(name_of("/file.txt"), "file.txt");
  EXPECT_EQ(name_of("/a/b/c.css"), "a/b/c.css");
  EXPECT_EQ(name_of("/..."), "...");  // not a dot segment
  EXPECT_EQ(name_of("/.well-known/x"), ".well-known/x");
  EXPECT_EQ(name_of("/a..b/..c/d.."), "a..b/..c/d..");
}

// A trailing "/" names a directory: its index.html.
TEST(RelativePath, DirectoriesMapToIndexHtml) {
  EXPECT_EQ(name_of("/"), "index.html");
  EXPECT_EQ(name_of("/docs/"), "docs/index.html");
  EXPECT_EQ(name_of("/a/b/"), "a/b/index.html");
}

TEST(RelativePath, EmptySegmentsCollapse) {
  EXPECT_EQ(name_of("//"), "index.html");
  EXPECT_EQ(name_of("//a"), "a");
  EXPECT_EQ(name_of("/a//b"), "a/b");
  EXPECT_EQ(name_of("/a///b//"), "a/b/index.html");
}

// RFC 3986 §5.2.4 removes "." segments; so do we, raw or encoded, and a
// final one names its directory (like "/").
TEST(RelativePath, DotSegmentsCollapse) {
  EXPECT_EQ(name_of("/./a"), "a");
  EXPECT_EQ(name_of("/a/./b"), "a/b");
  EXPECT_EQ(name_of("/a/."), "a/index.html");
  EXPECT_EQ(name_of("/."), "index.html");
  EXPECT_EQ(name_of("/./"), "index.html");
  EXPECT_EQ(name_of("/%2e/a"), "a");
  EXPECT_EQ(name_of("/a/%2E"), "a/index.html");
  EXPECT_EQ(name_of("/a/%2e/%2E/./b"), "a/b");
}

// RFC 3986 §2.1: each segment decoded once, after splitting (§2.4).
TEST(RelativePath, PercentDecoding) {
  EXPECT_EQ(name_of("/a%20b.txt"), "a b.txt");
  EXPECT_EQ(name_of("/%41%62%63"), "Abc");
  EXPECT_EQ(name_of("/%7e%7E"), "~~");
  EXPECT_EQ(name_of("/caf%C3%A9.html"), "caf\xc3\xa9.html");  // UTF-8 kept as bytes
  EXPECT_EQ(name_of("/100%25"), "100%");
  EXPECT_EQ(name_of("/%2525"), "%25");  // once only
  EXPECT_EQ(name_of("/q%3Fx%23y"), "q?x#y");
}

// RFC 3986 §3.3: pchar = unreserved / pct-encoded / sub-delims / ":" / "@".
TEST(RelativePath, EveryRawPathCharIsKept) {
  EXPECT_EQ(name_of("/azAZ09-._~!$&'()*+,;=:@"), "azAZ09-._~!$&'()*+,;=:@");
}

// ".." in every spelling: refused (400), never resolved.
TEST(RelativePath, DotDotIsRefusedInEverySpelling) {
  for (std::string_view path :
       {"/..", "/../", "/../etc/passwd", "/a/..", "/a/../b", "/a/b/../../..", "/%2e%2e", "/%2e%2e/", "/%2E%2e/x",
        "/%2e%2E/x", "/%2E%2E/x", "/.%2e/x", "/.%2E/x", "/%2e./x", "/%2E./x", "/a/%2e%2e", "//..//x", "/./../x"}) {
    EXPECT_EQ(error_of(path), PathError::kDotDot) << path;
  }
  const RelativePath r{PathError::kDotDot, 0};
  EXPECT_EQ(r.status(), 400);
}

// An encoded "/" or "\" would join or split segments after the split.
TEST(RelativePath, EncodedSeparatorsAreRefused) {
  for (std::string_view path : {"/a%2fb", "/a%2Fb", "/%2F", "/..%2f..%2fetc%2fpasswd", "/a%5cb", "/a%5Cb",
                                "/..%5c..%5cwindows", "/%2e%2e%2f"}) {
    EXPECT_EQ(error_of(path), PathError::kEncodedSeparator) << path;
  }
}

// NUL ends a C string (a name that would be cut short), and no control byte
// belongs in a file name served over HTTP.
TEST(RelativePath, ControlBytesAreRefusedRawOrEncoded) {
  for (std::string_view path :
       {"/a%00", "/file.txt%00.html", "/%00", "/a%0a", "/a%0D%0A", "/a%09", "/a%1f", "/a%7f", "/a%7F"}) {
    EXPECT_EQ(error_of(path), PathError::kControl) << path;
  }
  EXPECT_EQ(error_of(std::string_view("/a\0b", 4)), PathError::kControl);
  EXPECT_EQ(error_of("/a\tb"), PathError::kControl);
  EXPECT_EQ(error_of("/a\x7f"), PathError::kControl);
}

TEST(RelativePath, BadEscapesAreRefused) {
  for (std::string_view path : {"/%", "/a%", "/a%2", "/%zz", "/%2g", "/%g2", "/%%", "/%%41", "/a%2/b", "/% 41"}) {
    EXPECT_EQ(error_of(path), PathError::kBadEscape) << path;
  }
}

TEST(RelativePath, RawBytesOutsidePcharAreRefused) {
  for (std::string_view path : {"/a\\b", "/a b", "/a\"b", "/a<b", "/a>b", "/a#b", "/a?b", "/a[b", "/a]b", "/a^b",
                                "/a`b", "/a{b", "/a|b", "/a}b", "/caf\xc3\xa9"}) {
    EXPECT_EQ(error_of(path), PathError::kNotPathChar) << path;
  }
}

TEST(RelativePath, OnlyOriginFormPaths) {
  for (std::string_view path : {"", "*", "a/b", "index.html", "http://example.com/", "%2F"}) {
    EXPECT_EQ(error_of(path), PathError::kNotOriginForm) << path;
  }
}

TEST(RelativePath, Statuses) {
  EXPECT_EQ((RelativePath{PathError::kNone, 1}).status(), 200);
  for (PathError e : {PathError::kNotOriginForm, PathError::kBadEscape, PathError::kControl, PathError::kNotPathChar,
                      PathError::kDotDot, PathError::kEncodedSeparator}) {
    EXPECT_EQ((RelativePath{e, 0}).status(), 400);
  }
  EXPECT_EQ((RelativePath{PathError::kTooLong, 0}).status(), 414);
}

// The name and its NUL fit the buffer exactly, or the path is refused.
TEST(RelativePath, TheBufferBoundsTheName) {
  EXPECT_EQ(map("/abc", 4).name, "abc");
  EXPECT_EQ(map("/abcd", 4).error, PathError::kTooLong);
  EXPECT_EQ(map("/", 11).name, "index.html");
  EXPECT_EQ(map("/", 10).error, PathError::kTooLong);
  EXPECT_EQ(map("/a/", 13).name, "a/index.html");
  EXPECT_EQ(map("/a/", 12).error, PathError::kTooLong);
  EXPECT_EQ(map("/a/b", 4).name, "a/b");
  EXPECT_EQ(map("/ab/c", 5).name, "ab/c");
  EXPECT_EQ(map("/ab/cd", 5).error, PathError::kTooLong);
  EXPECT_EQ(map("/abcd/e", 5).error, PathError::kTooLong);  // no room for the "/"
  EXPECT_EQ(map("/%41%41", 3).name, "AA");                  // counted decoded
  EXPECT_EQ(map("/a", 0).error, PathError::kTooLong);
  // PATH_MAX: 4095 bytes of name and the NUL.
  const std::string longest = "/" + std::string(kMaxRelativePath - 1, 'x');
  EXPECT_EQ(map(longest).name.size(), kMaxRelativePath - 1);
  EXPECT_EQ(map(longest + "x").error, PathError::kTooLong);
}

// ---------------------------------------------------------------------------
// open_beneath, on a real tree:
//
//   <tmp>/root/index.html       "home"
//   <tmp>/root/file.txt         "hello"
//   <tmp>/root/sub/index.html   "sub home"
//   <tmp>/root/sub/nested.css   "nested"
//   <tmp>/root/sub/up -> ../file.txt        relative, stays inside: followed
//   <tmp>/root/in -> file.txt               followed
//   <tmp>/root/dir -> sub                   followed
//   <tmp>/root/out -> ../outside/secret.txt leaves the root: refused
//   <tmp>/root/out_dir -> ../outside        leaves the root: refused
//   <tmp>/root/abs_in -> <tmp>/root/file.txt  absolute: refused (RESOLVE_BENEATH)
//   <tmp>/root/abs_out -> /etc/passwd       refused
//   <tmp>/root/loop -> loop                 ELOOP
//   <tmp>/root/proc -> /proc/self/root      refused
//   <tmp>/root/fifo                         a FIFO: 403, without blocking
//   <tmp>/outside/secret.txt    "secret"

std::string read_all(int fd) {
  std::string s;
  char buffer[256];
  for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) s.append(buffer, static_cast<std::size_t>(n));
  return s;
}

void write_file(const std::string& path, std::string_view content) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0) << path << ": " << std::strerror(errno);
  ASSERT_EQ(write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  close(fd);
}

void make_link(const std::string& target, const std::string& path) {
  ASSERT_EQ(symlink(target.c_str(), path.c_str()), 0) << path << ": " << std::strerror(errno);
}

class OpenBeneathTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* tmp = std::getenv("TEST_TMPDIR");
    std::string pattern = std::string(tmp != nullptr ? tmp : "/tmp") + "/safe_path_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    base_ = new std::string(pattern);
    const std::string root = *base_ + "/root";
    const std::string outside = *base_ + "/outside";
    ASSERT_EQ(mkdir(root.c_str(), 0755), 0);
    ASSERT_EQ(mkdir((root + "/sub").c_str(), 0755), 0);
    ASSERT_EQ(mkdir(outside.c_str(), 0755), 0);
    write_file(root + "/index.html", "home");
    write_file(root + "/file.txt", "hello");
    write_file(root + "/sub/index.html", "sub home");
    write_file(root + "/sub/nested.css", "nested");
    write_file(outside + "/secret.txt", "secret");
    make_link("../file.txt", root + "/sub/up");
    make_link("file.txt", root + "/in");
    make_link("sub", root + "/dir");
    make_link("../outside/secret.txt", root + "/out");
    make_link("../outside", root + "/out_dir");
    make_link(root + "/file.txt", root + "/abs_in");
    make_link("/etc/passwd", root + "/abs_out");
    make_link("loop", root + "/loop");
    make_link("/proc/self/root", root + "/proc");
    ASSERT_EQ(mkfifo((root + "/fifo").c_str(), 0644), 0) << std::strerror(errno);
    root_fd_ = open_root(root.c_str());
    ASSERT_GE(root_fd_, 0) << "open_root: " << std::strerror(errno);
  }

  static void TearDownTestSuite() {
    close(root_fd_);
    std::error_code ignored;
    std::filesystem::remove_all(*base_, ignored);
    delete base_;
  }

  // Open: what the request path gives, through both steps; the content if
  // it was served.
  struct Open {
    int status = 0;
    int error = 0;
    bool directory = false;
    std::string content;
  };
  static Open serve(std::string_view request_path) {
    std::array<char, kMaxRelativePath> name;
    const RelativePath rel = to_relative_path(request_path, name);
    if (rel.error != PathError::kNone) return {rel.status(), 0, false, ""};
    return open_name(name.data());
  }
  static Open open_name(const char* name) {
    const OpenedFile f = open_beneath(root_fd_, name);
    Open o{f.status, f.error, f.directory(), ""};
    if (f.status == 200) {
      EXPECT_GE(f.fd, 0);
      EXPECT_TRUE(S_ISREG(f.info.st_mode));
      o.content = read_all(f.fd);
      EXPECT_EQ(static_cast<std::size_t>(f.info.st_size), o.content.size());
      close(f.fd);
    } else {
      EXPECT_EQ(f.fd, -1);
    }
    return o;
  }

  static std::string* base_;
  static int root_fd_;
};

std::string* OpenBeneathTest::base_ = nullptr;
int OpenBeneathTest::root_fd_ = -1;

TEST_F(OpenBeneathTest, RegularFilesAreServed) {
  EXPECT_EQ(serve("/file.txt").content, "hello");
  EXPECT_EQ(serve("/").content, "home");
  EXPECT_EQ(serve("/sub/").content, "sub home");
  EXPECT_EQ(serve("/sub/nested.css").content, "nested");
  EXPECT_EQ(serve("//sub/./nested.css").content, "nested");
  EXPECT_EQ(serve("/%66ile.txt").content, "hello");
}

TEST_F(OpenBeneathTest, TheDescriptorIsReadOnlyAndCloseOnExec) {
  const OpenedFile f = open_beneath(root_fd_, "file.txt");
  ASSERT_EQ(f.status, 200);
  EXPECT_EQ(f.error, 0);
  EXPECT_EQ(fcntl(f.fd, F_GETFL) & O_ACCMODE, O_RDONLY);
  EXPECT_NE(fcntl(f.fd, F_GETFD) & FD_CLOEXEC, 0);
  EXPECT_EQ(f.info.st_size, 5);
  close(f.fd);
}

// Symlinks whose whole resolution stays beneath the root are followed.
TEST_F(OpenBeneathTest, SymlinksInsideTheRootAreFollowed) {
  EXPECT_EQ(serve("/in").content, "hello");
  EXPECT_EQ(serve("/sub/up").content, "hello");  // "../" inside the link, still beneath
  EXPECT_EQ(serve("/dir/nested.css").content, "nested");
  EXPECT_EQ(serve("/dir/").content, "sub home");
}

// RESOLVE_BENEATH: EXDEV for any way out; answered 404 (safe_path.h).
TEST_F(OpenBeneathTest, SymlinksOutOfTheRootAreRefused) {
  for (std::string_view path : {"/out", "/out_dir/secret.txt", "/abs_out", "/proc/etc/passwd"}) {
    const Open o = serve(path);
    EXPECT_EQ(o.status, 404) << path;
    EXPECT_EQ(o.error, EXDEV) << path;
    EXPECT_EQ(o.content, "") << path;
  }
}

// RESOLVE_BENEATH refuses absolute symlinks outright, even those that land
// inside the root: links in a document root must be relative.
TEST_F(OpenBeneathTest, AbsoluteSymlinksAreRefusedEvenInside) {
  const Open o = serve("/abs_in");
  EXPECT_EQ(o.status, 404);
  EXPECT_EQ(o.error, EXDEV);
}

TEST_F(OpenBeneathTest, ASymlinkLoopIsNotFound) {
  const Open o = serve("/loop");
  EXPECT_EQ(o.status, 404);
  EXPECT_EQ(o.error, ELOOP);
}

// Every traversal spelling of the issue, end to end: refused by
// to_relative_path (400) before any system call.
TEST_F(OpenBeneathTest, TraversalSpellingsNeverReachTheSecret) {
  for (std::string_view path :
       {"/../outside/secret.txt", "/%2e%2e/outside/secret.txt", "/%2E%2e/outside/secret.txt",
        "/.%2E/outside/secret.txt", "/sub/../../outside/secret.txt", "/..%2foutside%2fsecret.txt",
        "/..%2Foutside/secret.txt", "/..%5coutside%5csecret.txt", "/sub%2f..%2f..%2foutside%2fsecret.txt",
        "/file.txt%00", "/file.txt%00.html", "/%2e%2e%2f%2e%2e%2foutside%2fsecret.txt"}) {
    const Open o = serve(path);
    EXPECT_EQ(o.status, 400) << path;
    EXPECT_EQ(o.content, "") << path;
  }
}

// The kernel's side holds on its own: names that to_relative_path would
// never produce are still refused by open_beneath.
TEST_F(OpenBeneathTest, OpenBeneathAloneRefusesEscapes) {
  for (const char* name : {"../outside/secret.txt", "sub/../../outside/secret.txt", "/etc/passwd", ".."}) {
    const Open o = open_name(name);
    EXPECT_EQ(o.status, 404) << name;
    EXPECT_EQ(o.error, EXDEV) << name;
  }
  const std::string absolute = *base_ + "/root/file.txt";  // absolute, even inside
  EXPECT_EQ(open_name(absolute.c_str()).error, EXDEV);
  EXPECT_EQ(open_name("sub/../file.txt").content, "hello");  // ".." that stays inside
}

// Bytes that only look like dots elsewhere (an overlong UTF-8 "." is
// C0 AE) are just bytes to Linux: a name that does not exist.
TEST_F(OpenBeneathTest, OverlongUtf8DotsAreJustBytes) {
  const Open o = serve("/%c0%ae%c0%ae/outside/secret.txt");
  EXPECT_EQ(o.status, 404);
  EXPECT_EQ(o.error, ENOENT);
}

TEST_F(OpenBeneathTest, MissingFilesAreNotFound) {
  EXPECT_EQ(serve("/missing").status, 404);
  EXPECT_EQ(serve("/missing").error, ENOENT);
  EXPECT_EQ(serve("/missing/").status, 404);
  EXPECT_EQ(serve("/file.txt/x").error, ENOTDIR);
  EXPECT_EQ(serve("/file.txt/x").status, 404);
  const std::string long_name(NAME_MAX + 1, 'n');
  EXPECT_EQ(serve("/" + long_name).error, ENAMETOOLONG);
  EXPECT_EQ(serve("/" + long_name).status, 404);
}

// A directory is 404 with directory() set: the handler may redirect to the
// path with a "/" instead (which serves its index.html).
TEST_F(OpenBeneathTest, ADirectoryIsTheCallersToAnswer) {
  const Open sub = serve("/sub");
  EXPECT_EQ(sub.status, 404);
  EXPECT_TRUE(sub.directory);
  EXPECT_EQ(sub.error, 0);
  EXPECT_TRUE(serve("/dir").directory);
  EXPECT_FALSE(serve("/missing").directory);
}

// A FIFO opens at once (O_NONBLOCK; without it, open would wait for a
// writer) and is refused: only regular files are served.
TEST_F(OpenBeneathTest, AFifoIsRefusedWithoutBlocking) {
  const Open o = serve("/fifo");
  EXPECT_EQ(o.status, 403);
  EXPECT_FALSE(o.directory);
}

// A socket's inode (made with mknod, no listener needed) cannot be opened:
// ENXIO, answered like any other special file.
TEST_F(OpenBeneathTest, ASocketIsRefused) {
  const std::string path = *base_ + "/root/socket";
  ASSERT_EQ(mknod(path.c_str(), S_IFSOCK | 0644, 0), 0) << std::strerror(errno);
  const Open o = serve("/socket");
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(o.error, ENXIO);
  unlink(path.c_str());
}

// A device node opens (its driver's open runs: the reason a document root
// holds none) and is refused by its type.
TEST_F(OpenBeneathTest, ADeviceIsRefused) {
  const std::string path = *base_ + "/root/null";
  if (mknod(path.c_str(), S_IFCHR | 0644, makedev(1, 3)) != 0) {
    GTEST_SKIP() << "cannot make a device node here: " << std::strerror(errno);
  }
  const Open o = serve("/null");
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(o.error, 0);
  unlink(path.c_str());
}

// EACCES: beneath the root but unreadable: 403. Root reads everything, so
// as root the check runs in a child that has become nobody.
TEST_F(OpenBeneathTest, AnUnreadableFileIsForbidden) {
  const std::string path = *base_ + "/root/private.txt";
  write_file(path, "private");
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  if (geteuid() != 0) {
    const Open o = serve("/private.txt");
    EXPECT_EQ(o.status, 403);
    EXPECT_EQ(o.error, EACCES);
  } else {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) _exit(77);
      const OpenedFile f = open_beneath(root_fd_, "private.txt");
      _exit(f.status == 403 && f.error == EACCES ? 0 : 1);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "root that cannot become nobody here";
    EXPECT_EQ(WEXITSTATUS(status), 0) << "not 403 with EACCES as nobody";
  }
  unlink(path.c_str());
}

// A refusal leaves no descriptor behind: the lowest free one is the same
// before and after.
TEST_F(OpenBeneathTest, RefusalsCloseWhatTheyOpened) {
  const int before = dup(0);
  close(before);
  for (const char* name : {"sub", "fifo", "out", "missing", "dir"}) EXPECT_EQ(open_beneath(root_fd_, name).fd, -1);
  const int after = dup(0);
  close(after);
  EXPECT_EQ(after, before);
}

TEST_F(OpenBeneathTest, OpenRootRefusesWhatIsNotADirectory) {
  errno = 0;
  EXPECT_EQ(open_root((*base_ + "/root/file.txt").c_str()), -1);
  EXPECT_EQ(errno, ENOTDIR);
  EXPECT_EQ(open_root((*base_ + "/nothing").c_str()), -1);
  EXPECT_EQ(errno, ENOENT);
  const int via_link = open_root((*base_ + "/root/dir").c_str());  // the root itself may be a link
  EXPECT_GE(via_link, 0);
  close(via_link);
}

// Design invariant 1: mapping a path and opening the file allocate nothing.
TEST_F(OpenBeneathTest, AllocatesNothing) {
  const std::string paths[] = {"/", "/file.txt", "/sub/nested.css", "/in", "/out", "/%2e%2e/x", "/missing", "/sub"};
  std::array<char, kMaxRelativePath> name;
  int statuses = 0;
  testing::AllocationScope scope;
  for (const std::string& path : paths) {
    const RelativePath rel = to_relative_path(path, name);
    if (rel.error != PathError::kNone) {
      statuses += rel.status();
      continue;
    }
    const OpenedFile f = open_beneath(root_fd_, name.data());
    statuses += f.status;
    if (f.fd >= 0) close(f.fd);
  }
  EXPECT_EQ(scope.allocations(), 0u);
  EXPECT_EQ(statuses, 200 * 4 + 404 + 400 + 404 + 404);
}

}  // namespace
}  // namespace shockwave::files
