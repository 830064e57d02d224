#ifndef SHOCKWAVE_SERVER_METRICS_H_
#define SHOCKWAVE_SERVER_METRICS_H_

// Metrics: a route target answering a server's stats (stats.h) in the
// Prometheus text exposition format (observe/prometheus.h), opt-in:
//
//   Metrics metrics;
//   router.get("/metrics", metrics);
//   Server<Router> server(config, router);  // config.enable_stats = true
//   metrics.watch(server);
//
// Until watch() is called (the binary calls it only with --stats) it
// answers 404, so the route reveals nothing on a server that keeps no
// stats. A scrape reads the counters (relaxed atomics, one per event loop)
// and renders them into a buffer on the stack: no allocation, no lock.

#include "server/handler.h"
#include "server/route_pattern.h"
#include "server/stats.h"

namespace shockwave {

class Metrics {
 public:
  // watch: answer with `server`'s stats from now on; it must outlive the
  // routes' use. Call it before the server starts.
  template <typename S>
  void watch(const S& server) noexcept {
    source_ = &server;
    read_ = [](const void* s) noexcept { return static_cast<const S*>(s)->stats(); };
  }

  void handle(const Request& request, const RouteParams& params, ResponseWriter& response) const noexcept;

 private:
  const void* source_ = nullptr;
  StatsSnapshot (*read_)(const void*) noexcept = nullptr;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_METRICS_H_
