#include "server/endpoints.h"

namespace shockwave {
namespace {

constexpr std::string_view kIndex =
    "Shockwave, a zero-allocation HTTP/1.1 server.\n"
    "  GET  /plaintext  Hello, World!\n"
    "  GET  /json       {\"message\":\"Hello, World!\"}\n"
    "  POST /echo       the request body back\n";

bool get_or_head(const Request& request) { return request.method() == "GET" || request.method() == "HEAD"; }

void method_not_allowed(ResponseWriter& response, std::string_view allow) {
  // RFC 9110 §15.5.6: a 405 carries Allow.
  response.status(405);
  response.header("Allow", allow);
  response.header("Content-Type", "text/plain");
  response.body("method not allowed\n");
}

}  // namespace

void Endpoints::handle(const Request& request, ResponseWriter& response) noexcept {
  const std::string_view path = request.path();
  if (path == "/plaintext") {
    if (!get_or_head(request)) return method_not_allowed(response, "GET, HEAD");
    response.header("Content-Type", "text/plain");
    response.body("Hello, World!");
  } else if (path == "/json") {
    if (!get_or_head(request)) return method_not_allowed(response, "GET, HEAD");
    response.header("Content-Type", "application/json");
    response.body(R"({"message":"Hello, World!"})");
  } else if (path == "/echo") {
    if (request.method() != "POST" && request.method() != "PUT") return method_not_allowed(response, "POST, PUT");
    std::string_view type = request.header("Content-Type");
    response.header("Content-Type", type.empty() ? "application/octet-stream" : type);
    response.body(request.body);
  } else if (path == "/") {
    response.header("Content-Type", "text/plain");
    response.body(kIndex);
  } else {
    response.status(404);
    response.header("Content-Type", "text/plain");
    response.body("not found\n");
  }
}

}  // namespace shockwave
