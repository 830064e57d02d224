// Garbage and oversized input: random bytes, a TLS ClientHello, the HTTP/2
// preface, and requests at and just past each limit (request-line, header
// section, field count, body, chunk size), all at once on their own
// connections while honest clients run. Each gets the status the parser
// gives the same bytes under the server's limits (400/413/414/431/501/505)
// with Connection: close, then the close (an input the parser finds
// incomplete waits for header_timeout's 408); nothing else is answered, and
// no other connection notices.

#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "conformance/adapters/shockwave_adapter.h"
#include "conformance/live/live.h"
#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/reliability/harness.h"
#include "server/reliability/honest_clients.h"
#include "server/tests/test_server.h"

namespace shockwave::reliability {
namespace {

using namespace std::string_literals;

const int kRandomInputs = scaled(100, 2000);

struct Input {
  std::string label;
  std::string bytes;
  int status = 0;  // 0: as the parser says; else the server's own limit (max_fields)
};

// A TLS 1.2 ClientHello record (RFC 5246 §7.4.1.2) for "a", as clients
// send when they speak TLS to a plain HTTP port.
const std::string kClientHello =
    "\x16\x03\x01\x00\x3d\x01\x00\x00\x39\x03\x03"s + std::string(32, '\x11') +
    "\x00\x00\x04\x13\x01\xc0\x2f\x01\x00\x00\x0c\x00\x00\x00\x08\x00\x06\x00\x00\x01\x61\x00\x00"s;
// RFC 9113 §3.4: the client connection preface, then a SETTINGS frame.
const std::string kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00"s;

std::string fields_of(std::size_t bytes) {  // a field section of about `bytes`
  std::string out = "Host: a\r\n";
  while (out.size() + 1010 < bytes) out += "X-F" + std::to_string(out.size()) + ": " + std::string(1000, 'v') + "\r\n";
  const std::size_t rest = bytes - out.size();
  if (rest > 8) out += "X: " + std::string(rest - 5, 'w') + "\r\n";
  return out;
}

std::vector<Input> inputs(const Config& config) {
  std::vector<Input> in;
  std::mt19937 rng(20261127);
  for (int i = 0; i < kRandomInputs; ++i) {
    std::string bytes(1 + rng() % 4096, '\0');
    for (char& c : bytes) c = static_cast<char>(rng());
    in.push_back({"random " + std::to_string(i), bytes});
  }
  in.push_back({"TLS ClientHello", kClientHello});
  in.push_back({"HTTP/2 preface", kHttp2Preface});
  in.push_back({"HTTP/2.0 request", "GET / HTTP/2.0\r\nHost: a\r\n\r\n"});
  in.push_back({"long method", std::string(64, 'M') + " / HTTP/1.1\r\nHost: a\r\n\r\n"});
  in.push_back({"unknown coding", "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: br\r\n\r\n"});
  // At and just past each limit: the parser under the server's limits says
  // which is which.
  const std::size_t line = config.limits.max_request_line;
  for (std::size_t n = line - 2; n <= line + 3; ++n) {
    in.push_back(
        {"request-line of " + std::to_string(n), "GET /" + std::string(n - 15, 't') + " HTTP/1.1\r\nHost: a\r\n\r\n"});
  }
  const std::size_t section = config.limits.max_field_section;
  for (std::size_t n = section - 2; n <= section + 2; ++n) {
    in.push_back({"field section of " + std::to_string(n), "GET /plaintext HTTP/1.1\r\n" + fields_of(n) + "\r\n"});
  }
  for (std::size_t n = config.max_fields; n <= config.max_fields + 1; ++n) {
    std::string f = "Host: a\r\n";
    for (std::size_t i = 1; i < n; ++i) f += "X-" + std::to_string(i) + ": v\r\n";
    // The field storage is the server's, not the parser's: its own limit.
    in.push_back(
        {std::to_string(n) + " fields", "GET /plaintext HTTP/1.1\r\n" + f + "\r\n", n > config.max_fields ? 431 : 200});
  }
  for (std::uint64_t n = config.limits.max_body; n <= config.limits.max_body + 1; ++n) {
    in.push_back(
        {"Content-Length body of " + std::to_string(n),
         "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(n) + "\r\n\r\n" + std::string(n, 'b')});
    char size[32];
    std::snprintf(size, sizeof size, "%llx", static_cast<unsigned long long>(n));
    in.push_back(
        {"one chunk of " + std::to_string(n), "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" +
                                                  std::string(size) + "\r\n" + std::string(n, 'c') + "\r\n0\r\n\r\n"});
  }
  in.push_back({"chunk size of 17 digits",
                "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\nx\r\n"});
  in.push_back({"chunk size past max_body",
                "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffff\r\nxxxx"});
  return in;
}

TEST(GarbageTest, EachGetsItsStatusThenTheCloseAndNoOneElseNotices) {
  Config config = testing::test_config();
  config.threads = 2;
  config.max_connections = 256;
  config.header_timeout = milliseconds(2000);
  config.body_timeout = milliseconds(2000);
  Endpoints handler;
  testing::TestServer<Endpoints> server(config, handler);
  ASSERT_TRUE(server.started()) << server.error();
  const std::vector<Input> all = inputs(config);

  HonestClients honest(server.port(), 2, milliseconds(1));
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::vector<std::string> failures;
  std::map<int, int> statuses;
  std::size_t served_at_limit = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      // The parser under the server's limits says what each input deserves.
      const auto oracle =
          conformance::make_shockwave_adapter("oracle", http1::ParserOptions{config.limits, config.leniency});
      for (std::size_t i = next++; i < all.size(); i = next++) {
        const Input& input = all[i];
        conformance::ParseOutcome expected = oracle->parse(input.bytes);
        if (input.status >= 400) {
          expected.error = conformance::Error{input.status, "limit"};
          expected.messages.clear();
        } else if (input.status != 0) {
          expected.error.reset();
        }
        testing::Client client(server.port());
        client.send(input.bytes);  // may stop early once the server has answered and closed
        const std::vector<testing::Response> r =
            client.read_responses(expected.messages.size() + 2, {}, milliseconds(5000));
        const bool closed = (!expected.ok() || expected.incomplete) && client.wait_closed(milliseconds(5000));
        std::string why;
        if (expected.ok() && expected.incomplete) {
          // The parser wants more: the server waits, then header_timeout
          // brings a 408 and the close.
          if (r.size() != expected.messages.size() + 1 || r.back().status != 408 || !closed) {
            why = "incomplete: expected 408 then the close, got " + std::to_string(r.size()) + " responses" +
                  (r.empty() ? "" : ", last " + std::to_string(r.back().status));
          }
        } else if (expected.ok()) {
          // Accepted whole (a limit not yet reached): answered, still open.
          if (r.size() != expected.messages.size() || r.empty() || conformance::live::is_rejection(r.back().status) ||
              r.back().status == 501) {
            why = "expected " + std::to_string(expected.messages.size()) + " answers, got " + std::to_string(r.size());
          }
        } else if (r.size() != expected.messages.size() + 1 || r.back().status != expected.error->status ||
                   !r.back().connection_close() || !closed) {
          why = "expected " + std::to_string(expected.error->status) + " then the close, got " +
                std::to_string(r.size()) + " responses" +
                (r.empty() ? "" : ", last " + std::to_string(r.back().status)) + (closed ? ", closed" : ", open");
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (!why.empty()) failures.push_back(input.label + ": " + why);
        if (!r.empty()) ++statuses[r.back().status];
        if (expected.ok() && input.label.find("random") == std::string::npos) ++served_at_limit;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  honest.stop();

  figure("inputs", static_cast<double>(all.size()));
  for (const auto& [status, n] : statuses) figure("answered " + std::to_string(status), n);
  figure("honest requests answered meanwhile", static_cast<double>(honest.answered()));
  for (const std::string& f : failures) ADD_FAILURE() << f;
  // The edges are there: each limit has inputs on both sides.
  EXPECT_GE(served_at_limit, 5u);
  for (int status : {400, 413, 414, 431, 501, 505}) EXPECT_GT(statuses[status], 0) << status;
  EXPECT_EQ(honest.failures(), 0u) << honest.first_failure();
  EXPECT_GT(honest.answered(), 0u);
}

}  // namespace
}  // namespace shockwave::reliability
