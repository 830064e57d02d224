// Invariant 1 (docs/invariants.md), zero allocations per connection, as a RapidCheck property: a
// generated sequence of steps (connect, a pipelined batch of requests,
// half-close after a batch, reset after a batch, close, and waiting for the
// server's idle timeout), over up to max_connections connections open at
// once, runs against a running Server after warm-up. Every thread's
// allocations together, from the first step to the server having closed
// every connection, are exactly 0, with enable_stats off or on and the
// epoll or the io_uring event loop (generated choices among four servers);
// no thread but the test's allocates between cases either.
//
// Timeouts: the servers time out an idle connection (and a fresh one that
// sends nothing) after kTimeout, so that waiting for it is cheap. A
// connection may therefore also time out between other steps on a slow
// machine; a step may find it closed only if the client has left it alone
// for at least kTimeout (less the server clock's coarseness), and then
// carries on without it. Nothing else is tolerated.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "proptests/generators.h"
#include "proptests/server_exchange.h"
#include "server/config.h"
#include "server/server.h"
#include "testing/alloc_counter.h"
#include "testing/client.h"
#include "testing/quiescence.h"

namespace shockwave::proptests {
namespace {

using testing::AllocationScope;
using testing::Client;
using testing::GlobalAllocationScope;

constexpr std::size_t kMaxConnections = 6;
constexpr std::size_t kMaxFields = 20;
constexpr std::int64_t kTimeoutMs = 250;
// The server reads CLOCK_MONOTONIC_COARSE once per loop turn: its idea of
// when a connection went idle may be this much earlier than the client's.
constexpr std::int64_t kClockSlackMs = 50;
constexpr std::size_t kMaxSteps = 10;

ExchangeSpace exchange_space() {
  ExchangeSpace space;
  space.max_pipeline = 4;
  space.max_fields = kMaxFields;
  space.max_body = 256;
  return space;
}

std::uint64_t others() { return testing::other_threads_allocation_counts().allocations; }

enum class Action : std::uint8_t { kConnect, kConnectAll, kRequests, kHalfClose, kReset, kClose, kIdleTimeout };

const char* name(Action a) {
  switch (a) {
    case Action::kConnect:
      return "connect";
    case Action::kConnectAll:
      return "connect up to max_connections";
    case Action::kRequests:
      return "requests";
    case Action::kHalfClose:
      return "requests, then half-close";
    case Action::kReset:
      return "requests sent, then reset";
    case Action::kClose:
      return "close";
    case Action::kIdleTimeout:
      return "idle until the server times every connection out";
  }
  return "?";
}

struct Step {
  Action action = Action::kConnect;
  std::size_t connection = 0;  // which of the open connections (modulo their count)
  Batch batch;                 // kRequests, kHalfClose, kReset
};

struct Scenario {
  bool stats = false;
  bool uring = false;  // the event-loop backend: epoll or io_uring
  std::vector<Step> steps;
};

void showValue(const Scenario& s, std::ostream& os) {
  os << (s.uring ? "io_uring" : "epoll") << ", stats " << (s.stats ? "on" : "off") << ", " << s.steps.size()
     << " step(s):";
  for (const Step& step : s.steps) {
    os << "\n- " << name(step.action) << " (connection " << step.connection << ")";
    if (step.action == Action::kRequests || step.action == Action::kHalfClose || step.action == Action::kReset) {
      os << ": ";
      showValue(step.batch, os);
    }
  }
}

rc::Gen<Step> gen_step() {
  return rc::gen::exec([] {
    Step step;
    step.action = *rc::gen::weightedElement<Action>({{3, Action::kConnect},
                                                     {1, Action::kConnectAll},
                                                     {4, Action::kRequests},
                                                     {1, Action::kHalfClose},
                                                     {1, Action::kReset},
                                                     {1, Action::kClose},
                                                     {1, Action::kIdleTimeout}});
    step.connection = *rc::gen::inRange<std::size_t>(0, kMaxConnections);
    if (step.action == Action::kRequests || step.action == Action::kHalfClose || step.action == Action::kReset) {
      step.batch = *gen_batch(exchange_space());
    }
    return step;
  });
}

rc::Gen<Scenario> gen_scenario() {
  return rc::gen::exec([] {
    Scenario s;
    s.stats = *rc::gen::arbitrary<bool>();
    s.uring = *rc::gen::arbitrary<bool>();
    s.steps = *rc::gen::withSize([](int size) {
      return rc::gen::resize(static_cast<int>(kMaxSteps),
                             rc::gen::container<std::vector<Step>>(rc::gen::resize(size, gen_step())));
    });
    return s;
  });
}

// What one scenario did.
struct Outcome {
  bool ok = true;
  std::size_t failed_step = 0;
  const char* failure = "none";
  std::size_t timed_out_early = 0;  // connections found closed by the idle timeout
  std::size_t most_open = 0;
};

// Connections: the client's side, kMaxConnections Clients. Runs steps
// without allocating.
class Connections {
 public:
  explicit Connections(std::uint16_t port) : port_(port) {}

  Outcome run(const Scenario& s) {
    Outcome out;
    for (std::size_t i = 0; i < s.steps.size() && out.ok; ++i) {
      if (!step(s.steps[i], out)) {
        out.ok = false;
        out.failed_step = i;
      }
    }
    close_all();
    return out;
  }

  void close_all() {
    for (std::size_t i = 0; i < kMaxConnections; ++i) clients_[i].close();
  }

 private:
  std::size_t open_count() const {
    std::size_t n = 0;
    for (const Client& c : clients_) n += c.connected();
    return n;
  }

  // pick: the index of the k-th open connection (modulo their count), or
  // kMaxConnections if none is open.
  std::size_t pick(std::size_t k) const {
    const std::size_t n = open_count();
    if (n == 0) return kMaxConnections;
    k %= n;
    for (std::size_t i = 0; i < kMaxConnections; ++i) {
      if (clients_[i].connected() && k-- == 0) return i;
    }
    return kMaxConnections;
  }

  // timed_out: connection i failed the way a connection the server timed
  // out does, and was left alone long enough for that to happen.
  bool timed_out(std::size_t i) const {
    return clients_[i].closed_before_response() &&
           testing::monotonic_ms() - last_active_[i] >= kTimeoutMs - kClockSlackMs;
  }

  bool step(const Step& step, Outcome& out) {
    if (step.action == Action::kConnect || step.action == Action::kConnectAll) {
      for (std::size_t i = 0; i < kMaxConnections; ++i) {
        if (clients_[i].connected()) continue;
        last_active_[i] = testing::monotonic_ms();
        if (!clients_[i].connect(port_)) return fail(out, clients_[i]);
        if (open_count() > out.most_open) out.most_open = open_count();
        if (step.action == Action::kConnect) break;
      }
      return true;  // (at the limit: nothing to do)
    }
    if (step.action == Action::kIdleTimeout) {
      for (Client& c : clients_) {
        if (!c.connected()) continue;
        if (!c.expect_eof()) return fail(out, c);  // the server closes it, sending nothing
        c.close();
      }
      return true;
    }
    const std::size_t i = pick(step.connection);
    if (i == kMaxConnections) return true;  // nothing open
    Client& c = clients_[i];
    bool ok = true;
    switch (step.action) {
      case Action::kRequests:
        ok = run_batch(c, step.batch);
        if (ok && step.batch.closes()) c.close();
        break;
      case Action::kHalfClose:
        // RFC 9112 §9.6: a half-close does not cancel what was sent before.
        ok = c.send(step.batch.bytes) && c.shutdown_write();
        for (std::size_t k = 0; ok && k < step.batch.exchanges.size(); ++k)
          ok = c.expect(step.batch.exchanges[k].expected());
        ok = ok && c.expect_eof();
        if (ok) c.close();
        break;
      case Action::kReset:
        c.send(step.batch.bytes);  // the server may be reading, answering or gone
        c.reset();
        break;
      case Action::kClose:
        c.close();
        break;
      default:
        break;
    }
    if (ok) {
      last_active_[i] = testing::monotonic_ms();
      return true;
    }
    if (timed_out(i)) {
      ++out.timed_out_early;
      c.close();
      return true;
    }
    return fail(out, c);
  }

  bool fail(Outcome& out, const Client& c) {
    out.failure = c.failure();
    return false;
  }

  std::uint16_t port_;
  std::array<Client, kMaxConnections> clients_;
  std::array<std::int64_t, kMaxConnections> last_active_{};
};

Config config(bool stats, bool uring) {
  Config c;
  c.address = "127.0.0.1";
  c.port = 0;
  c.io = uring ? IoBackend::kUring : IoBackend::kEpoll;
  c.threads = 1;  // every connection on one loop, so all kMaxConnections can be open at once
  c.max_connections = kMaxConnections;
  c.max_fields = kMaxFields;
  c.enable_stats = stats;
  c.idle_timeout = std::chrono::milliseconds(kTimeoutMs);
  c.header_timeout = std::chrono::milliseconds(kTimeoutMs);
  return c;
}

// Harness: four servers (stats off and on, under epoll and io_uring),
// warmed up, and a client side for each.
class Harness {
 public:
  Harness() : servers_(config) {}

  bool start(std::string* error) {
    if (!servers_.start(error)) return false;
    fds_ = testing::open_fd_count();
    for (int i = 0; i < 4; ++i) clients_[i] = std::make_unique<Connections>(servers_.at(i).port());
    for (int i = 0; i < 4; ++i) {
      const Outcome out = run(warm_up_scenario(i & 1, i & 2));
      if (!out.ok) {
        *error = std::string("warm-up failed: ") + out.failure;
        return false;
      }
    }
    if (!testing::wait_for_fds(fds_)) {
      *error = "warm-up: the server did not close every connection";
      return false;
    }
    last_others_ = others();
    return true;
  }

  struct Measured {
    Outcome outcome;
    bool server_closed = false;
    std::uint64_t allocations = 0;
    std::uint64_t client_allocations = 0;
    std::uint64_t between_cases = 0;
  };

  Measured measure(const Scenario& s) {
    Measured m;
    m.between_cases = others() - last_others_;
    {
      GlobalAllocationScope global;
      AllocationScope local;
      m.outcome = run(s);
      m.server_closed = testing::wait_for_fds(fds_);
      m.allocations = global.allocations();
      m.client_allocations = local.allocations();
    }
    last_others_ = others();
    return m;
  }

 private:
  static int index(bool stats, bool uring) { return ExchangeServers::index(stats, uring); }
  Outcome run(const Scenario& s) { return clients_[index(s.stats, s.uring)]->run(s); }

  // warm_up_scenario: every action, and every connection slot taken.
  static Scenario warm_up_scenario(bool stats, bool uring) {
    const rc::Gen<Batch> gen = gen_batch(exchange_space());
    rc::Random random(20261127);
    auto batch = [&] { return gen(random.split(), 100).value(); };
    Scenario s;
    s.stats = stats;
    s.uring = uring;
    s.steps.push_back({Action::kConnectAll, 0, {}});
    for (std::size_t i = 0; i < 2 * kMaxConnections; ++i) s.steps.push_back({Action::kRequests, i, batch()});
    s.steps.push_back({Action::kHalfClose, 0, batch()});
    s.steps.push_back({Action::kReset, 0, batch()});
    s.steps.push_back({Action::kClose, 0, {}});
    s.steps.push_back({Action::kConnect, 0, {}});
    s.steps.push_back({Action::kIdleTimeout, 0, {}});
    return s;
  }

  ExchangeServers servers_;  // by index(stats, uring)
  std::unique_ptr<Connections> clients_[4];
  int fds_ = 0;
  std::uint64_t last_others_ = 0;
};

std::unique_ptr<Harness>& live_harness() {
  static std::unique_ptr<Harness> harness;
  return harness;
}

Harness* shared_harness() {
  auto& live = live_harness();
  if (live != nullptr) return live.get();
  auto harness = std::make_unique<Harness>();
  std::string error;
  if (!harness->start(&error)) {
    std::cerr << "connection_alloc_properties_test: " << error << "\n";
    return nullptr;
  }
  live = std::move(harness);
  return live.get();
}

class StopHarness : public ::testing::Environment {
 public:
  void TearDown() override { live_harness().reset(); }
};
[[maybe_unused]] ::testing::Environment* const kStopHarness = ::testing::AddGlobalTestEnvironment(new StopHarness);

RC_GTEST_PROP(ConnectionAllocProperties, ZeroAllocationsPerConnection, ()) {
  Harness* harness = shared_harness();
  if (harness == nullptr) RC_FAIL("the servers did not start or warm up (see the log)");
  const Scenario scenario = *gen_scenario();
  const Harness::Measured m = harness->measure(scenario);
  RC_LOG() << "step " << m.outcome.failed_step << ": " << m.outcome.failure << "; allocations " << m.allocations
           << " (client thread " << m.client_allocations << "), between cases " << m.between_cases << "; "
           << m.outcome.timed_out_early << " connection(s) timed out between steps; at most " << m.outcome.most_open
           << " open\n";
  RC_TAG(scenario.uring ? "io_uring" : "epoll");
  RC_TAG(m.outcome.most_open == kMaxConnections ? "max_connections open at once" : "fewer open at once");
  RC_TAG(m.outcome.timed_out_early > 0 ? "a connection timed out between steps" : "no early timeout");
  RC_ASSERT(m.outcome.ok);
  RC_ASSERT(m.server_closed);
  RC_ASSERT(m.client_allocations == 0u);
  RC_ASSERT(m.between_cases == 0u);
  RC_ASSERT(m.allocations == 0u);
}

}  // namespace
}  // namespace shockwave::proptests
