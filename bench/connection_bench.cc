// connection_bench: the server's own work per request, without the kernel's.
// One Connection (the state machine both event loops drive) reads requests
// from memory and writes its responses into the void, answering through the
// shockwave binary's endpoints (its Router): parsing, routing, the handler,
// the response writer and the buffer handling, in user space only. The server
// benchmarks measure the kernel's work too (most of it: bench/README.md);
// this isolates the part our code decides, for A/B runs of a change to it.
//
//   ./bazelw run -c opt //bench:connection_bench -- --benchmark_repetitions=5
//
// Each input is what wrk sends for GET /plaintext: one request per read
// (keep-alive) or 16 in one read (wrk's pipelining script).

#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

#include "server/config.h"
#include "server/endpoints.h"
#include "server/handler.h"
#include "server/net/connection.h"
#include "server/net/connection_rig.h"

namespace shockwave::bench {
namespace {

using net::Connection;

// The peer: every read returns `input` once, then EAGAIN until the next
// event; every write is taken whole.
struct MemoryPeer {
  std::string input;
  bool delivered = false;
  std::size_t written = 0;
};
MemoryPeer* g_peer = nullptr;

ssize_t peer_read(void*, int, char* buffer, std::size_t size) {
  if (g_peer->delivered || size < g_peer->input.size()) {
    errno = EAGAIN;
    return -1;
  }
  std::memcpy(buffer, g_peer->input.data(), g_peer->input.size());
  g_peer->delivered = true;
  return static_cast<ssize_t>(g_peer->input.size());
}

ssize_t peer_write(void*, int, const char*, std::size_t size) {
  g_peer->written += size;
  return static_cast<ssize_t>(size);
}

void peer_shutdown_write(void*, int) {}

constexpr net::Io kMemoryIo = {nullptr, peer_read, peer_write, peer_shutdown_write};

void BM_Connection(benchmark::State& state, int pipeline) {
  std::string request = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
  MemoryPeer peer;
  for (int i = 0; i < pipeline; ++i) peer.input += request;
  g_peer = &peer;

  Endpoints endpoints;
  net::ConnectionRig rig(Dispatch::to(endpoints), &kMemoryIo);
  rig.config.max_requests_per_connection = std::numeric_limits<decltype(rig.config.max_requests_per_connection)>::max();
  rig.open();
  Connection& connection = rig.connection;

  // One batch outside the timing: the bytes every batch's answers come to.
  // (Responses may wait in the output buffer until the next event.)
  auto one_batch = [&] {
    peer.delivered = false;
    return connection.on_readable() == Connection::Status::kOpen;
  };
  if (!one_batch() || connection.on_writable() != Connection::Status::kOpen || peer.written == 0) {
    state.SkipWithError("the first batch was not answered");
    return;
  }
  const std::size_t batch_bytes = peer.written;
  for (auto _ : state) {
    if (!one_batch()) {
      state.SkipWithError("the connection closed");
      break;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * pipeline);
  // Every request answered, with the same bytes.
  if (connection.on_writable() != Connection::Status::kOpen ||
      peer.written != batch_bytes * (static_cast<std::size_t>(state.iterations()) + 1)) {
    state.SkipWithError("a request went unanswered");
  }
  state.counters["response_bytes"] = static_cast<double>(batch_bytes) / pipeline;
  connection.on_close();
  g_peer = nullptr;
}

BENCHMARK_CAPTURE(BM_Connection, plaintext_keepalive, 1);
BENCHMARK_CAPTURE(BM_Connection, plaintext_pipelined16, 16);

}  // namespace
}  // namespace shockwave::bench
