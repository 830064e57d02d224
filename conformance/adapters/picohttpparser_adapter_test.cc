// The framing the picohttpparser adapter adds as picohttpparser's caller
// (see picohttpparser_adapter.h); the library's own parsing is what the
// conformance cases measure.

#include "conformance/adapters/picohttpparser_adapter.h"

#include "gtest/gtest.h"

namespace shockwave::conformance {
namespace {

ParseOutcome parse(std::string_view in) { return make_picohttpparser_adapter()->parse(in); }

int status(std::string_view in) {
  ParseOutcome o = parse(in);
  return o.error ? o.error->status : 0;
}

TEST(PicoHttpParserAdapter, Name) { EXPECT_EQ(make_picohttpparser_adapter()->name(), "picohttpparser"); }

TEST(PicoHttpParserAdapter, ObsFoldIsRejectedAsH2oDoes) {
  ParseOutcome o = parse("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n");
  ASSERT_TRUE(o.error);
  EXPECT_EQ(o.error->reason, "line folding of header fields is not supported");
}

TEST(PicoHttpParserAdapter, AmbiguousFramingIsRejected) {
  EXPECT_EQ(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
            400);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"), 400);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx"), 400);
  EXPECT_EQ(status("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"), 400);
}

TEST(PicoHttpParserAdapter, ChunkedAsFinalCoding) {
  ParseOutcome o = parse(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: CHUNKED\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n");
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o.messages.size(), 1u);
  EXPECT_EQ(o.messages[0].body, "abc");
}

TEST(PicoHttpParserAdapter, VersionAsH2oHandlesIt) {
  EXPECT_EQ(parse("GET / HTTP/1.0\r\n\r\n").messages.at(0).version, "HTTP/1.0");
  EXPECT_EQ(parse("GET / HTTP/1.1\r\n\r\n").messages.at(0).version, "HTTP/1.1");
  EXPECT_EQ(parse("GET / HTTP/1.7\r\n\r\n").messages.at(0).version, "HTTP/1.1");
}

TEST(PicoHttpParserAdapter, EmptyListElementsAreIgnored) {
  ParseOutcome o = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, ,\r\n\r\n0\r\n\r\n");
  EXPECT_TRUE(o.ok());
  EXPECT_EQ(o.messages.size(), 1u);
}

TEST(PicoHttpParserAdapter, KeepAliveByVersionAndConnection) {
  auto keep_alive = [](std::string_view in) {
    ParseOutcome o = parse(in);
    EXPECT_EQ(o.messages.size(), 1u) << in;
    return !o.messages.empty() && o.messages[0].keep_alive;
  };
  EXPECT_TRUE(keep_alive("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo, Close\r\n\r\n"));
  EXPECT_FALSE(keep_alive("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keep_alive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  // Nothing after a request that ends the connection is parsed.
  ParseOutcome o = parse("GET / HTTP/1.0\r\n\r\nGARBAGE");
  EXPECT_TRUE(o.ok());
  EXPECT_EQ(o.consumed, 18u);
}

TEST(PicoHttpParserAdapter, IncompleteTrailerSection) {
  ParseOutcome o = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\r\n");
  EXPECT_TRUE(o.ok());
  EXPECT_TRUE(o.incomplete);
}

}  // namespace
}  // namespace shockwave::conformance
