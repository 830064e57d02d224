#ifndef SHOCKWAVE_SERVER_ENDPOINTS_H_
#define SHOCKWAVE_SERVER_ENDPOINTS_H_

// The shockwave binary's endpoints, on a Router (router.h): /plaintext and
// /json (TechEmpower semantics; GET, and HEAD by the router), /echo (the
// request body back; POST, PUT), /upload (a streamed body: its size and
// CRC-32; POST, PUT), /delay/:ms (a deferred response, after ms
// milliseconds; GET), /metrics (the stats, Prometheus's format, once
// metrics().watch(server) is called: metrics.h), / (an index, any
// method); 404 elsewhere, 405 with Allow for another method, OPTIONS
// answered with Allow.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/delayed_wakes.h"
#include "server/handler.h"
#include "server/metrics.h"
#include "server/router.h"

namespace shockwave {

class Endpoints {
 public:
  // The most /delay responses waiting at once; more are answered 503.
  static constexpr std::size_t kMaxDelayed = 4096;
  // The longest /delay/:ms; longer is 400.
  static constexpr std::uint64_t kMaxDelayMs = 60'000;

  // Endpoints builds the routes (allocates; aborts if one is refused, a bug
  // in endpoints.cc that no request could get past) and starts the thread
  // that wakes delayed responses.
  Endpoints();

  void handle(const Request& request, ResponseWriter& response) const noexcept { router_.handle(request, response); }
  BodyPlan plan_body(const Request& head) const noexcept { return router_.plan_body(head); }
  std::size_t on_body(const Request& head, std::string_view slice) const noexcept {
    return router_.on_body(head, slice);
  }
  void resume(const Request& request, std::uint64_t value, ResponseWriter& response) const noexcept {
    router_.resume(request, value, response);
  }

  // metrics: /metrics answers 404 until its watch() is given the server.
  Metrics& metrics() noexcept { return metrics_; }

  // Upload: the body goes to a sink that keeps only its size and CRC-32
  // (IEEE, as zlib's crc32), in the request's scratch words; handle()
  // answers them as {"bytes":N,"crc32":"hhhhhhhh"}.
  struct Upload {
    BodyPlan plan_body(const Request&, const RouteParams&) const noexcept { return BodyPlan::streamed(); }
    std::size_t on_body(const Request& head, const RouteParams&, std::string_view slice) const noexcept;
    void handle(const Request& request, const RouteParams&, ResponseWriter& response) const noexcept;
  };
  // Delay: defers the response and has `wakes` wake it after :ms.
  struct Delay {
    DelayedWakes* wakes;
    void handle(const Request& request, const RouteParams& params, ResponseWriter& response) const noexcept;
    void resume(const Request&, const RouteParams&, std::uint64_t ms, ResponseWriter& response) const noexcept;
  };

 private:
  DelayedWakes delayed_{kMaxDelayed};
  Upload upload_;
  Delay delay_{&delayed_};
  Metrics metrics_;
  Router router_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_ENDPOINTS_H_
