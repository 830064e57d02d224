// Zero allocations per request for shockwave::Client (server/client), as a
// RapidCheck property: a generated pool (1..4 connections, pipeline depth
// 1..8, bodies whole or streamed through a buffer smaller than the largest
// response) sends a generated batch of 1..64 requests (GET, HEAD, POST, PUT and
// DELETE to the demo endpoints, bodies of 0..512 octets, some asking the
// server to close: the pool then reconnects, and a pipelined request behind
// the close is retried or reported) to a running Server<Endpoints>. After one
// warm-up run of the same batch on the same pool, the test thread (the
// client's only thread) allocates exactly 0 times from the first send to
// the last completion, and every request completes exactly once (each has
// its own receiver).
//
// The negative control: the same property with a completion that copies the
// body into a std::string must fail, shrunk to one request: DELETE /json,
// the first kind whose response body (405's 19 octets) leaves libstdc++'s
// 15-octet small-string buffer.

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "server/client/client.h"
#include "server/config.h"
#include "server/endpoints.h"
#include "server/server.h"
#include "testing/alloc_counter.h"

namespace shockwave::proptests {
namespace {

using namespace std::chrono_literals;

struct PlannedRequest {
  std::string method;
  std::string target;
  std::string body;
  bool close = false;  // "Connection: close": the server ends the connection after it
};

struct Plan {
  std::size_t connections = 1;
  std::size_t depth = 1;
  bool streaming = false;  // bodies streamed (Completion::body) through a 600-octet buffer
  std::vector<PlannedRequest> requests;
};

std::ostream& operator<<(std::ostream& os, const Plan& p) {
  os << p.requests.size() << " requests, " << p.connections << " connections, depth " << p.depth
     << (p.streaming ? ", streamed" : "") << ":";
  for (const auto& r : p.requests) {
    os << " " << r.method << " " << r.target << " (" << r.body.size() << " B" << (r.close ? ", close" : "") << ")";
  }
  return os;
}

rc::Gen<PlannedRequest> gen_request() {
  return rc::gen::apply(
      [](int kind, std::size_t body_size, bool close) {
        PlannedRequest r;
        switch (kind) {
          case 0:
            r = {"GET", "/plaintext", "", false};
            break;
          case 1:
            r = {"HEAD", "/json", "", false};
            break;
          case 2:
            r = {"GET", "/missing?q=1", "", false};
            break;
          case 3:
            r = {"DELETE", "/json", "", false};
            break;  // 405
          case 4:
            r = {"PUT", "/echo", std::string(body_size, 'p'), false};
            break;
          default:
            r = {"POST", "/echo", std::string(body_size, 'b'), false};
            break;
        }
        r.close = close;
        return r;
      },
      rc::gen::inRange(0, 6), rc::gen::inRange<std::size_t>(0, 513),
      rc::gen::weightedElement<bool>({{7, false}, {1, true}}));
}

rc::Gen<Plan> gen_plan() {
  return rc::gen::apply(
      [](std::size_t connections, std::size_t depth, bool streaming, std::vector<PlannedRequest> requests) {
        return Plan{connections, depth, streaming, std::move(requests)};
      },
      rc::gen::inRange<std::size_t>(1, 5), rc::gen::inRange<std::size_t>(1, 9), rc::gen::arbitrary<bool>(),
      rc::gen::resize(64, rc::gen::nonEmpty(rc::gen::container<std::vector<PlannedRequest>>(gen_request()))));
}

// Counting: what the completions saw, in fixed storage.
struct Tally {
  std::size_t completions = 0;
  std::size_t responses = 0;
  std::size_t body_bytes = 0;
  std::array<std::size_t, 16> errors{};
  void on_response(const ClientResponse* response, ClientError error) noexcept {
    ++completions;
    if (response != nullptr) {
      ++responses;
      body_bytes += response->body.size();
    } else {
      ++errors[static_cast<std::size_t>(error) % errors.size()];
    }
  }
};

// StreamingTally: the bodies come in slices (Completion::body).
struct StreamingTally : Tally {
  std::size_t slices = 0;
  void on_body(const ClientResponse&, std::string_view slice) noexcept {
    ++slices;
    body_bytes += slice.size();
  }
};

// CopyingTally: the negative control, which copies every body.
struct CopyingTally : Tally {
  void on_response(const ClientResponse* response, ClientError error) {
    if (response != nullptr) {
      const std::string copy(response->body);
      body_bytes += copy.size();
    }
    Tally::on_response(response, error);
  }
};

class LiveServer {
 public:
  LiveServer() {
    config_.port = 0;
    config_.max_connections = 64;
    server_ = std::make_unique<Server<Endpoints>>(config_, endpoints_);
    if (!server_->start(&error_)) server_.reset();
  }
  ~LiveServer() {
    if (server_) {
      server_->stop();
      server_->wait();
    }
  }
  std::uint16_t port() const { return server_ ? server_->port() : 0; }
  const std::string& error() const { return error_; }

 private:
  Config config_;
  Endpoints endpoints_;
  std::unique_ptr<Server<Endpoints>> server_;
  std::string error_;
};

LiveServer& live_server() {
  static LiveServer server;
  return server;
}

// The requests as the client takes them: views into the plan, built before
// the measurement.
struct Prepared {
  std::vector<ClientRequest> requests;
  static constexpr http1::Header kClose[] = {{"Connection", "close"}};
};

Prepared prepare(const Plan& plan) {
  Prepared p;
  for (const PlannedRequest& r : plan.requests) {
    ClientRequest c;
    c.method = r.method;
    c.target = r.target;
    c.body = r.body;
    if (r.close) c.headers = Prepared::kClose;
    p.requests.push_back(c);
  }
  return p;
}

// Each request's own receiver, so that a completion called twice for one
// request and never for another cannot pass as the right total. It passes
// everything on to the shared tally.
template <typename T>
struct Once {
  T* tally = nullptr;
  std::size_t calls = 0;
  void on_response(const ClientResponse* response, ClientError error) noexcept {
    ++calls;
    tally->on_response(response, error);
  }
};
template <typename T>
struct OnceStreamed : Once<T> {
  void on_body(const ClientResponse& head, std::string_view slice) noexcept { this->tally->on_body(head, slice); }
};
template <typename T>
using ReceiverFor = std::conditional_t < requires(T& t, const ClientResponse& h, std::string_view s) {
  t.on_body(h, s);
}
, OnceStreamed<T>, Once < T >> ;

// run sends every request as the pool takes it and polls until all are
// complete (10 s at most). True if all completed, each exactly once.
template <typename T, typename R>
bool run(Client& client, int origin, const Prepared& prepared, T& tally, std::vector<R>& receivers) {
  for (auto& r : receivers) {
    r.tally = &tally;
    r.calls = 0;
  }
  std::size_t next = 0;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((next < prepared.requests.size() || client.in_flight() > 0) && std::chrono::steady_clock::now() < deadline) {
    while (next < prepared.requests.size() &&
           client.send(origin, prepared.requests[next], Completion::to(receivers[next])) == ClientError::kNone) {
      ++next;
    }
    client.poll(5ms);
  }
  bool once = true;
  for (const auto& r : receivers) once = once && r.calls == 1;
  return next == prepared.requests.size() && client.in_flight() == 0 && once;
}

struct Measured {
  bool completed = false;
  std::size_t completions = 0;
  std::size_t failures = 0;  // errors other than kClosed (a request behind a close)
  std::uint64_t allocations = 0;
};

template <typename T>
Measured measure(const Plan& plan) {
  ClientConfig config;
  config.max_connections = plan.connections;
  config.pipeline_depth = plan.depth;
  // Streamed, a 512-octet body and its head do not fit: they must pass.
  if (plan.streaming) config.read_buffer_size = 600;
  Client client(config);
  const int origin = client.add_origin({"127.0.0.1", live_server().port(), ""});
  const Prepared prepared = prepare(plan);
  std::vector<ReceiverFor<T>> receivers(prepared.requests.size());
  T warm_up;
  run(client, origin, prepared, warm_up, receivers);
  T tally;
  Measured m;
  {
    testing::AllocationScope scope;
    m.completed = run(client, origin, prepared, tally, receivers);
    m.allocations = scope.allocations();
  }
  m.completions = tally.completions;
  for (std::size_t e = 0; e < tally.errors.size(); ++e) {
    if (e != static_cast<std::size_t>(ClientError::kClosed)) m.failures += tally.errors[e];
  }
  return m;
}

RC_GTEST_PROP(ClientAllocProperties, ZeroAllocationsPerRequestOnceThePoolIsWarm, ()) {
  RC_PRE(live_server().port() != 0);
  const Plan plan = *gen_plan();
  const Measured m = plan.streaming ? measure<StreamingTally>(plan) : measure<Tally>(plan);
  RC_LOG() << plan << "\n  completed " << m.completed << ", failures " << m.failures << ", allocations "
           << m.allocations << "\n";
  RC_ASSERT(m.completed);
  RC_ASSERT(m.completions == plan.requests.size());
  RC_ASSERT(m.failures == 0u);
  RC_ASSERT(m.allocations == 0u);
}

TEST(ClientAllocProperties, ServerStarted) { ASSERT_NE(live_server().port(), 0) << live_server().error(); }

TEST(ClientAllocProperties, ACopyingCompletionFailsWithAMinimalCounterexample) {
  const rc::detail::TestMetadata metadata{"ClientAllocProperties/ACopyingCompletionFailsWithAMinimalCounterexample",
                                          "negative control: a completion that copies the body into a std::string"};
  const auto& reproduce = rc::detail::configuration().reproduce;
  if (!reproduce.empty() && reproduce.count(metadata.id) == 0) GTEST_SKIP() << "RC_PARAMS reproduces another property";
  ASSERT_NE(live_server().port(), 0) << live_server().error();

  Plan minimal;
  const rc::detail::TestResult result = rc::detail::checkTestable(
      [&minimal] {
        const Plan plan = *gen_plan();
        const Measured m = measure<CopyingTally>(plan);
        RC_ASSERT(m.completed);
        if (m.allocations != 0) minimal = plan;
        RC_ASSERT(m.allocations == 0u);
      },
      metadata);
  std::cout << "Negative control (expected to fail):\n";
  rc::detail::printResultMessage(result, std::cout);
  std::cout << std::endl;
  ASSERT_TRUE(result.template is<rc::detail::FailureResult>()) << "the copying completion was not caught";
  ASSERT_EQ(minimal.requests.size(), 1u) << "not shrunk to a single request";
  EXPECT_EQ(minimal.requests.front().method, "DELETE") << "not shrunk to the first kind whose response body allocates";
}

}  // namespace
}  // namespace shockwave::proptests
