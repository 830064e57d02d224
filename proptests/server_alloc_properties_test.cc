// Invariant 1 as a property: for generated valid requests (pipelined batches
// of 1..32, bodies by Content-Length and chunked with extensions and
// trailers, keep-alive), sent over a real socket to a running Server with the
// Endpoints handler (/echo) after warm-up, every thread together allocates
// exactly 0 times, with enable_stats off and on. The request bytes are built
// before the measured scope; the client inside it allocates nothing (fixed
// buffer, blocking sockets). A handler that allocates on purpose is the
// negative control: the same property must fail, and RapidCheck shrinks it to
// a minimal counterexample (printed in the test log).

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <rapidcheck.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "proptests/alloc_counter.h"
#include "proptests/generators.h"
#include "proptests/raw_client.h"
#include "server/config.h"
#include "server/endpoints.h"
#include "server/server.h"

namespace shockwave::proptests {
namespace {

using shockwave::testing::AllocationScope;
using shockwave::testing::GlobalAllocationScope;
using shockwave::testing::RawClient;


// What the generator sends: requests Endpoints echoes.
RequestSpace echo_space() {
  RequestSpace space;
  space.echo_only = true;
  space.max_extra_fields = 8;
  space.max_body = 512;
  space.max_chunks = 4;
  space.max_trailers = 2;
  return space;
}

constexpr std::size_t kMaxPipeline = 32;

// Harness: a started server, a connected client, and the property.
template <typename H>
class Harness {
 public:
  explicit Harness(bool stats) : server_(config(stats), handler_) {}
  ~Harness() {
    client_.close();
    server_.stop();
    server_.wait();
  }

  bool start(std::string* error) {
    if (!server_.start(error)) return false;
    if (!reconnect()) {
      *error = client_.failure();
      return false;
    }
    return true;
  }

  // zero_allocations_per_batch is the property: one generated pipelined
  // batch, measured across every thread.
  void zero_allocations_per_batch() {
    const auto n = *rc::gen::inRange<std::size_t>(1, kMaxPipeline + 1);
    std::vector<GenRequest> requests;
    requests.reserve(n);
    std::string bytes;
    for (std::size_t i = 0; i < n; ++i) {
      requests.push_back(*gen_request(echo_space()));
      bytes += serialize(requests.back());
    }
    if (!client_.ok()) RC_ASSERT(reconnect());  // a failed case leaves the stream out of step

    bool ok = false;
    std::uint64_t allocations = 0, client_allocations = 0;
    {
      GlobalAllocationScope global;
      AllocationScope local;
      ok = client_.send(bytes);
      for (std::size_t i = 0; i < n && ok; ++i) ok = client_.expect(requests[i].body);
      allocations = global.allocations();
      client_allocations = local.allocations();
    }
    if (!ok) client_.close();
    RC_LOG() << n << " requests, " << bytes.size() << " bytes; client: " << client_.failure() << "; allocations "
             << allocations << " (client thread " << client_allocations << ")\n";
    RC_ASSERT(ok);
    RC_ASSERT(client_allocations == 0u);
    RC_ASSERT(allocations == 0u);
  }

 private:
  static Config config(bool stats) {
    Config c;
    c.address = "127.0.0.1";
    c.port = 0;
    c.threads = 1;
    c.max_connections = 8;
    c.enable_stats = stats;
    c.max_requests_per_connection = std::size_t{1} << 40;  // one connection carries every case
    return c;
  }

  // reconnect opens a new connection and warms it (and the server) up
  // outside any measurement: every kind of request, alone and pipelined.
  bool reconnect() {
    if (!client_.connect(server_.port())) return false;
    static constexpr std::string_view kContentLength =
        "POST /echo HTTP/1.1\r\nHost: warm\r\nContent-Length: 5\r\n\r\nhello";
    static constexpr std::string_view kChunked =
        "PUT /echo HTTP/1.1\r\nHost: warm\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;a=b\r\nhello\r\n0\r\nX-T: 1\r\n\r\n";
    std::string batch;
    for (std::size_t i = 0; i < kMaxPipeline; ++i) batch += i % 2 == 0 ? kContentLength : kChunked;
    for (int round = 0; round < 8; ++round) {
      if (!client_.send(kContentLength) || !client_.expect("hello")) return false;
      if (!client_.send(kChunked) || !client_.expect("hello")) return false;
      if (!client_.send(batch)) return false;
      for (std::size_t i = 0; i < kMaxPipeline; ++i) {
        if (!client_.expect("hello")) return false;
      }
    }
    return true;
  }

  H handler_;
  Server<H> server_;
  RawClient client_;
};

template <typename H>
bool check_zero_allocations(bool stats, const char* description) {
  Harness<H> harness(stats);
  std::string error;
  if (!harness.start(&error)) {
    ADD_FAILURE() << "server did not start: " << error;
    return false;
  }
  return rc::check(description, [&harness] { harness.zero_allocations_per_batch(); });
}

TEST(ServerAllocProperties, ZeroAllocationsPerRequestStatsOff) {
  EXPECT_TRUE(check_zero_allocations<Endpoints>(false, "echo, pipelined batches, stats off: 0 allocations"));
}

TEST(ServerAllocProperties, ZeroAllocationsPerRequestStatsOn) {
  EXPECT_TRUE(check_zero_allocations<Endpoints>(true, "echo, pipelined batches, stats on: 0 allocations"));
}

// The negative control: /echo answered from a std::string copy of the body
// (always on the heap: reserved past the small-string buffer).
struct AllocatingEcho {
  void handle(const Request& request, ResponseWriter& response) {
    std::string copy;
    copy.reserve(64 + request.body.size());
    copy.append(request.body);
    response.body(copy);
  }
};

TEST(ServerAllocProperties, AnAllocatingHandlerFailsTheProperty) {
  EXPECT_FALSE(check_zero_allocations<AllocatingEcho>(false, "negative control: an allocating echo must fail"));
}

}  // namespace
}  // namespace shockwave::proptests
