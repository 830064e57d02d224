#include "server/endpoints.h"

#include <cstdio>
#include <cstdlib>

namespace shockwave {
namespace {

constexpr std::string_view kIndex =
    "Shockwave, a zero-allocation HTTP/1.1 server.\n"
    "  GET  /plaintext  Hello, World!\n"
    "  GET  /json       {\"message\":\"Hello, World!\"}\n"
    "  POST /echo       the request body back\n";

void plaintext(const Request&, const RouteParams&, ResponseWriter& response) {
  response.header("Content-Type", "text/plain");
  response.body("Hello, World!");
}

void json(const Request&, const RouteParams&, ResponseWriter& response) {
  response.header("Content-Type", "application/json");
  response.body(R"({"message":"Hello, World!"})");
}

void echo(const Request& request, const RouteParams&, ResponseWriter& response) {
  const std::string_view type = request.header("Content-Type");
  response.header("Content-Type", type.empty() ? "application/octet-stream" : type);
  response.body(request.body);
}

void index(const Request&, const RouteParams&, ResponseWriter& response) {
  response.header("Content-Type", "text/plain");
  response.body(kIndex);
}

}  // namespace

Endpoints::Endpoints() {
  router_.get("/plaintext", plaintext).get("/json", json).post("/echo", echo).put("/echo", echo).any("/", index);
  if (!router_.error().empty()) {
    std::fprintf(stderr, "shockwave: %s\n", router_.error().c_str());
    std::abort();
  }
}

}  // namespace shockwave
