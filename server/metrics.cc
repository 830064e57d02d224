#include "server/metrics.h"

#include "server/observe/prometheus.h"

namespace shockwave {

void Metrics::handle(const Request&, const RouteParams&, ResponseWriter& response) const noexcept {
  if (read_ == nullptr) {
    response.status(404);
    response.header("Content-Type", "text/plain");
    return response.body("not found (metrics need --stats)\n");
  }
  char body[observe::kPrometheusBufferSize];
  const std::size_t n = observe::render_prometheus(read_(source_), body);
  if (n == 0) {  // cannot happen: the buffer holds any snapshot
    response.status(500);
    return;
  }
  response.header("Content-Type", observe::kPrometheusContentType);
  response.header("Cache-Control", "no-store");
  response.body(std::string_view(body, n));
}

}  // namespace shockwave
