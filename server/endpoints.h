#ifndef SHOCKWAVE_SERVER_ENDPOINTS_H_
#define SHOCKWAVE_SERVER_ENDPOINTS_H_

// The shockwave binary's endpoints, on a Router (router.h): /plaintext and
// /json (TechEmpower semantics; GET, and HEAD by the router), /echo (the
// request body back; POST, PUT), / (an index, any method); 404 elsewhere,
// 405 with Allow for another method, OPTIONS answered with Allow.

#include "server/handler.h"
#include "server/router.h"

namespace shockwave {

class Endpoints {
 public:
  // Endpoints builds the routes (allocates; aborts if one is refused, a bug
  // in endpoints.cc that no request could get past).
  Endpoints();

  void handle(const Request& request, ResponseWriter& response) const noexcept { router_.handle(request, response); }

 private:
  Router router_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_ENDPOINTS_H_
