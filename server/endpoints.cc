#include "server/endpoints.h"

#include <array>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace shockwave {
namespace {

constexpr std::string_view kIndex =
    "Shockwave, a zero-allocation HTTP/1.1 server.\n"
    "  GET  /plaintext  Hello, World!\n"
    "  GET  /json       {\"message\":\"Hello, World!\"}\n"
    "  POST /echo       the request body back\n"
    "  POST /upload     a streamed body (any size): its size and CRC-32\n"
    "  GET  /delay/:ms  a deferred response, after ms milliseconds (at most 60000)\n"
    "  GET  /metrics    the stats in Prometheus's text format (with --stats)\n";

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

void text(ResponseWriter& response, int status, std::string_view body) {
  response.status(status);
  response.header("Content-Type", "text/plain");
  response.body(body);
}

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), one table lookup
// per byte; crc32(crc32(0, a), b) == crc32(0, a + b).
constexpr std::array<std::uint32_t, 256> kCrcTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}();

std::uint32_t crc32(std::uint32_t crc, std::string_view bytes) {
  std::uint32_t c = ~crc;
  for (const char b : bytes) c = kCrcTable[(c ^ static_cast<unsigned char>(b)) & 0xFF] ^ (c >> 8);
  return ~c;
}

}  // namespace

std::size_t Endpoints::Upload::on_body(const Request& head, const RouteParams&, std::string_view slice) const noexcept {
  const std::span<std::uint64_t, 4> s = head.scratch();
  s[0] += slice.size();
  s[1] = crc32(static_cast<std::uint32_t>(s[1]), slice);
  return slice.size();
}

void Endpoints::Upload::handle(const Request& request, const RouteParams&, ResponseWriter& response) const noexcept {
  const std::span<std::uint64_t, 4> s = request.scratch();
  char json[64];
  const int n = std::snprintf(json, sizeof json,
                              R"({"bytes":%llu,"crc32":"%08x"})"
                              "\n",
                              static_cast<unsigned long long>(s[0]), static_cast<unsigned>(s[1]));
  response.header("Content-Type", "application/json");
  response.body(std::string_view(json, static_cast<std::size_t>(n)));
}

void Endpoints::Delay::handle(const Request& request, const RouteParams& params,
                              ResponseWriter& response) const noexcept {
  const std::string_view digits = params.get("ms");
  std::uint64_t ms = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), ms);
  if (error != std::errc() || end != digits.data() + digits.size() || ms > kMaxDelayMs) {
    return text(response, 400, "delay: want /delay/N, N in 0..60000 milliseconds\n");
  }
  const Ticket ticket = request.defer();
  // Full: answer now; a written response wins over the deferral.
  if (!wakes->after(std::chrono::milliseconds(ms), ticket, ms)) text(response, 503, "too many delayed responses\n");
}

void Endpoints::Delay::resume(const Request&, const RouteParams&, std::uint64_t ms,
                              ResponseWriter& response) const noexcept {
  char body[48];
  const int n = std::snprintf(body, sizeof body, "waited %llu ms\n", static_cast<unsigned long long>(ms));
  text(response, 200, std::string_view(body, static_cast<std::size_t>(n)));
}

Endpoints::Endpoints() {
  router_.get("/plaintext", plaintext)
      .get("/json", json)
      .post("/echo", echo)
      .put("/echo", echo)
      .post("/upload", upload_)
      .put("/upload", upload_)
      .get("/delay/:ms", delay_)
      .get("/metrics", metrics_)
      .any("/", index);
  if (!router_.error().empty()) {
    std::fprintf(stderr, "shockwave: %s\n", router_.error().c_str());
    std::abort();
  }
}

}  // namespace shockwave
