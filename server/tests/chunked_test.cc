// Chunked transfer coding (RFC 9112 §7.1): request bodies are decoded
// (extensions ignored, trailers kept apart), streaming responses are framed
// as chunks for HTTP/1.1 and delimited by the close for HTTP/1.0 (§6.1, §6.3).

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

}  // namespace
}  // namespace shockwave::testing
