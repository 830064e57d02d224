// Invariant 1 (docs/invariants.md), zero allocations per request, as a RapidCheck property: a
// generated batch of 1..32 pipelined requests (any token method, targets of
// every form, 0 up to the server's max_fields field lines, bodies by
// Content-Length and chunked with extensions and trailers, keep-alive, and
// close or CONNECT at the end), answered by a handler that echoes, streams a
// chunked response or returns an error (server_exchange.h), goes through a
// real socket to a running Server with two event loops, epoll or io_uring
// (a generated choice), after warm-up. The
// allocations of every thread together, from the first byte sent to the last
// response read (and, when the batch closes, to the server's close), are
// exactly 0, with enable_stats off and on; and no thread other than the
// test's allocates between cases either (what a server does after its last
// byte falls there). The request bytes and expected responses are built
// before the measurement; the client allocates nothing.
//
// The negative control: the same property over a handler that copies the
// body into a std::string must fail, and RapidCheck must shrink it to the
// minimal counterexample: one request with a 16-octet body, the smallest
// that does not fit libstdc++'s small-string buffer.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <typeinfo>

#include "proptests/generators.h"
#include "proptests/server_exchange.h"
#include "server/config.h"
#include "server/server.h"
#include "testing/alloc_counter.h"
#include "testing/client.h"
#include "testing/escape.h"
#include "testing/quiescence.h"

namespace shockwave::proptests {
namespace {

using testing::AllocationScope;
using testing::Client;
using testing::GlobalAllocationScope;

constexpr std::size_t kMaxFields = 20;

ExchangeSpace exchange_space() {
  ExchangeSpace space;
  space.max_pipeline = 32;
  space.max_fields = kMaxFields;
  space.max_body = 512;
  return space;
}

std::uint64_t others() { return testing::other_threads_allocation_counts().allocations; }

// What one measured case saw.
struct Measured {
  bool client_ok = false;
  bool server_closed = true;             // the server closed its side (closing batches)
  std::uint64_t allocations = 0;         // every thread, during the exchange
  std::uint64_t client_allocations = 0;  // this (the client's) thread, during the exchange
  std::uint64_t between_cases = 0;       // other threads, since the previous case
  std::uint64_t requests_counted = 0;    // stats: requests answered
};

class HarnessBase {
 public:
  virtual ~HarnessBase() = default;
};

// Harness: two started servers (two event loops each), one per event-loop
// backend (epoll, io_uring), warmed up, and a client for each.
template <typename H>
class Harness : public HarnessBase {
 public:
  explicit Harness(bool stats)
      : stats_(stats),
        epoll_(config(stats, IoBackend::kEpoll), handler_),
        uring_(config(stats, IoBackend::kUring), handler_) {}
  ~Harness() override {
    for (Client& c : clients_) c.close();
    for (Server<H>* s : {&epoll_, &uring_}) {
      s->stop();
      s->wait();
    }
  }

  bool start(std::string* error) {
    if (!epoll_.start(error) || !uring_.start(error)) return false;
    fds_ = testing::open_fd_count();  // listeners, epoll/io_uring, eventfds; no connection yet
    if (!warm_up(false, error) || !warm_up(true, error)) return false;
    last_others_ = others();
    return true;
  }

  // measure runs one batch on the (re)connected client of one backend,
  // counting.
  Measured measure(const Batch& batch, bool uring) {
    Server<H>& server = uring ? uring_ : epoll_;
    Client& client = clients_[uring];
    if (!client.ok() && !client.connect(server.port())) return {};
    // What the process holds once the server has closed this connection.
    const int fds = fds_ + (clients_[!uring].connected() ? 2 : 0);
    Measured m;
    const std::uint64_t before = others();
    m.between_cases = before - last_others_;
    const StatsSnapshot stats_before = server.stats();
    {
      GlobalAllocationScope global;
      AllocationScope local;
      m.client_ok = run_batch(client, batch);
      if (m.client_ok && batch.closes()) {
        client.close();
        m.server_closed = testing::wait_for_fds(fds);
      }
      m.allocations = global.allocations();
      m.client_allocations = local.allocations();
    }
    m.requests_counted = server.stats().requests - stats_before.requests;
    last_others_ = others();
    if (!m.client_ok) client.close();  // out of step: the next case reconnects
    return m;
  }

  bool stats() const { return stats_; }
  const Client& client(bool uring) const { return clients_[uring]; }

 private:
  static Config config(bool stats, IoBackend io) {
    Config c;
    c.address = "127.0.0.1";
    c.port = 0;
    c.io = io;
    c.threads = 2;
    c.max_connections = 8;
    c.max_fields = kMaxFields;
    c.enable_stats = stats;
    c.max_requests_per_connection = std::size_t{1} << 40;  // one connection may carry every case
    return c;
  }

  // warm_up: generated batches from a fixed seed, every kind of exchange
  // among them, reconnecting after each one that closes.
  bool warm_up(bool uring, std::string* error) {
    Server<H>& server = uring ? uring_ : epoll_;
    Client& client = clients_[uring];
    const rc::Gen<Batch> gen = gen_batch(exchange_space());
    rc::Random random(20261127);
    for (int i = 0; i < 12; ++i) {
      const Batch batch = gen(random.split(), 100).value();
      if ((!client.ok() && !client.connect(server.port())) || !run_batch(client, batch)) {
        std::ostringstream os;
        showValue(batch, os);
        *error = std::string("warm-up failed: ") + client.failure() + "; received \"" +
                 testing::escape(client.pending().substr(0, 400)) + "\" for " + os.str();
        return false;
      }
      if (batch.closes()) client.close();
    }
    client.close();
    if (testing::wait_for_fds(fds_)) return true;
    *error = "warm-up: the server did not close every connection";
    return false;
  }

  bool stats_;
  H handler_;
  Server<H> epoll_;
  Server<H> uring_;
  Client clients_[2];  // by backend: epoll, io_uring
  int fds_ = 0;
  std::uint64_t last_others_ = 0;
};

// One live harness at a time: a second one's connections would move the
// first one's descriptor count (and its idle timers could fire meanwhile).
std::unique_ptr<HarnessBase>& live_harness() {
  static std::unique_ptr<HarnessBase> harness;
  return harness;
}

template <typename H>
Harness<H>* shared_harness(bool stats) {
  auto& live = live_harness();
  auto* current = dynamic_cast<Harness<H>*>(live.get());
  if (current != nullptr && current->stats() == stats) return current;
  live.reset();
  auto harness = std::make_unique<Harness<H>>(stats);
  std::string error;
  if (!harness->start(&error)) {
    std::cerr << "server_alloc_properties_test: " << error << "\n";
    return nullptr;
  }
  current = harness.get();
  live = std::move(harness);
  return current;
}

// Stops the last harness before the process exits.
class StopHarness : public ::testing::Environment {
 public:
  void TearDown() override { live_harness().reset(); }
};
[[maybe_unused]] ::testing::Environment* const kStopHarness = ::testing::AddGlobalTestEnvironment(new StopHarness);

// zero_allocations is the property's body, for any handler.
template <typename H>
Measured zero_allocations(bool stats) {
  Harness<H>* harness = shared_harness<H>(stats);
  if (harness == nullptr) RC_FAIL("the servers did not start or warm up (see the log)");
  const bool uring = *rc::gen::arbitrary<bool>();  // the event-loop backend: epoll (false) or io_uring
  const Batch batch = *gen_batch(exchange_space());
  const Measured m = harness->measure(batch, uring);
  const Client& client = harness->client(uring);
  RC_LOG() << (uring ? "io_uring" : "epoll") << "; client: " << client.failure() << " (received \""
           << testing::escape(client.pending().substr(0, 400)) << "\"); allocations " << m.allocations
           << " (client thread " << m.client_allocations << "), between cases " << m.between_cases << "\n";
  RC_TAG(uring ? "io_uring" : "epoll");
  RC_ASSERT(m.client_ok);
  RC_ASSERT(m.server_closed);
  RC_ASSERT(m.client_allocations == 0u);
  RC_ASSERT(m.between_cases == 0u);
  if (stats) RC_ASSERT(m.requests_counted == batch.exchanges.size());
  RC_ASSERT(m.allocations == 0u);
  return m;
}

RC_GTEST_PROP(ServerAllocProperties, ZeroAllocationsPerRequestStatsOff, ()) {
  zero_allocations<ExchangeHandler>(false);
}

RC_GTEST_PROP(ServerAllocProperties, ZeroAllocationsPerRequestStatsOn, ()) { zero_allocations<ExchangeHandler>(true); }

// ---------------------------------------------------------------------------
// The negative control.

// AllocatingHandler: ExchangeHandler, except that it echoes from a
// std::string copy of the body, which is on the heap once the body does not
// fit the small-string buffer (15 octets in libstdc++).
struct AllocatingHandler : ExchangeHandler {
  void handle(const Request& request, ResponseWriter& response) {
    if (request.header("X-Response") != "echo" || !request.header("X-Body").empty() ||
        !request.header("X-Defer").empty()) {
      return ExchangeHandler::handle(request, response);
    }
    const std::string copy(request.body);
    response.header("Content-Type", "application/octet-stream");
    response.body(copy);
  }
};

TEST(ServerAllocProperties, AnAllocatingHandlerFailsWithAMinimalCounterexample) {
  const rc::detail::TestMetadata metadata{"ServerAllocProperties/AnAllocatingHandlerFailsWithAMinimalCounterexample",
                                          "negative control: a handler that copies the body into a std::string"};
  const auto& reproduce = rc::detail::configuration().reproduce;
  if (!reproduce.empty() && reproduce.count(metadata.id) == 0) GTEST_SKIP() << "RC_PARAMS reproduces another property";

  // The last case that failed for allocating: after shrinking, the minimal one.
  Batch minimal;
  const rc::detail::TestResult result = rc::detail::checkTestable(
      [&minimal] {
        Harness<AllocatingHandler>* harness = shared_harness<AllocatingHandler>(false);
        if (harness == nullptr) RC_FAIL("the servers did not start or warm up (see the log)");
        const bool uring = *rc::gen::arbitrary<bool>();
        const Batch batch = *gen_batch(exchange_space());
        const Measured m = harness->measure(batch, uring);
        RC_LOG() << (uring ? "io_uring" : "epoll") << "; client: " << harness->client(uring).failure()
                 << "; allocations " << m.allocations << "\n";
        RC_ASSERT(m.client_ok);
        if (m.allocations != 0) minimal = batch;
        RC_ASSERT(m.allocations == 0u);
      },
      metadata);
  live_harness().reset();

  // The log shows RapidCheck's report: the counterexample, its RC_LOG line
  // and the RC_PARAMS that reproduces it.
  std::cout << "Negative control (expected to fail):\n";
  rc::detail::printResultMessage(result, std::cout);
  std::cout << std::endl;
  ASSERT_TRUE(result.template is<rc::detail::FailureResult>()) << "the allocating handler was not caught";
  ASSERT_EQ(minimal.exchanges.size(), 1u) << "not shrunk to a single request";
  const Exchange& ex = minimal.exchanges.front();
  EXPECT_EQ(ex.status, 200);
  EXPECT_EQ(ex.request.body.size(), 16u) << "not shrunk to the smallest body that leaves the small-string buffer";
}

}  // namespace
}  // namespace shockwave::proptests
