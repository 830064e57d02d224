#ifndef SHOCKWAVE_SERVER_ENDPOINTS_H_
#define SHOCKWAVE_SERVER_ENDPOINTS_H_

// The shockwave binary's endpoints: /plaintext and /json (TechEmpower
// semantics), /echo (the request body back), / (an index, any method), and
// 404 elsewhere.

#include "server/handler.h"

namespace shockwave {

struct Endpoints {
  void handle(const Request& request, ResponseWriter& response) noexcept;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_ENDPOINTS_H_
