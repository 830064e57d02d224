// inprocess_bench: the server benchmark in the Go original's style (its
// `go test -bench` with RunParallel): concurrent clients over loopback
// against a Server<H> in the same process, reporting per request
//   ns/op      wall-clock time / requests, all clients together
//   B/op       bytes allocated / requests, every thread of the process
//   allocs/op  allocations / requests, every thread of the process
// for each handler kind (plaintext, json, echo of a 1 KiB body, a chunked
// streamed 1 KiB response), with stats off and on. Allocations are counted
// by //testing:alloc_counter (the one counter); the clients are
// //testing:client, which allocates nothing, so what is counted is the
// server's. Threads are started, connected and warmed up before counting.
//
//   ./bazelw run -c opt //bench:inprocess_bench -- [--clients=N] [--requests=N] [--server-threads=N] [--short]
//
// Prints Go-style lines as it goes (stderr) and a markdown table (stdout).
// No timing is asserted; a failed exchange is an error (exit 1).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/requests.h"
#include "server/config.h"
#include "server/endpoints.h"
#include "server/server.h"
#include "testing/alloc_counter.h"
#include "testing/client.h"

namespace shockwave::bench {
namespace {

using testing::Client;
using testing::GlobalAllocationScope;

// The 1 KiB body of requests.h's chunked POST, echoed and streamed.
constexpr std::string_view kBody(detail::kBody.data(), detail::kBody.size());

// BenchHandler: the binary's Endpoints, plus /stream, which streams kBody in
// four chunks (the chunked streaming kind).
struct BenchHandler {
  Endpoints endpoints;
  void handle(const Request& request, ResponseWriter& response) noexcept {
    if (request.path() != "/stream") return endpoints.handle(request, response);
    response.header("Content-Type", "application/octet-stream");
    response.begin_chunked();
    for (std::size_t k = 0; k < detail::kChunkCount; ++k) response.write_chunk(detail::chunk(k));
    response.end_chunked();
  }
};

struct Kind {
  const char* name;
  std::string request;  // built before any counting
  std::string_view body;
};

std::vector<Kind> kinds() {
  return {
      {"plaintext", "GET /plaintext HTTP/1.1\r\nHost: bench\r\n\r\n", "Hello, World!"},
      {"json", "GET /json HTTP/1.1\r\nHost: bench\r\n\r\n", R"({"message":"Hello, World!"})"},
      {"echo",
       "POST /echo HTTP/1.1\r\nHost: bench\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
           std::to_string(kBody.size()) + "\r\n\r\n" + std::string(kBody),
       kBody},
      {"chunked_stream", "GET /stream HTTP/1.1\r\nHost: bench\r\n\r\n", kBody},
  };
}

struct Options {
  unsigned clients = 4;
  std::uint64_t requests = 20'000;  // per configuration, all clients together
  std::uint64_t warmup = 200;       // per client, before counting
  unsigned server_threads = 1;
};

struct Result {
  std::string name;
  std::uint64_t requests = 0;
  double ns_per_op = 0;
  double bytes_per_op = 0;
  double allocs_per_op = 0;
};

// run_one serves `kind` with stats on or off; false (with a message) on a
// failed exchange.
bool run_one(const Options& options, const Kind& kind, bool stats, Result* result) {
  Config config;
  config.address = "127.0.0.1";
  config.port = 0;
  config.threads = options.server_threads;
  config.max_connections = options.clients + 8;
  config.max_requests_per_connection = ~std::size_t{0};
  config.enable_stats = stats;
  BenchHandler handler;
  Server<BenchHandler> server(config, handler);
  std::string error;
  if (!server.start(&error)) {
    std::fprintf(stderr, "inprocess_bench: cannot start the server: %s\n", error.c_str());
    return false;
  }

  const std::uint64_t per_client = (options.requests + options.clients - 1) / options.clients;
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  std::atomic<unsigned> finished{0};
  std::atomic<bool> release{false};
  std::vector<Client> clients(options.clients);
  std::vector<std::thread> threads;
  for (unsigned c = 0; c < options.clients; ++c) {
    threads.emplace_back([&, c] {
      Client& client = clients[c];
      bool ok = client.connect(server.port());
      for (std::uint64_t i = 0; ok && i < options.warmup; ++i)
        ok = client.send(kind.request) && client.expect(kind.body);
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (std::uint64_t i = 0; ok && i < per_client; ++i) ok = client.send(kind.request) && client.expect(kind.body);
      finished.fetch_add(1, std::memory_order_release);
      while (!release.load(std::memory_order_acquire)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  }
  while (ready.load() != options.clients) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  std::uint64_t allocations = 0, bytes = 0;
  std::chrono::nanoseconds elapsed{};
  {
    GlobalAllocationScope scope;
    const auto start = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    while (finished.load(std::memory_order_acquire) != options.clients) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    elapsed = std::chrono::steady_clock::now() - start;
    allocations = scope.allocations();
    bytes = scope.bytes();
  }
  release.store(true, std::memory_order_release);
  for (std::thread& t : threads) t.join();
  server.stop();
  server.wait();

  bool ok = true;
  for (const Client& client : clients) {
    if (!client.ok()) {
      std::fprintf(stderr, "inprocess_bench: %s: a client failed: %s\n", kind.name, client.failure());
      ok = false;
    }
  }
  const std::uint64_t total = per_client * options.clients;
  result->name = std::string(kind.name) + (stats ? "/stats=on" : "/stats=off");
  result->requests = total;
  result->ns_per_op = static_cast<double>(elapsed.count()) / static_cast<double>(total);
  result->bytes_per_op = static_cast<double>(bytes) / static_cast<double>(total);
  result->allocs_per_op = static_cast<double>(allocations) / static_cast<double>(total);
  return ok;
}

bool parse_number(const char* arg, const char* name, std::uint64_t* out) {
  const std::size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(arg + n + 1, &end, 10);
  if (end == arg + n + 1 || *end != '\0' || v == 0) {
    std::fprintf(stderr, "inprocess_bench: bad value in %s\n", arg);
    std::exit(2);
  }
  *out = v;
  return true;
}

int run(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::uint64_t v = 0;
    if (std::strcmp(argv[i], "--short") == 0) {
      options.requests = 400;
      options.warmup = 20;
    } else if (parse_number(argv[i], "--clients", &v)) {
      options.clients = static_cast<unsigned>(v);
    } else if (parse_number(argv[i], "--requests", &v)) {
      options.requests = v;
    } else if (parse_number(argv[i], "--server-threads", &v)) {
      options.server_threads = static_cast<unsigned>(v);
    } else {
      std::fprintf(stderr, "usage: inprocess_bench [--clients=N] [--requests=N] [--server-threads=N] [--short]\n");
      return 2;
    }
  }

  std::vector<Result> results;
  bool ok = true;
  for (const Kind& kind : kinds()) {
    for (bool stats : {false, true}) {
      Result r;
      ok = run_one(options, kind, stats, &r) && ok;
      std::fprintf(stderr, "BenchmarkServer/%-26s %10llu %10.0f ns/op %8.1f B/op %8.3f allocs/op\n", r.name.c_str(),
                   static_cast<unsigned long long>(r.requests), r.ns_per_op, r.bytes_per_op, r.allocs_per_op);
      results.push_back(r);
    }
  }

  std::printf(
      "In-process: %u client threads over loopback, server with %u event loop(s), "
      "allocations counted in every thread (%s)\n\n",
      options.clients, options.server_threads, testing::allocation_counting_mode());
  std::printf("| configuration | requests | ns/op | B/op | allocs/op |\n|---|--:|--:|--:|--:|\n");
  for (const Result& r : results) {
    std::printf("| %s | %llu | %.0f | %.1f | %.3f |\n", r.name.c_str(), static_cast<unsigned long long>(r.requests),
                r.ns_per_op, r.bytes_per_op, r.allocs_per_op);
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace shockwave::bench

int main(int argc, char** argv) { return shockwave::bench::run(argc, argv); }
