// shockwave: serves the demo endpoints (see endpoints.h), with --echo what
// it parsed (see echo.h), or with --root DIR the files beneath DIR (see
// static_files.h), until SIGINT/SIGTERM.

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "server/echo.h"
#include "server/endpoints.h"
#include "server/files/safe_path.h"
#include "server/flags.h"
#include "server/metrics.h"
#include "server/router.h"
#include "server/server.h"
#include "server/static_files.h"

namespace {

// serve runs a server with this handler until SIGINT or SIGTERM (blocked
// in every thread but received here by sigwait).
template <typename H>
int serve(const shockwave::Config& config, H& handler, const sigset_t& signals, const char* what,
          shockwave::Metrics* metrics = nullptr) {
  std::string error;
  shockwave::Server<H> server(config, handler);
  if (metrics != nullptr && config.enable_stats) metrics->watch(server);
  if (!server.start(&error)) {
    std::fprintf(stderr, "shockwave: %s\n", error.c_str());
    return 1;
  }
  const std::string_view io = shockwave::io_name(server.config().io);  // kAuto resolved by start()
  std::fprintf(stderr, "shockwave: listening on http://%s:%u/ (%s, %u thread%s, io=%.*s, %zu connections max)\n",
               config.address.c_str(), server.port(), what, config.threads, config.threads == 1 ? "" : "s",
               static_cast<int>(io.size()), io.data(), config.max_connections);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "shockwave: %s received, shutting down (deadline %lld ms)\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM", static_cast<long long>(config.shutdown_timeout.count()));
  server.stop();
  server.wait();
  if (config.enable_stats) {
    const shockwave::StatsSnapshot s = server.stats();
    std::fprintf(stderr, "shockwave: %llu requests, %llu connections, %llu bytes in, %llu bytes out\n",
                 static_cast<unsigned long long>(s.requests), static_cast<unsigned long long>(s.connections_accepted),
                 static_cast<unsigned long long>(s.bytes_read), static_cast<unsigned long long>(s.bytes_written));
  }
  std::fprintf(stderr, "shockwave: stopped\n");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  shockwave::Config config;
  shockwave::BinaryOptions binary;
  std::string error;
  switch (shockwave::parse_flags(argc, argv, &config, &error, &binary)) {
    case shockwave::FlagsResult::kHelp:
      std::fputs(shockwave::usage().c_str(), stdout);
      return 0;
    case shockwave::FlagsResult::kError:
      std::fprintf(stderr, "shockwave: %s\n\n%s", error.c_str(), shockwave::usage().c_str());
      return 2;
    case shockwave::FlagsResult::kRun:
      break;
  }

  // The event-loop threads inherit this mask; only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (binary.echo) {
    shockwave::Echo echo;
    return serve(config, echo, signals, "echo");
  }
  if (!binary.root.empty()) {
    const int root = shockwave::files::open_root(binary.root.c_str());
    if (root < 0) {
      std::fprintf(stderr, "shockwave: --root %s: %s\n", binary.root.c_str(), std::strerror(errno));
      return 2;
    }
    shockwave::StaticFiles files(root);
    shockwave::Metrics metrics;
    shockwave::Router router;
    router.get("/*", files);
    if (config.enable_stats) router.get("/metrics", metrics);  // beats the wildcard
    return serve(config, router, signals, "files", &metrics);
  }
  shockwave::Endpoints endpoints;
  return serve(config, endpoints, signals, "endpoints", &endpoints.metrics());
}
