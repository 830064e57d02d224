// The default event loop (IoBackend::kAuto): io_uring where the kernel gives
// the process a ring, else epoll; io_uring asked for explicitly fails to
// start where it is refused. The refusal is made as container runtimes make
// it: a seccomp filter failing io_uring_setup with EPERM. A filter cannot be
// removed, so this test has a binary of its own and runs its halves in order.

#include <linux/filter.h>
#include <linux/io_uring.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"
#include "testing/client.h"
#include "testing/escape.h"

namespace shockwave::testing {
namespace {

// ring_allowed asks the kernel for a ring directly (not through the server).
bool ring_allowed() {
  io_uring_params params{};
  const long fd = syscall(__NR_io_uring_setup, 2, &params);
  if (fd < 0) return false;
  close(static_cast<int>(fd));
  return true;
}

// refuse_io_uring installs, for every thread of the process, a filter that
// fails io_uring_setup with EPERM (x86-64 and arm64 number it alike, 425).
bool refuse_io_uring() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  sock_fprog program{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return false;
  return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &program) == 0;
}

Config config_with(IoBackend io) {
  Config config = test_config();
  config.io = io;
  return config;
}

// served: a GET of /plaintext on `port` gets its 200.
void expect_served(std::uint16_t port) {
  Client client(port);
  ASSERT_TRUE(client.send(get("/plaintext")));
  const std::vector<Response> r = client.read_responses(1, {"GET"}, milliseconds(2000));
  ASSERT_EQ(r.size(), 1u) << escape(client.pending());
  EXPECT_EQ(r[0].status, 200);
}

// expect_auto_runs: a server started with kAuto runs `io`, and serves.
void expect_auto_runs(IoBackend io) {
  Endpoints endpoints;
  Server<Endpoints> server(config_with(IoBackend::kAuto), endpoints);
  std::string error;
  ASSERT_TRUE(server.start(&error)) << error;
  EXPECT_EQ(server.config().io, io);
  expect_served(server.port());
  server.stop();
  server.wait();
}

TEST(IoFallbackTest, AutoRunsIoUringWhereAllowedAndEpollWhereRefused) {
  if (!ring_allowed()) GTEST_SKIP() << "this kernel or sandbox refuses io_uring already";
  ASSERT_NO_FATAL_FAILURE(expect_auto_runs(IoBackend::kUring));

  // Where seccomp itself is refused (a sandbox forbidding new filters), the
  // refusal cannot be made here: the half above has run, the rest cannot.
  if (!refuse_io_uring()) GTEST_SKIP() << "no seccomp filter can be installed here: " << std::strerror(errno);
  ASSERT_FALSE(ring_allowed());
  ASSERT_NO_FATAL_FAILURE(expect_auto_runs(IoBackend::kEpoll));
  Endpoints endpoints;
  Server<Endpoints> server(config_with(IoBackend::kUring), endpoints);
  std::string error;
  EXPECT_FALSE(server.start(&error));
  EXPECT_NE(error.find("io_uring"), std::string::npos) << error;
}

}  // namespace
}  // namespace shockwave::testing
