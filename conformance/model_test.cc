#include "conformance/model.h"

#include <string>

#include "gtest/gtest.h"

namespace shockwave::conformance {
namespace {

std::string all_octets() {
  std::string s;
  for (int c = 0; c < 256; ++c) s += static_cast<char>(c);
  return s;
}

ParseOutcome sample() {
  ParseOutcome o;
  Message m;
  m.method = "GET";
  m.target = "/";
  m.version = "HTTP/1.1";
  m.headers = {{"Host", "a"}};
  o.messages.push_back(m);
  o.consumed = 27;
  return o;
}

ParseOutcome round_trip(const ParseOutcome& o) {
  std::string why;
  auto back = from_json(to_json(o), &why);
  EXPECT_TRUE(back.has_value()) << why << "\nin: " << to_json(o);
  return back.value_or(ParseOutcome{});
}

TEST(ModelJson, ExactShape) {
  EXPECT_EQ(to_json(sample()),
            R"({"ok": true, "error": null, "messages": [{"method": "GET", "target": "/", "version": "HTTP/1.1", )"
            R"("headers": [["Host", "a"]], "trailers": [], "body_b64": "", "keep_alive": true}], )"
            R"("incomplete": false, "consumed": 27})");
  ParseOutcome rejected;
  rejected.error = Error{431, "too many"};
  EXPECT_EQ(to_json(rejected), R"({"ok": false, "error": {"status": 431, "reason": "too many"}, "messages": [], )"
                               R"("incomplete": false, "consumed": 0})");
}

TEST(ModelJson, OneMessageAlone) {
  Message m;
  m.method = "POST";
  m.target = "/\xe9?a";
  m.version = "HTTP/1.0";
  m.headers = {{"Host", "a"}, {"x-Y", "1"}};
  m.body = std::string("\0\xff", 2);
  m.keep_alive = false;
  std::string json = message_to_json(m);
  EXPECT_EQ(json.substr(0, 38), "{\"method\": \"POST\", \"target\": \"/\xc3\xa9?a\", ");
  EXPECT_EQ(message_from_json(json), m);
  // ASCII escapes stand for the same octets (the HEAD form of the echo contract).
  auto ascii = message_from_json(
      R"({"method":"GET","target":"/\u00e9","version":"HTTP/1.1","headers":[],"trailers":[],"body_b64":"","keep_alive":true})");
  ASSERT_TRUE(ascii);
  EXPECT_EQ(ascii->target, "/\xe9");
  std::string why;
  EXPECT_FALSE(message_from_json(json + " x", &why));
  EXPECT_NE(why.find("trailing"), std::string::npos) << why;
  EXPECT_FALSE(message_from_json(R"({"method":"GET"})", &why));
  EXPECT_NE(why.find("missing key"), std::string::npos) << why;
}

TEST(ModelJson, Responses) {
  ParseOutcome o;
  Message m;
  m.status = 200;
  m.reason = "OK";
  m.version = "HTTP/1.1";
  m.headers = {{"Content-Length", "2"}};
  m.body = "ok";
  o.messages = {m};
  o.consumed = 40;
  EXPECT_EQ(to_json(o), R"({"ok": true, "error": null, "messages": [{"status": 200, "reason": "OK", )"
                        R"("version": "HTTP/1.1", "headers": [["Content-Length", "2"]], "trailers": [], )"
                        R"("body_b64": "b2s=", "keep_alive": true}], "incomplete": false, "consumed": 40})");
  EXPECT_EQ(round_trip(o), o);
  EXPECT_TRUE(m.is_response());
  // Any key order, and an empty reason.
  auto any_order = message_from_json(
      R"({"reason":"","keep_alive":false,"version":"HTTP/1.0","headers":[],"trailers":[],"body_b64":"","status":204})");
  ASSERT_TRUE(any_order);
  EXPECT_EQ(any_order->status, 204);
  EXPECT_EQ(any_order->reason, "");
  EXPECT_FALSE(any_order->keep_alive);

  const std::string rest = R"("version":"HTTP/1.1","headers":[],"trailers":[],"body_b64":"","keep_alive":true)";
  std::string why;
  // One shape or the other, whole.
  EXPECT_FALSE(message_from_json(R"({"status":200,"reason":"OK","method":"GET",)" + rest + "}", &why));
  EXPECT_NE(why.find("key \"method\" in a response message"), std::string::npos) << why;
  EXPECT_FALSE(message_from_json(R"({"status":200,)" + rest + "}", &why));
  EXPECT_NE(why.find("missing key \"reason\" in response message"), std::string::npos) << why;
  EXPECT_FALSE(message_from_json(R"({"method":"GET","target":"/","reason":"OK",)" + rest + "}", &why));
  EXPECT_NE(why.find("in a response message"), std::string::npos) << why;
  for (const char* status : {"99", "600", "0", "-1", "200.0", "\"200\""}) {
    EXPECT_FALSE(message_from_json(R"({"status":)" + std::string(status) + R"(,"reason":"",)" + rest + "}", &why))
        << status;
  }
  // The messages of one outcome are all requests or all responses.
  ParseOutcome mixed = o;
  mixed.messages.push_back(sample().messages[0]);
  EXPECT_FALSE(from_json(to_json(mixed), &why));
  EXPECT_NE(why.find("messages mix requests and responses"), std::string::npos) << why;
  // A gateway's rejection.
  ParseOutcome rejected;
  rejected.error = Error{502, "bad status-line"};
  EXPECT_EQ(round_trip(rejected), rejected);
}

TEST(ModelJson, OctetsAreCodePoints) {
  ParseOutcome o;
  o.error = Error{400, std::string("\0\"\\\x7f\x80\xe9\xff", 7)};
  EXPECT_NE(to_json(o).find(R"("reason": "\u0000\"\\\u007f)"
                            "\xc2\x80\xc3\xa9\xc3\xbf\""),
            std::string::npos)
      << to_json(o);
}

TEST(ModelJson, EveryOctetRoundTripsInEveryString) {
  ParseOutcome o = sample();
  Message& m = o.messages[0];
  m.method = m.target = m.version = m.body = all_octets();
  m.headers = {{all_octets(), all_octets()}, {"", ""}};
  m.trailers = {{"X", all_octets()}};
  m.keep_alive = false;
  o.error = Error{505, all_octets()};
  EXPECT_EQ(round_trip(o), o);
}

TEST(ModelJson, EachOctetAloneRoundTrips) {
  for (int c = 0; c < 256; ++c) {
    ParseOutcome o = sample();
    o.messages[0].target = std::string(1, static_cast<char>(c));
    EXPECT_EQ(round_trip(o), o) << "octet " << c;
  }
}

TEST(ModelJson, IncompleteRoundTrips) {
  ParseOutcome o = sample();
  o.incomplete = true;
  o.consumed = 18446744073709551615u;
  EXPECT_EQ(round_trip(o), o);
}

// What another JSON writer may produce for the same outcome.
TEST(ModelJson, ReadsAnyConformingWriter) {
  auto o = from_json(
      "\n{ \"consumed\":27,\"incomplete\":false,\"messages\":[{\"keep_alive\":true,\"body_b64\":\"\","
      "\"trailers\":[],\"headers\":[[\"Ho\\u0073t\",\"a\"]],\"version\":\"HTTP\\/1.1\",\"target\":\"/\","
      "\"method\":\"GET\"}],\"error\":null,\"ok\":true}\r\n\t");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(*o, sample());
  auto escapes = from_json(R"({"ok": false, "error": {"reason": "\b\f\n\r\t\u00E9", "status": 400}, )"
                           R"("messages": [], "incomplete": false, "consumed": 0})");
  ASSERT_TRUE(escapes.has_value());
  EXPECT_EQ(escapes->error->reason, "\b\f\n\r\t\xe9");
}

TEST(ModelJson, RejectsMalformedWithAMessage) {
  const std::string good = to_json(sample());
  auto with = [&](std::string_view from, std::string_view to) {
    std::string s = good;
    std::size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  struct Case {
    const char* label;
    std::string json;
    const char* message;  // part of the expected error message
  };
  const Case cases[] = {
      {"empty", "", "expected '{'"},
      {"not an object", "[]", "expected '{'"},
      {"truncated", good.substr(0, good.size() - 1), "expected '}'"},
      {"trailing garbage", good + "x", "trailing characters"},
      {"two objects", good + good, "trailing characters"},
      {"trailing comma", with("\"consumed\": 27", "\"consumed\": 27,"), "\""},
      {"unknown key", with("\"consumed\"", "\"bytes\""), "unknown key \"bytes\" in outcome"},
      {"missing key", with(", \"incomplete\": false", ""), "missing key \"incomplete\""},
      {"duplicate key", with("\"ok\": true", "\"ok\": true, \"ok\": true"), "duplicate key \"ok\""},
      {"missing message key", with("\"keep_alive\": true", "\"keep-alive\": true"), "in message"},
      {"code point above U+00FF", with("\"GET\"", "\"\\u0100\""), "above U+00FF"},
      {"surrogate", with("\"GET\"", "\"\\ud83d\\ude00\""), "above U+00FF"},
      {"raw UTF-8 above U+00FF", with("\"GET\"", "\"\xe2\x82\xac\""), "above U+00FF"},
      {"overlong UTF-8", with("\"GET\"", "\"\xc0\xaf\""), "above U+00FF, or invalid"},
      {"bad continuation", with("\"GET\"", "\"\xc3(\""), "continuation"},
      {"raw control character", with("\"GET\"", "\"\n\""), "control character"},
      {"bad escape", with("\"GET\"", "\"\\x41\""), "invalid escape"},
      {"short \\u", with("\"GET\"", "\"\\u41\""), "hex digit"},
      {"ok contradicts error", with("\"ok\": true", "\"ok\": false"), "contradicts"},
      {"status out of range",
       with("\"ok\": true, \"error\": null", "\"ok\": false, \"error\": {\"status\": 200, \"reason\": \"\"}"),
       "400-599"},
      {"incomplete with error",
       R"({"ok": false, "error": {"status": 400, "reason": ""}, "messages": [], "incomplete": true, "consumed": 0})",
       "\"incomplete\" must be false"},
      {"negative number", with("27", "-1"), "non-negative integer"},
      {"fraction", with("27", "27.0"), "integer"},
      {"leading zero", with("27", "027"), "leading zero"},
      {"huge number", with("27", "18446744073709551616"), "out of range"},
      {"string for bool", with("\"keep_alive\": true", "\"keep_alive\": \"true\""), "true or false"},
      {"bad base64", with("\"body_b64\": \"\"", "\"body_b64\": \"Zg=\""), "base64"},
      {"field not a pair", with("[\"Host\", \"a\"]", "[\"Host\"]"), "expected ','"},
      {"field with three items", with("[\"Host\", \"a\"]", "[\"Host\", \"a\", \"b\"]"), "expected ']'"},
  };
  for (const Case& c : cases) {
    std::string why;
    EXPECT_FALSE(from_json(c.json, &why).has_value()) << c.label;
    EXPECT_NE(why.find(c.message), std::string::npos) << c.label << ": message was: " << why;
    EXPECT_EQ(why.rfind("offset ", 0), 0u) << c.label << ": message names no place: " << why;
  }
}

TEST(Base64, Rfc4648Vectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("\xfb\xff"), "+/8=");
}

TEST(Base64, RoundTripsEveryLengthAndOctet) {
  std::string octets = all_octets() + all_octets();
  for (std::size_t n = 0; n <= octets.size(); ++n) {
    std::string in = octets.substr(octets.size() - n);  // varies the tail too
    EXPECT_EQ(base64_decode(base64_encode(in)), in) << "length " << n;
  }
}

TEST(Base64, RejectsNonCanonical) {
  for (const char* bad :
       {"Z", "Zg", "Zg=", "Zh==", "Zm9=", "Z===", "====", "Zg==Zg==", "Zm9v\n", "Zm 9v", "Zm9-", "=Zm9"}) {
    EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace shockwave::conformance
