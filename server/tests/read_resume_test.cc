// Reading resumes after back-pressure. A pipeline larger than the input
// buffer, of requests whose responses fill the output buffer: the server
// stops reading while its input buffer is full, answers what it holds, and
// must then read on by itself, since edge-triggered epoll reports no new
// event for bytes that were already waiting (io_uring: no receive is queued
// while the buffer is full). Regression: the epoll loop resumed only by the
// accident of a spurious EPOLLOUT event after each send.

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

constexpr std::size_t kBodySize = 16 * 1024;

// BigHandler answers 16 KiB and the request-target: four responses fill
// three quarters of the default 64 KiB output buffer.
struct BigHandler {
  void handle(const Request& request, ResponseWriter& response) {
    response.body(std::string(kBodySize, 'x') + std::string(request.target()));
  }
};

Config small_input_config() {
  Config config = test_config();
  // An input buffer of about 2 KiB: some 70 of these requests.
  config.limits.max_request_line = 256;
  config.limits.max_field_section = 512;
  config.limits.max_body = 0;
  return config;
}

TEST(ReadResumeTest, PipelineLargerThanTheInputBufferIsAnsweredInFull) {
  BigHandler handler;
  TestServer<BigHandler> server(small_input_config(), handler);
  ASSERT_TRUE(server.started()) << server.error();
  constexpr int kRequests = 400;  // ~12 KiB of requests, ~6.5 MiB of responses
  std::string pipeline;
  for (int i = 0; i < kRequests; ++i) pipeline += get("/" + std::to_string(i));
  ASSERT_GT(pipeline.size(), 4 * small_input_config().read_buffer_size());

  Client client(server.port());
  ASSERT_TRUE(client.connected());
  // The whole pipeline goes out while responses are read, as a browser or
  // wrk would; the server's socket buffer holds what its input buffer cannot.
  bool sent = false;
  std::thread sender([&] { sent = client.send(pipeline); });
  const std::vector<Response> r = client.read_responses(kRequests, {}, milliseconds(30'000));
  sender.join();
  EXPECT_TRUE(sent);
  ASSERT_EQ(r.size(), static_cast<std::size_t>(kRequests)) << "server stalled after " << r.size() << " responses";
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_EQ(r[i].status, 200);
    ASSERT_EQ(r[i].body.size(), kBodySize + 1 + std::to_string(i).size());
    ASSERT_TRUE(r[i].body.ends_with("/" + std::to_string(i)));
  }
}

}  // namespace
}  // namespace shockwave::testing
