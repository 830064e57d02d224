#ifndef SHOCKWAVE_SERVER_SERVER_H_
#define SHOCKWAVE_SERVER_SERVER_H_

// Server<H>: the zero-allocation HTTP/1.1 server.
//
//   struct Hello {
//     void handle(const shockwave::Request&, shockwave::ResponseWriter& w) { w.body("Hello, World!"); }
//   };
//   Hello hello;
//   shockwave::Server<Hello> server(config, hello);
//   server.start(&error);   // listeners bound, one event loop per thread running
//   ...
//   server.stop();          // graceful; async-signal-safe
//   server.wait();
//
// H is called directly; Server<Handler> calls the interface virtually.
// Everything is allocated by start(); serving allocates nothing.

#include <string>

#include "server/config.h"
#include "server/handler.h"
#include "server/server_core.h"
#include "server/stats.h"

namespace shockwave {

template <RequestHandler H>
class Server {
 public:
  Server(const Config& config, H& handler) : core_(config, Dispatch::to(handler)) {}

  // start binds the listeners and starts the event loops; false (and a
  // message) if it cannot.
  bool start(std::string* error = nullptr) { return core_.start(error); }
  // stop begins the graceful shutdown: no new connections, idle ones
  // closed, requests in flight answered with Connection: close, and
  // Config::shutdown_timeout as the hard deadline.
  void stop() noexcept { core_.stop(); }
  // wait returns once every event loop has ended.
  void wait() { core_.wait(); }

  std::uint16_t port() const noexcept { return core_.port(); }
  // The configuration it runs with; after start(), io names the loop chosen
  // for IoBackend::kAuto.
  const Config& config() const noexcept { return core_.config(); }
  StatsSnapshot stats() const noexcept { return core_.stats(); }

 private:
  ServerCore core_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_SERVER_H_
