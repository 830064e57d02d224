#include "conformance/adapters/exec_adapter.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "testing/escape.h"

extern char** environ;

namespace shockwave::conformance {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxStdout = 64u << 20;  // a runaway program is a failure
constexpr std::size_t kMaxStderr = 4096;       // enough for the message

// Fd closes its descriptor once.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

bool make_pipe(Fd* read_end, Fd* write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  *read_end = Fd(fds[0]);
  *write_end = Fd(fds[1]);
  return true;
}

std::string errno_text(const char* what) { return std::string(what) + ": " + std::strerror(errno); }

// SigpipeBlocked blocks SIGPIPE in this thread while writing to the child's
// stdin (a child that exits early makes write() fail with EPIPE instead of
// killing us), and discards a SIGPIPE it caused before unblocking.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
  }
  ~SigpipeBlocked() {
    sigset_t pending;
    sigpending(&pending);
    if (!was_pending_ && sigismember(&pending, SIGPIPE) == 1) {
      timespec zero{};
      while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t pipe_, old_;
  bool was_pending_ = false;
};

}  // namespace

ExecAdapter::ExecAdapter(std::string command, std::chrono::milliseconds timeout)
    : command_(std::move(command)), name_("exec:" + command_), timeout_(timeout) {}

namespace {

// outcome_of: the run's outcome, or the failure as an error with status 0.
ParseOutcome outcome_of(ExecResult r) {
  if (r.outcome) return std::move(*r.outcome);
  ParseOutcome failed;
  failed.error = Error{0, "exec: " + r.failure};
  return failed;
}

// protocol_environment: ours, with the protocol's variables set.
std::vector<std::string> protocol_environment(std::optional<std::span<const std::string>> responses) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string_view entry = *e;
    const std::string_view name = entry.substr(0, entry.find('='));
    if (name != kMessagesVariable && name != kRequestsVariable) env.emplace_back(entry);
  }
  env.push_back(std::string(kMessagesVariable) + (responses ? "=responses" : "=requests"));
  if (responses) {
    std::string methods;
    if (responses->empty()) methods = answered_method(*responses, 0);
    for (const std::string& m : *responses) methods += (methods.empty() ? "" : " ") + m;
    env.push_back(std::string(kRequestsVariable) + "=" + methods);
  }
  return env;
}

}  // namespace

ParseOutcome ExecAdapter::parse(std::string_view bytes) { return outcome_of(run(bytes)); }

ParseOutcome ExecAdapter::parse(std::string_view bytes, std::span<const std::string> requests) {
  return outcome_of(run(bytes, requests));
}

ExecResult ExecAdapter::run(std::string_view bytes, std::optional<std::span<const std::string>> responses) const {
  ExecResult result;
  auto fail = [&](std::string why) {
    result.failure = std::move(why);
    return std::move(result);
  };

  Fd in_read, in_write, out_read, out_write, err_read, err_write;
  if (!make_pipe(&in_read, &in_write) || !make_pipe(&out_read, &out_write) || !make_pipe(&err_read, &err_write)) {
    return fail(errno_text("pipe2"));
  }

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout kills the shell and what it started;
  // default signal handling and an empty mask, whatever ours are.
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);

  std::string sh = "/bin/sh", dash_c = "-c", cmd = command_;
  char* argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
  std::vector<std::string> env = protocol_environment(responses);
  std::vector<char*> envp;
  for (std::string& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  int spawn_error = posix_spawn(&pid, "/bin/sh", &actions, &attr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (spawn_error != 0) return fail(std::string("posix_spawn /bin/sh: ") + std::strerror(spawn_error));
  in_read.reset();
  out_write.reset();
  err_write.reset();
  for (int fd : {in_write.get(), out_read.get(), err_read.get()}) ::fcntl(fd, F_SETFL, O_NONBLOCK);

  const Clock::time_point deadline = Clock::now() + timeout_;
  std::string out, err;
  std::size_t written = 0;
  bool timed_out = false, too_much = false;
  std::string io_error;  // ours, not the program's
  {
    SigpipeBlocked guard;
    if (bytes.empty()) in_write.reset();
    while (out_read.get() >= 0 || err_read.get() >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        timed_out = true;
        break;
      }
      pollfd fds[3] = {{in_write.get(), POLLOUT, 0}, {out_read.get(), POLLIN, 0}, {err_read.get(), POLLIN, 0}};
      int n = ::poll(fds, 3, static_cast<int>(left));
      if (n < 0 && errno != EINTR) {
        io_error = errno_text("poll");
        break;
      }
      if (n <= 0) continue;
      if (fds[0].revents != 0) {
        ssize_t w = ::write(in_write.get(), bytes.data() + written, bytes.size() - written);
        if (w > 0) written += static_cast<std::size_t>(w);
        // EPIPE: the program stopped reading; that is its right.
        if ((w < 0 && errno != EAGAIN && errno != EINTR) || written == bytes.size()) in_write.reset();
      }
      struct Sink {
        short revents;
        Fd* fd;
        std::string* text;
        std::size_t max;
      };
      char chunk[65536];
      for (Sink s :
           {Sink{fds[1].revents, &out_read, &out, kMaxStdout}, Sink{fds[2].revents, &err_read, &err, kMaxStderr}}) {
        if (s.revents == 0) continue;
        ssize_t r = ::read(s.fd->get(), chunk, sizeof chunk);
        if (r > 0) {
          // Stderr beyond its cap is dropped; stdout beyond its cap is a failure.
          std::size_t take = std::min(static_cast<std::size_t>(r), s.max - std::min(s.max, s.text->size()));
          s.text->append(chunk, take);
          if (s.text == &out && take < static_cast<std::size_t>(r)) too_much = true;
        } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
          s.fd->reset();
        }
      }
      if (too_much) break;
    }
  }
  in_write.reset();

  // Reap it: it closed its output, so it is exiting; a program that lingers
  // (or a timeout, or runaway output) gets its process group killed.
  int status = 0;
  if (!timed_out && !too_much && io_error.empty()) {
    while (true) {
      pid_t w = ::waitpid(pid, &status, WNOHANG);
      if (w == pid) break;
      if (w < 0 && errno != EINTR) return fail(errno_text("waitpid"));  // (it is gone)
      if (Clock::now() >= deadline) {
        timed_out = true;
        break;
      }
      ::usleep(1000);
    }
  }
  if (timed_out || too_much || !io_error.empty()) {
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }

  if (!io_error.empty()) return fail(io_error);
  std::string err_note = err.empty() ? "" : "; stderr: " + ::shockwave::testing::escape(err, 500);
  if (timed_out) {
    return fail("timed out after " + std::to_string(timeout_.count()) + " ms (process group killed)" + err_note);
  }
  if (too_much) return fail("more than " + std::to_string(kMaxStdout) + " bytes on stdout");
  if (WIFSIGNALED(status)) {
    return fail("killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")" +
                err_note);
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return fail("exited with status " + std::to_string(WEXITSTATUS(status)) + err_note);
  }
  std::string why;
  result.outcome = from_json(out, &why);
  if (!result.outcome) {
    return fail("stdout is not a canonical JSON outcome (" + why + "); stdout began: " +
                (out.empty() ? std::string("(nothing)") : ::shockwave::testing::escape(out, 200)) + err_note);
  }
  for (const Message& m : result.outcome->messages) {
    if (m.is_response() != responses.has_value()) {
      result.outcome.reset();
      return fail(std::string("printed ") + (responses ? "requests" : "responses") + " where " +
                  std::string(kMessagesVariable) + " asked for " + (responses ? "responses" : "requests"));
    }
  }
  return result;
}

std::unique_ptr<ExecAdapter> make_exec_adapter(std::string command, std::chrono::milliseconds timeout) {
  return std::make_unique<ExecAdapter>(std::move(command), timeout);
}

}  // namespace shockwave::conformance
