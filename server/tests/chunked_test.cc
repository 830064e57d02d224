// Chunked transfer coding (RFC 9112 §7.1): request bodies are decoded
// (extensions ignored, trailers kept apart), streaming responses are framed
// as chunks for HTTP/1.1 and delimited by the close for HTTP/1.0 (§6.1, §6.3).

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "server/endpoints.h"
#include "server/tests/test_server.h"

namespace shockwave::testing {
namespace {

// ChunkedHandler: /stream answers "abc" "defg" as a stream; /many streams
// 256 chunks of 1 KiB; /trailers echoes the body and lists the trailers in
// X-Trailers; anything else goes to the binary's endpoints (/echo).
struct ChunkedHandler {
  Endpoints endpoints;

  void handle(const Request& request, ResponseWriter& response) {
    if (request.path() == "/stream") {
      response.header("Content-Type", "text/plain");
      response.begin_chunked();
      response.write_chunk("abc");
      response.write_chunk("");  // an empty write must not end the stream
      response.write_chunk("defg");
      response.end_chunked();
    } else if (request.path() == "/many") {
      response.begin_chunked();
      for (int i = 0; i < 256; ++i) response.write_chunk(std::string(1024, static_cast<char>('a' + i % 26)));
      response.end_chunked();
    } else if (request.path() == "/trailers") {
      std::string list;
      for (const http1::Header& t : request.trailers) {
        list += std::string(t.name) + "=" + std::string(t.value) + ";";
      }
      response.header("X-Trailers", list);
      response.body(request.body);
    } else if (request.path() == "/size") {
      // The body's size, and whether every byte is 'x' (for bodies too
      // large to echo through the write buffer).
      const bool all_x = request.body.find_first_not_of('x') == std::string_view::npos;
      response.body(std::to_string(request.body.size()) + (all_x ? " x" : " other"));
    } else {
      endpoints.handle(request, response);
    }
  }
};

class ChunkedTest : public ::testing::Test {
 protected:
  ChunkedHandler handler_;
  TestServer<ChunkedHandler> server_{test_config(), handler_};

  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.error(); }
};

constexpr std::string_view kChunkedPost = "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";

TEST_F(ChunkedTest, ChunkedRequestBodyIsEchoedDecoded) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(std::string(kChunkedPost) + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
  EXPECT_EQ(r.header("Content-Length"), "11");
}

TEST_F(ChunkedTest, ChunkExtensionsAreIgnored) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(std::string(kChunkedPost) +
                          "5;name=value\r\nhello\r\n6 ; quoted=\"a;b\" ;flag\r\n world\r\n0;last\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello world");
}

TEST_F(ChunkedTest, TrailersReachTheHandlerApartFromTheBody) {
  Client client(server_.port());
  ASSERT_TRUE(
      client.send("POST /trailers HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "5\r\nhello\r\n0\r\nX-Checksum: 42\r\nX-Other: b\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.header("X-Trailers"), "X-Checksum=42;X-Other=b;");
}

TEST_F(ChunkedTest, ChunkedBodyArrivingInPiecesIsEchoed) {
  Client client(server_.port());
  const std::string pieces[] = {std::string(kChunkedPost), "5\r",       "\nhel", "lo\r\n",
                                "a\r\n0123456789",         "\r\n0\r\n", "\r\n"};
  for (const std::string& piece : pieces) {
    ASSERT_TRUE(client.send(piece));
    std::this_thread::sleep_for(milliseconds(20));
  }
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello0123456789");
}

TEST_F(ChunkedTest, PipelinedChunkedRequestsAreEchoedInOrder) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(std::string(kChunkedPost) + "3\r\none\r\n0\r\n\r\n" + std::string(kChunkedPost) +
                          "3\r\ntwo\r\n0\r\n\r\n"));
  const std::vector<Response> r = client.read_responses(2);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].body, "one");
  EXPECT_EQ(r[1].body, "two");
}

TEST_F(ChunkedTest, StreamingResponseIsChunked) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/stream")));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.framing, Framing::kChunked);
  EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
  EXPECT_FALSE(r.has("Content-Length"));
  EXPECT_EQ(r.header("Content-Type"), "text/plain");
  EXPECT_EQ(r.body, "abcdefg");
  EXPECT_TRUE(r.trailers.empty());
  // The connection persists: the next request is answered.
  ASSERT_TRUE(client.send(get("/stream")));
  EXPECT_EQ(client.read_response().body, "abcdefg");
}

TEST_F(ChunkedTest, PipelinedStreamingResponsesParseApart) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/stream") + get("/plaintext") + get("/stream")));
  const std::vector<Response> r = client.read_responses(3);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].body, "abcdefg");
  EXPECT_EQ(r[1].body, "Hello, World!");
  EXPECT_EQ(r[2].body, "abcdefg");
}

// 256 KiB streamed through a 64 KiB write buffer.
TEST_F(ChunkedTest, StreamingResponseLargerThanTheWriteBuffer) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(get("/many")));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(r.body.size(), 256u * 1024);
  for (int i = 0; i < 256; ++i) {
    EXPECT_EQ(r.body[static_cast<std::size_t>(i) * 1024], 'a' + i % 26);
  }
}

// R-6.1-10: no Transfer-Encoding to HTTP/1.0; the close ends the content.
TEST_F(ChunkedTest, Http10StreamingResponseIsCloseDelimited) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET /stream HTTP/1.0\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.framing, Framing::kClose);
  EXPECT_FALSE(r.has("Transfer-Encoding"));
  EXPECT_FALSE(r.has("Content-Length"));
  EXPECT_EQ(r.body, "abcdefg");
  EXPECT_TRUE(client.closed());
}

// Keep-alive asked for, but a close-delimited response can only end with
// the close: the server must say so.
TEST_F(ChunkedTest, Http10KeepAliveStreamingResponseStillCloses) {
  Client client(server_.port());
  ASSERT_TRUE(client.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const Response r = client.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.has("Transfer-Encoding"));
  EXPECT_FALSE(r.has("Content-Length"));
  EXPECT_TRUE(r.connection_close());
  EXPECT_NE(r.header("Connection"), "keep-alive");
  EXPECT_EQ(r.body, "abcdefg");
  EXPECT_TRUE(client.closed());
}

// A pipelined GET near the request-line and field-section limits (a 7,000
// byte query, 12 fields of 1,000 bytes: ~19 KiB).
std::string large_get() {
  std::string r = "GET /plaintext?q=" + std::string(7000, 'q') + " HTTP/1.1\r\nHost: a\r\n";
  for (int i = 0; i < 12; ++i) r += "X-Field-" + std::to_string(i) + ": " + std::string(1000, 'v') + "\r\n";
  return r + "\r\n";
}

// A chunked request whose head arrived behind pipelined requests (so not at
// the front of the input buffer) gets the whole buffer once they are
// answered, though its body had begun decoding in place: it used to be left
// where it was and answered 413, and the requests behind it lost.
TEST_F(ChunkedTest, PipelinedChunkedRequestBehindLargeRequestsIsServed) {
  Client client(server_.port());
  ASSERT_TRUE(client.send(large_get() + large_get()));
  const std::vector<Response> first = client.read_responses(2);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].status, 200);
  EXPECT_EQ(first[1].status, 200);

  ASSERT_TRUE(client.send(large_get() + large_get() + large_get() + std::string(kChunkedPost)));
  std::this_thread::sleep_for(milliseconds(300));
  std::string body, chunks;
  for (int i = 0; i < 14; ++i) {
    const std::string data(4096, static_cast<char>('a' + i));
    body += data;
    chunks += "1000\r\n" + data + "\r\n";
  }
  ASSERT_TRUE(client.send(chunks + "0\r\n\r\n" + get("/plaintext")));
  const std::vector<Response> r = client.read_responses(5, {}, milliseconds(10000));
  ASSERT_EQ(r.size(), 5u) << escape(client.pending());
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(r[i].status, 200) << i;
  EXPECT_EQ(r[3].status, 200);
  EXPECT_EQ(r[3].body.size(), body.size());
  EXPECT_TRUE(r[3].body == body);
  EXPECT_FALSE(r[3].connection_close());
  EXPECT_EQ(r[4].status, 200);  // what was pipelined behind it
  EXPECT_EQ(r[4].body, "Hello, World!");
}

// max_body (64 KiB by default) counts decoded bytes: the chunk framing,
// however heavy, is not held against it, and one byte over is still 413.
void check_body_limit_in_chunks(std::uint16_t port, std::size_t chunk_size, std::size_t max_body) {
  SCOPED_TRACE(std::to_string(chunk_size) + "-byte chunks");
  auto post = [&](std::size_t size) {
    std::string bytes = "POST /size HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
    char line[32];
    for (std::size_t sent = 0; sent < size; sent += chunk_size) {
      const std::size_t n = std::min(chunk_size, size - sent);
      std::snprintf(line, sizeof line, "%zx\r\n", n);
      bytes += line + std::string(n, 'x') + "\r\n";
    }
    return bytes + "0\r\n\r\n";
  };
  {
    Client client(port);
    ASSERT_TRUE(client.send(post(max_body)));
    const Response r = client.read_response("POST", milliseconds(10000));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, std::to_string(max_body) + " x");
    // The connection carries on.
    ASSERT_TRUE(client.send(get("/plaintext")));
    EXPECT_EQ(client.read_response().status, 200);
  }
  {
    Client client(port);
    client.send(post(max_body + 1));  // may be cut short by the answer
    const Response r = client.read_response("POST", milliseconds(10000));
    EXPECT_EQ(r.status, 413);
    EXPECT_TRUE(r.connection_close());
  }
}

TEST_F(ChunkedTest, BodyLimitCountsDecodedBytesNotFraming) {
  const std::size_t max_body = test_config().limits.max_body;
  ASSERT_EQ(max_body, 64u * 1024);
  check_body_limit_in_chunks(server_.port(), 1, max_body);
  check_body_limit_in_chunks(server_.port(), 8, max_body);
}

}  // namespace
}  // namespace shockwave::testing
