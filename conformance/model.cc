#include "conformance/model.h"

#include <array>
#include <cstdint>
#include <ostream>

namespace shockwave::conformance {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// ---- Writing -------------------------------------------------------------

// Octet c is written as code point U+00cc, so every octet string survives a
// JSON round trip and a reader in any language sees the same octets.
void put_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else if (c < 0x80) {
      out += static_cast<char>(c);
    } else {  // 2-byte UTF-8 of U+0080..U+00FF
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  out += '"';
}

void put_bool(std::string& out, bool b) { out += b ? "true" : "false"; }

void put_fields(std::string& out, const std::vector<Field>& fields) {
  out += '[';
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ", ";
    out += '[';
    put_string(out, fields[i].first);
    out += ", ";
    put_string(out, fields[i].second);
    out += ']';
  }
  out += ']';
}

void put_message(std::string& out, const Message& m) {
  if (m.is_response()) {
    out += "{\"status\": " + std::to_string(m.status) + ", \"reason\": ";
    put_string(out, m.reason);
  } else {
    out += "{\"method\": ";
    put_string(out, m.method);
    out += ", \"target\": ";
    put_string(out, m.target);
  }
  out += ", \"version\": ";
  put_string(out, m.version);
  out += ", \"headers\": ";
  put_fields(out, m.headers);
  out += ", \"trailers\": ";
  put_fields(out, m.trailers);
  out += ", \"body_b64\": \"";
  out += base64_encode(m.body);  // the alphabet needs no escaping
  out += "\", \"keep_alive\": ";
  put_bool(out, m.keep_alive);
  out += '}';
}

// ---- Reading -------------------------------------------------------------

// Reader is a recursive-descent JSON reader for exactly the outcome schema.
// Every method returns false after recording the first problem in error_.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool outcome(ParseOutcome* out);
  bool single_message(Message* out);
  const std::string& error() const { return error_; }

 private:
  bool fail(std::string_view what) {
    if (error_.empty()) error_ = "offset " + std::to_string(pos_) + ": " + std::string(what);
    return false;
  }
  void ws() {
    while (pos_ < in_.size() && (in_[pos_] == ' ' || in_[pos_] == '\t' || in_[pos_] == '\n' || in_[pos_] == '\r'))
      ++pos_;
  }
  bool take(char c) {
    ws();
    if (pos_ < in_.size() && in_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool expect(char c) { return take(c) || fail(std::string("expected '") + c + "'"); }
  bool literal(std::string_view word) {
    ws();
    if (in_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool string(std::string* out);
  bool hex4(std::uint32_t* cp);
  bool boolean(bool* out);
  bool number(std::uint64_t max, std::uint64_t* out);
  bool octets_or_base64(std::string* out);
  bool fields(std::vector<Field>* out);
  bool message(Message* out);
  bool error_object(std::optional<Error>* out);

  // object calls on_key(key) for each member after its ':', and checks that
  // no name outside `keys` appears and none twice; and that every name in
  // `keys` appears, unless `seen` is given, which then tells which did.
  template <std::size_t N, typename F>
  bool object(const std::array<std::string_view, N>& keys, std::string_view what, F&& on_key,
              std::array<bool, N>* seen_out = nullptr);
  template <typename F>
  bool array(F&& on_item);

  std::string_view in_;
  std::size_t pos_ = 0;
  std::string error_;
};

bool Reader::hex4(std::uint32_t* cp) {
  *cp = 0;
  for (int i = 0; i < 4; ++i, ++pos_) {
    if (pos_ >= in_.size()) return fail("unterminated \\u escape");
    char c = in_[pos_];
    std::uint32_t d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return fail("bad hex digit in \\u escape");
    *cp = *cp * 16 + d;
  }
  return true;
}

bool Reader::string(std::string* out) {
  if (!expect('"')) return false;
  out->clear();
  while (true) {
    if (pos_ >= in_.size()) return fail("unterminated string");
    unsigned char c = static_cast<unsigned char>(in_[pos_]);
    if (c == '"') {
      ++pos_;
      return true;
    }
    if (c < 0x20) return fail("unescaped control character in string");  // RFC 8259 §7
    if (c == '\\') {
      if (++pos_ >= in_.size()) return fail("unterminated escape");
      char e = in_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out->push_back(e);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          std::uint32_t cp;
          if (!hex4(&cp)) return false;
          // Surrogates are above U+00FF too, so this also rejects them.
          if (cp > 0xff) return fail("code point above U+00FF does not stand for an octet");
          out->push_back(static_cast<char>(cp));
          break;
        }
        default:
          return fail("invalid escape");
      }
    } else if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      ++pos_;
    } else {
      // Only C2/C3 lead bytes encode U+0080..U+00FF (C0/C1 would be overlong).
      if (c != 0xc2 && c != 0xc3) return fail("UTF-8 of a code point above U+00FF, or invalid UTF-8");
      if (pos_ + 1 >= in_.size()) return fail("truncated UTF-8 sequence");
      unsigned char c2 = static_cast<unsigned char>(in_[pos_ + 1]);
      if ((c2 & 0xc0) != 0x80) return fail("invalid UTF-8 continuation byte");
      out->push_back(static_cast<char>(((c & 0x1f) << 6) | (c2 & 0x3f)));
      pos_ += 2;
    }
  }
}

bool Reader::boolean(bool* out) {
  if (literal("true"))
    *out = true;
  else if (literal("false"))
    *out = false;
  else
    return fail("expected true or false");
  return true;
}

// number accepts a non-negative JSON integer without sign, fraction or
// exponent: the schema has no other numbers.
bool Reader::number(std::uint64_t max, std::uint64_t* out) {
  ws();
  std::size_t start = pos_;
  std::uint64_t v = 0;
  while (pos_ < in_.size() && in_[pos_] >= '0' && in_[pos_] <= '9') {
    std::uint64_t d = in_[pos_] - '0';
    if (v > (max - d) / 10) return fail("number out of range");
    v = v * 10 + d;
    ++pos_;
  }
  if (pos_ == start) return fail("expected a non-negative integer");
  if (pos_ - start > 1 && in_[start] == '0') return fail("leading zero in number");
  if (pos_ < in_.size() && (in_[pos_] == '.' || in_[pos_] == 'e' || in_[pos_] == 'E'))
    return fail("expected an integer");
  *out = v;
  return true;
}

template <std::size_t N, typename F>
bool Reader::object(const std::array<std::string_view, N>& keys, std::string_view what, F&& on_key,
                    std::array<bool, N>* seen_out) {
  if (!expect('{')) return false;
  std::array<bool, N> seen{};
  if (!take('}')) {
    do {
      std::string key;
      if (!string(&key) || !expect(':')) return false;
      std::size_t i = 0;
      while (i < N && keys[i] != key) ++i;
      if (i == N) return fail("unknown key \"" + key + "\" in " + std::string(what));
      if (seen[i]) return fail("duplicate key \"" + key + "\" in " + std::string(what));
      seen[i] = true;
      if (!on_key(key)) return false;
    } while (take(','));
    if (!expect('}')) return false;
  }
  if (seen_out) {
    *seen_out = seen;
    return true;
  }
  for (std::size_t i = 0; i < N; ++i) {
    if (!seen[i]) return fail("missing key \"" + std::string(keys[i]) + "\" in " + std::string(what));
  }
  return true;
}

template <typename F>
bool Reader::array(F&& on_item) {
  if (!expect('[')) return false;
  if (take(']')) return true;
  do {
    if (!on_item()) return false;
  } while (take(','));
  return expect(']');
}

bool Reader::fields(std::vector<Field>* out) {
  return array([&] {
    Field f;
    // A field is exactly [name, value].
    if (!expect('[') || !string(&f.first) || !expect(',') || !string(&f.second) || !expect(']')) return false;
    out->push_back(std::move(f));
    return true;
  });
}

bool Reader::octets_or_base64(std::string* out) {
  std::string text;
  if (!string(&text)) return false;
  auto decoded = base64_decode(text);
  if (!decoded) return fail("body_b64 is not canonical base64");
  *out = std::move(*decoded);
  return true;
}

bool Reader::message(Message* m) {
  // A request has method and target, a response status and reason; both
  // have the rest. Keys may come in any order, so the shape is checked after.
  static constexpr std::array<std::string_view, 9> keys = {"method",  "target",   "status",   "reason",    "version",
                                                           "headers", "trailers", "body_b64", "keep_alive"};
  std::array<bool, keys.size()> seen{};
  bool read = object(
      keys, "message",
      [&](const std::string& key) {
        if (key == "method") return string(&m->method);
        if (key == "target") return string(&m->target);
        if (key == "reason") return string(&m->reason);
        if (key == "status") {
          std::uint64_t status;
          if (!number(999, &status)) return false;
          if (status < 100 || status > 599) return fail("status must be 100-599");  // RFC 9110 §15
          m->status = static_cast<int>(status);
          return true;
        }
        if (key == "version") return string(&m->version);
        if (key == "headers") return fields(&m->headers);
        if (key == "trailers") return fields(&m->trailers);
        if (key == "body_b64") return octets_or_base64(&m->body);
        return boolean(&m->keep_alive);
      },
      &seen);
  if (!read) return false;
  const bool response = seen[2] || seen[3];
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool response_key = i == 2 || i == 3, request_key = i < 2;
    if (seen[i] && response && request_key) {
      return fail("key \"" + std::string(keys[i]) + "\" in a response message (status, reason)");
    }
    if (!seen[i] && !(response ? request_key : response_key)) {
      return fail("missing key \"" + std::string(keys[i]) + "\" in " + (response ? "response " : "") + "message");
    }
  }
  return true;
}

bool Reader::error_object(std::optional<Error>* out) {
  if (literal("null")) {
    out->reset();
    return true;
  }
  static constexpr std::array<std::string_view, 2> keys = {"status", "reason"};
  Error e;
  bool ok = object(keys, "error", [&](const std::string& key) {
    if (key == "reason") return string(&e.reason);
    std::uint64_t status;
    if (!number(999, &status)) return false;
    // A rejection is answered with a 4xx or 5xx (design invariant 3, docs/invariants.md).
    if (status < 400 || status > 599) return fail("error status must be 400-599");
    e.status = static_cast<int>(status);
    return true;
  });
  if (ok) *out = std::move(e);
  return ok;
}

bool Reader::outcome(ParseOutcome* out) {
  static constexpr std::array<std::string_view, 5> keys = {"ok", "error", "messages", "incomplete", "consumed"};
  bool ok_flag = false;
  bool read = object(keys, "outcome", [&](const std::string& key) {
    if (key == "ok") return boolean(&ok_flag);
    if (key == "error") return error_object(&out->error);
    if (key == "incomplete") return boolean(&out->incomplete);
    if (key == "consumed") {
      std::uint64_t n;
      if (!number(SIZE_MAX, &n)) return false;
      out->consumed = static_cast<std::size_t>(n);
      return true;
    }
    return array([&] {
      Message m;
      if (!message(&m)) return false;
      if (!out->messages.empty() && out->messages.front().is_response() != m.is_response()) {
        return fail("messages mix requests and responses");
      }
      out->messages.push_back(std::move(m));
      return true;
    });
  });
  if (!read) return false;
  ws();
  if (pos_ != in_.size()) return fail("trailing characters after the object");
  if (ok_flag != out->ok()) return fail("\"ok\" contradicts \"error\"");
  if (out->error && out->incomplete) return fail("\"incomplete\" must be false when there is an error");
  return true;
}

bool Reader::single_message(Message* out) {
  if (!message(out)) return false;
  ws();
  return pos_ == in_.size() || fail("trailing characters after the object");
}

}  // namespace

std::string message_to_json(const Message& message) {
  std::string out;
  put_message(out, message);
  return out;
}

std::optional<Message> message_from_json(std::string_view json, std::string* why) {
  Reader reader(json);
  Message message;
  if (!reader.single_message(&message)) {
    if (why) *why = reader.error();
    return std::nullopt;
  }
  return message;
}

std::string to_json(const ParseOutcome& outcome) {
  std::string out = "{\"ok\": ";
  put_bool(out, outcome.ok());
  out += ", \"error\": ";
  if (outcome.error) {
    out += "{\"status\": " + std::to_string(outcome.error->status) + ", \"reason\": ";
    put_string(out, outcome.error->reason);
    out += '}';
  } else {
    out += "null";
  }
  out += ", \"messages\": [";
  for (std::size_t i = 0; i < outcome.messages.size(); ++i) {
    if (i > 0) out += ", ";
    put_message(out, outcome.messages[i]);
  }
  out += "], \"incomplete\": ";
  put_bool(out, outcome.incomplete);
  out += ", \"consumed\": " + std::to_string(outcome.consumed) + "}";
  return out;
}

std::optional<ParseOutcome> from_json(std::string_view json, std::string* why) {
  Reader reader(json);
  ParseOutcome outcome;
  if (!reader.outcome(&outcome)) {
    if (why) *why = reader.error();
    return std::nullopt;
  }
  return outcome;
}

std::string base64_encode(std::string_view octets) {
  std::string out;
  out.reserve((octets.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= octets.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(octets[i]) << 16 | static_cast<unsigned char>(octets[i + 1]) << 8 |
                      static_cast<unsigned char>(octets[i + 2]);
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += kBase64[v & 63];
  }
  std::size_t rest = octets.size() - i;
  if (rest > 0) {
    std::uint32_t v = static_cast<unsigned char>(octets[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(octets[i + 1]) << 8;
    out += kBase64[v >> 18];
    out += kBase64[(v >> 12) & 63];
    out += rest == 2 ? kBase64[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    std::uint32_t v = 0;
    for (int j = 0; j < 4 - pad; ++j) {
      int d = value(text[i + j]);
      if (d < 0) return std::nullopt;
      v = v << 6 | static_cast<std::uint32_t>(d);
    }
    v <<= 6 * pad;
    // RFC 4648 §3.5: the bits padding hides must be zero (one encoding per body).
    if ((pad == 1 && (v & 0xff)) || (pad == 2 && (v & 0xffff))) return std::nullopt;
    out += static_cast<char>(v >> 16);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(v & 0xff);
  }
  return out;
}

void PrintTo(const Message& message, std::ostream* os) {
  std::string json;
  put_message(json, message);
  *os << json;
}

void PrintTo(const ParseOutcome& outcome, std::ostream* os) { *os << to_json(outcome); }

}  // namespace shockwave::conformance
