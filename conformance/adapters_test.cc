// Every registered adapter (each parser, each profile) must agree on these
// plain cases: they exercise the adapter's bookkeeping (pipelining, consumed,
// incomplete, trailers, errors), not any parser's corner cases.

#include <string>
#include <string_view>

#include "conformance/adapter.h"
#include "conformance/model.h"
#include "gtest/gtest.h"

namespace shockwave::conformance {
namespace {

Message get(std::string target, std::vector<Field> headers = {{"Host", "a"}}) {
  Message m;
  m.method = "GET";
  m.target = std::move(target);
  m.version = "HTTP/1.1";
  m.headers = std::move(headers);
  return m;
}

ParseOutcome ok(std::vector<Message> messages, std::size_t consumed) {
  ParseOutcome o;
  o.messages = std::move(messages);
  o.consumed = consumed;
  return o;
}

class AdapterTest : public testing::TestWithParam<std::string_view> {
 protected:
  // parse runs the adapter and drops the error reason, which is each
  // parser's own wording; the status is what must agree.
  ParseOutcome parse(std::string_view bytes) {
    auto adapter = make_adapter(GetParam());
    EXPECT_NE(adapter, nullptr);
    if (!adapter) return {};
    ParseOutcome o = adapter->parse(bytes);
    if (o.error) {
      EXPECT_FALSE(o.error->reason.empty()) << "a rejection needs a reason";
      o.error->reason.clear();
    }
    return o;
  }
};

constexpr std::string_view kGet = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";

TEST_P(AdapterTest, SimpleGet) { EXPECT_EQ(parse(kGet), ok({get("/")}, kGet.size())); }

TEST_P(AdapterTest, EmptyInputIsOkAndComplete) { EXPECT_EQ(parse(""), ok({}, 0)); }

TEST_P(AdapterTest, PipelinedPair) {
  std::string in = std::string(kGet) + "GET /b HTTP/1.1\r\nHost: b\r\nX-Y:  v \t\r\n\r\n";
  EXPECT_EQ(parse(in), ok({get("/"), get("/b", {{"Host", "b"}, {"X-Y", "v"}})}, in.size()));
}

TEST_P(AdapterTest, RepeatedFieldsStaySeparate) {
  std::string in = "GET / HTTP/1.1\r\nHost: a\r\nAccept: x\r\nAccept: y\r\nEmpty:\r\n\r\n";
  EXPECT_EQ(parse(in), ok({get("/", {{"Host", "a"}, {"Accept", "x"}, {"Accept", "y"}, {"Empty", ""}})}, in.size()));
}

TEST_P(AdapterTest, ContentLengthBody) {
  std::string in = "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
  Message m = get("/f", {{"Host", "a"}, {"Content-Length", "5"}});
  m.method = "POST";
  m.body = "hello";
  EXPECT_EQ(parse(in), ok({m}, in.size()));
}

TEST_P(AdapterTest, ChunkedPostWithTrailers) {
  std::string in =
      "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42 \r\nX-Sum: 43\r\n\r\n";
  Message m = get("/up", {{"Host", "a"}, {"Transfer-Encoding", "chunked"}});
  m.method = "POST";
  m.body = "hello world";
  m.trailers = {{"X-Sum", "42"}, {"X-Sum", "43"}};
  // And a request after it, to show where the chunked one ended.
  EXPECT_EQ(parse(in + std::string(kGet)), ok({m, get("/")}, in.size() + kGet.size()));
}

TEST_P(AdapterTest, ErrorKeepsTheMessagesBeforeIt) {
  // (A control in a field name: every parser here rejects it; not all check methods.)
  std::string in = std::string(kGet) + "GET / HTTP/1.1\r\nHost: a\r\nBad\x01Name: x\r\n\r\n";
  ParseOutcome want = ok({get("/")}, kGet.size());
  want.error = Error{400, ""};
  EXPECT_EQ(parse(in), want);
}

// (Not a space: llhttp 8.1's default build accepts "Bad Name" as a field name.)
TEST_P(AdapterTest, RejectsControlInFieldName) {
  ParseOutcome want;
  want.error = Error{400, ""};
  EXPECT_EQ(parse("GET / HTTP/1.1\r\nHost: a\r\nBad\x01Name: x\r\n\r\n"), want);
}

TEST_P(AdapterTest, IncompleteHead) {
  ParseOutcome want = ok({get("/")}, kGet.size());
  want.incomplete = true;
  EXPECT_EQ(parse(std::string(kGet) + "GET / HTTP/1.1\r\nHost: a\r\n"), want);
}

TEST_P(AdapterTest, IncompleteBody) {
  ParseOutcome want;
  want.incomplete = true;
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"), want);
  EXPECT_EQ(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"), want);
}

TEST_P(AdapterTest, OctetsSurvive) {
  std::string in = "GET /%00 HTTP/1.1\r\nHost: a\r\nX: \xe9\xff\r\nContent-Length: 3\r\n\r\n";
  in += std::string("\0\r\xff", 3);
  Message m = get("/%00", {{"Host", "a"}, {"X", "\xe9\xff"}, {"Content-Length", "3"}});
  m.body = std::string("\0\r\xff", 3);
  EXPECT_EQ(parse(in), ok({m}, in.size()));
}

TEST_P(AdapterTest, NeverFailsOnGarbage) {
  std::string garbage;
  for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 7919 + 13) & 0xff);
  ParseOutcome o = parse(garbage);
  EXPECT_TRUE(o.error.has_value());
  EXPECT_TRUE(o.messages.empty());
}

INSTANTIATE_TEST_SUITE_P(All, AdapterTest, testing::ValuesIn(adapter_names()), [](const auto& info) {
  std::string name(info.param);
  for (char& c : name)
    if (c == '-') c = '_';
  return name;
});

// Without the keep_alive leniency, nothing after "close" is parsed
// (RFC 9112 §9.6), so it is neither consumed nor incomplete.
TEST(StrictAdapters, NothingAfterConnectionClose) {
  std::string first = "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  Message m = get("/", {{"Host", "a"}, {"Connection", "close"}});
  m.keep_alive = false;
  for (std::string_view name : {"shockwave", "llhttp"}) {
    EXPECT_EQ(make_adapter(name)->parse(first + "GET /b HTTP/1.1\r\nHost: a"), ok({m}, first.size())) << name;
  }
}

TEST(Registry, EveryNameMakesItsAdapter) {
  ASSERT_FALSE(adapter_names().empty());
  EXPECT_EQ(adapter_names().front(), "shockwave");
  for (std::string_view name : adapter_names()) {
    auto adapter = make_adapter(name);
    ASSERT_NE(adapter, nullptr) << name;
    EXPECT_EQ(adapter->name(), name);
  }
}

TEST(Registry, UnknownNameIsNull) {
  EXPECT_EQ(make_adapter("nginx"), nullptr);
  EXPECT_EQ(make_adapter(""), nullptr);
  EXPECT_EQ(make_adapter("llhttp-lenient-"), nullptr);
}

}  // namespace
}  // namespace shockwave::conformance
