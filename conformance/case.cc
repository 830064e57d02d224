#include "conformance/case.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "testing/strings.h"

namespace shockwave::conformance {
namespace {

namespace fs = std::filesystem;
using std::string;
using std::string_view;

// The smuggling classes of docs/requirements.md, in its order.
constexpr SmugglingClass kSmugglingClasses[] = {
    {1, "CL.TE", "CL.TE / TE.CL (classic): Content-Length and Transfer-Encoding together"},
    {2, "TE.TE-leading-comma", "TE.TE obfuscation: leading comma (`Transfer-Encoding: ,chunked`)"},
    {3, "TE.TE-duplicate-lines", "TE.TE: duplicate Transfer-Encoding lines"},
    {4, "TE.TE-non-ascii-whitespace", "TE.TE: non-ASCII \"whitespace\" stripping (\\xa0, \\x85, \\xff)"},
    {5, "TE.TE-obs-fold", "TE.TE: obs-fold / multi-line Transfer-Encoding"},
    {6, "unknown-coding-as-chunked", "Unknown transfer coding read as chunked"},
    {7, "chunked-not-final", "Chunked not final / other codings after it"},
    {8, "lax-content-length", "Lax Content-Length number parsing (+, _, hex, octal, prefixes)"},
    {9, "empty-content-length", "Empty Content-Length"},
    {10, "duplicate-content-length", "Duplicate / conflicting Content-Length"},
    {11, "lax-chunk-size", "Lax chunk-size parsing (0x, +, -, _, leading spaces, prefixes)"},
    {12, "empty-chunk-size", "Empty chunk-size read as 0"},
    {13, "chunk-size-overflow", "Chunk-size overflow / wrap-around"},
    {14, "bare-cr-in-chunk-line", "Bare CR in a chunk-size line or chunk extension"},
    {15, "bare-lf-in-chunked", "Bare LF in chunked framing"},
    {16, "chunk-data-mismatch", "Chunk data not followed by CRLF / length mismatch"},
    {17, "trailer-termination", "Trailer-section termination"},
    {18, "extra-crlf-in-chunked", "Extra CRLF before the terminator, un-chunking without CL"},
    {19, "whitespace-before-colon", "Whitespace between field name and colon"},
    {20, "whitespace-led-first-field", "Whitespace-led first field line / fold into the start-line"},
    {21, "bare-cr-line-terminator", "Bare CR as a header line terminator"},
    {22, "ctl-in-field-value", "CR / LF / NUL inside field values"},
    {23, "bare-lf-line-terminator", "Bare LF as a header line terminator"},
    {24, "invalid-field-name-bytes", "Invalid bytes in field names"},
    {25, "field-line-without-colon", "Field line without a colon / name split across lines"},
    {26, "empty-field-name", "Empty field name"},
    {27, "request-line-laxness", "Request-line laxness (methods, versions, targets, LF as SP)"},
    {28, "hyphen-underscore-aliasing", "Hyphen/underscore field-name aliasing (CGI/WSGI mapping)"},
    {29, "CL.0", "Body ignored on some methods (CL.0)"},
    {30, "0.CL", "Early-response / 0.CL / Expect-based desyncs"},
    {31, "TE.0", "TE.0: front uses Transfer-Encoding, back assumes no body"},
    {32, "pipelining-buffer", "Pipelining buffer bugs"},
    {33, "data-after-close", "Data after Connection: close"},
    {34, "host-confusion", "Host confusion: duplicates, comma lists, absolute-form vs Host"},
    {35, "chunk-ext-amplification", "Chunk-extension amplification (DoS)"},
    // Responses: what a client or a proxy makes of a server's bytes.
    {36, "response-splitting", "Response splitting: a forged response inside a field value or a body"},
    {37, "bodyless-response-framing", "Body-less responses (HEAD, 1xx, 204, 304, 101, CONNECT 2xx) framed with a body"},
};

// Inputs are bounded so that a typo in a repeat count fails to load instead
// of exhausting memory.
constexpr std::size_t kMaxValueBytes = 64u << 20;
constexpr std::size_t kMaxMessageIndex = 10000;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

bool is_define_name(string_view s) {
  if (s.empty() || !(s[0] >= 'A' && s[0] <= 'Z')) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

using ::shockwave::testing::trim;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// parse_count reads a decimal number that fits `limit`.
bool parse_count(string_view s, std::size_t limit, std::size_t* out) {
  if (s.empty() || s.size() > 12) return false;
  std::size_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v > limit) return false;
  *out = v;
  return true;
}

using Defines = std::map<string, string, std::less<>>;

// parse_terms reads `term *( [SP] term )`, where term = ( quoted / NAME )
// [ "*" count ]; each term becomes one string (its repeats included).
bool parse_terms(string_view s, const Defines& defines, std::vector<string>* terms, string* why) {
  std::size_t i = 0;
  std::size_t total = 0;
  for (;;) {
    while (i < s.size() && s[i] == ' ') ++i;
    if (i == s.size()) break;
    string term;
    if (s[i] == '"') {
      ++i;
      for (;;) {
        if (i == s.size()) {
          *why = "unterminated quoted string";
          return false;
        }
        const char c = s[i++];
        if (c == '"') break;
        if (static_cast<unsigned char>(c) >= 0x80) {
          *why = "raw byte >= 0x80 in a quoted string (write it as \\xNN)";
          return false;
        }
        if (c != '\\') {
          term += c;
          continue;
        }
        if (i == s.size()) {
          *why = "unterminated escape";
          return false;
        }
        const char e = s[i++];
        switch (e) {
          case 'r':
            term += '\r';
            break;
          case 'n':
            term += '\n';
            break;
          case 't':
            term += '\t';
            break;
          case '0':
            term += '\0';
            break;
          case '\\':
            term += '\\';
            break;
          case '"':
            term += '"';
            break;
          case 'x': {
            const int hi = i < s.size() ? hex_digit(s[i]) : -1;
            const int lo = i + 1 < s.size() ? hex_digit(s[i + 1]) : -1;
            if (hi < 0 || lo < 0) {
              *why = "\\x needs two hex digits";
              return false;
            }
            term += static_cast<char>(hi * 16 + lo);
            i += 2;
            break;
          }
          default:
            *why = string("unknown escape \\") + e + " (use \\r \\n \\t \\0 \\\\ \\\" \\xNN)";
            return false;
        }
      }
    } else if (s[i] >= 'A' && s[i] <= 'Z') {
      std::size_t j = i;
      while (j < s.size() && ((s[j] >= 'A' && s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9') || s[j] == '_')) ++j;
      const string_view name = s.substr(i, j - i);
      auto it = defines.find(name);
      if (it == defines.end()) {
        *why = "unknown name " + string(name) + " (define it with `define: NAME \"...\"` before the first case)";
        return false;
      }
      term = it->second;
      i = j;
    } else {
      *why = "expected a quoted string or a defined NAME at \"" + string(s.substr(i, 20)) + "\"";
      return false;
    }
    if (i < s.size() && s[i] == '*') {
      std::size_t j = ++i;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      std::size_t count = 0;
      if (!parse_count(s.substr(i, j - i), kMaxValueBytes, &count)) {
        *why = "a repeat needs a decimal count after *";
        return false;
      }
      if (!term.empty() && count > kMaxValueBytes / term.size()) {
        *why = "repeat too large";
        return false;
      }
      string repeated;
      repeated.reserve(term.size() * count);
      for (std::size_t k = 0; k < count; ++k) repeated += term;
      term = std::move(repeated);
      i = j;
    }
    if (i < s.size() && s[i] != ' ') {
      *why = "terms are separated by spaces";
      return false;
    }
    total += term.size();
    if (total > kMaxValueBytes) {
      *why = "value larger than 64 MiB";
      return false;
    }
    terms->push_back(std::move(term));
  }
  if (terms->empty()) {
    *why = "expected at least one quoted string";
    return false;
  }
  return true;
}

// parse_outcome reads `accept` | `incomplete` | `reject STATUS...`.
bool parse_outcome(string_view s, Outcome* out, string* why) {
  std::vector<string_view> words;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) words.push_back(s.substr(i, j - i));
    i = j;
  }
  if (words.empty()) {
    *why = "empty outcome";
    return false;
  }
  Outcome o;
  if (words[0] == "accept" || words[0] == "incomplete") {
    o.kind = words[0] == "accept" ? Outcome::Kind::kAccept : Outcome::Kind::kIncomplete;
    if (words.size() > 1) {
      *why = string(words[0]) + " takes no status";
      return false;
    }
  } else if (words[0] == "reject") {
    o.kind = Outcome::Kind::kReject;
    if (words.size() == 1) {
      *why = "reject needs at least one status (e.g. reject 400)";
      return false;
    }
    for (std::size_t k = 1; k < words.size(); ++k) {
      std::size_t status = 0;
      if (!parse_count(words[k], 599, &status) || status < 100 || words[k].size() != 3) {
        *why = "bad status \"" + string(words[k]) + "\" (three digits, 100-599)";
        return false;
      }
      if (std::find(o.statuses.begin(), o.statuses.end(), static_cast<int>(status)) != o.statuses.end()) {
        *why = "status " + string(words[k]) + " listed twice";
        return false;
      }
      o.statuses.push_back(static_cast<int>(status));
    }
  } else {
    *why = "unknown outcome \"" + string(words[0]) + "\" (accept, reject STATUS..., incomplete)";
    return false;
  }
  *out = std::move(o);
  return true;
}

// covers tells whether `strict` is one of the outcomes `allowed` permits: the
// same kind and, for a reject, statuses among the allowed ones.
bool covers(const Outcome& allowed, const Outcome& strict) {
  if (allowed.kind != strict.kind) return false;
  return std::all_of(strict.statuses.begin(), strict.statuses.end(), [&](int s) {
    return std::find(allowed.statuses.begin(), allowed.statuses.end(), s) != allowed.statuses.end();
  });
}

bool ambiguous(const std::vector<Outcome>& allowed) {
  return allowed.size() > 1 || (allowed.size() == 1 && allowed[0].statuses.size() > 1);
}

// is_response_file: a case file in a directory named "responses".
bool is_response_file(const string& file) { return fs::path(file).parent_path().filename() == kResponseCaseDir; }

// is_token: RFC 9110 §5.6.2 token (a method is one, §9.1).
bool is_token(string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || string_view("!#$%&'*+-.^_`|~").find(c) != string_view::npos;
  });
}

string stem_of(const string& file) {
  string stem = fs::path(file).filename().string();
  constexpr string_view kExt = ".cases";
  if (stem.size() > kExt.size() && stem.ends_with(kExt)) stem.resize(stem.size() - kExt.size());
  return stem;
}

// CaseFileParser reads one file: a header (section, defines), then cases.
class CaseFileParser {
 public:
  CaseFileParser(string_view text, string file)
      : text_(text),
        file_(std::move(file)),
        response_(is_response_file(file_)),
        stem_((response_ ? string(kResponseCaseDir) + "/" : string()) + stem_of(file_)) {}

  std::optional<std::vector<Case>> parse(string* error) {
    std::size_t pos = 0;
    int line_no = 0;
    while (pos < text_.size()) {
      std::size_t nl = text_.find('\n', pos);
      if (nl == string_view::npos) nl = text_.size();
      const string_view line = text_.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (!read_line(line, line_no)) {
        *error = error_;
        return std::nullopt;
      }
    }
    if (!finish_case()) {
      *error = error_;
      return std::nullopt;
    }
    if (cases_.empty()) {
      *error = file_ + ": no cases";
      return std::nullopt;
    }
    return std::move(cases_);
  }

 private:
  bool fail(int line, const string& why) {
    error_ = file_ + ":" + std::to_string(line) + ": " + why;
    return false;
  }

  bool read_line(string_view line, int n) {
    for (char c : line) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f)
        return fail(n, "control character in the file (write bytes as escapes)");
    }
    const string_view t = trim(line);
    if (t.empty() || t.front() == '#') return true;
    if (t.front() == '[') {
      if (!finish_case()) return false;
      return begin_case(t, n);
    }
    const std::size_t colon = t.find(':');
    if (colon == string_view::npos || colon == 0) return fail(n, "expected `key: value`, `[name]` or `# comment`");
    const string_view key = t.substr(0, colon);
    const string_view value = trim(t.substr(colon + 1));
    if (!std::all_of(key.begin(), key.end(), is_name_char)) return fail(n, "bad key \"" + string(key) + "\"");
    return in_case_ ? case_key(key, value, n) : header_key(key, value, n);
  }

  bool header_key(string_view key, string_view value, int n) {
    if (key == "section") {
      if (!section_.empty()) return fail(n, "section given twice before the first case");
      if (value.empty()) return fail(n, "empty section");
      section_ = value;
      return true;
    }
    if (key == "define") {
      const std::size_t sp = value.find(' ');
      const string_view name = value.substr(0, sp);
      if (!is_define_name(name)) return fail(n, "define: needs a NAME of A-Z, 0-9 and _ (starting with a letter)");
      if (defines_.count(name)) return fail(n, "define " + string(name) + " given twice");
      std::vector<string> terms;
      string why;
      if (sp == string_view::npos || !parse_terms(value.substr(sp + 1), defines_, &terms, &why)) {
        return fail(n, "define " + string(name) + ": " + (why.empty() ? "needs a value" : why));
      }
      string joined;
      for (const string& s : terms) joined += s;
      defines_.emplace(string(name), std::move(joined));
      return true;
    }
    return fail(n, "unknown key \"" + string(key) + "\" before the first case (section, define)");
  }

  bool begin_case(string_view t, int n) {
    if (t.back() != ']' || t.size() < 3) return fail(n, "a case starts with [name]");
    const string_view name = t.substr(1, t.size() - 2);
    if (!std::all_of(name.begin(), name.end(), is_name_char) || !std::isalnum(static_cast<unsigned char>(name[0]))) {
      return fail(n, "case name \"" + string(name) + "\": letters, digits, '-', '_' and '.', starting alphanumeric");
    }
    if (!names_.insert(string(name)).second) return fail(n, "duplicate case name \"" + string(name) + "\"");
    in_case_ = true;
    current_ = Case{};
    current_.id = stem_ + "/" + string(name);
    current_.file = file_;
    current_.line = n;
    current_.response = response_;
    seen_.clear();
    has_input_ = false;
    has_expect_ = false;
    has_strict_ = false;
    return true;
  }

  // once records a key that may appear only once per case.
  bool once(string_view key, int n) {
    if (!seen_.insert(string(key)).second) return fail(n, string(key) + ": given twice in one case");
    return true;
  }

  ExpectedMessage& message(std::size_t index) {
    if (current_.expected.size() < index) current_.expected.resize(index);
    return current_.expected[index - 1];
  }

  bool text_value(string_view value, int n, string_view key, string* out) {
    if (value.empty()) return fail(n, string(key) + ": empty value");
    if (value.front() != '"') {
      *out = value;
      return true;
    }
    std::vector<string> terms;
    string why;
    if (!parse_terms(value, defines_, &terms, &why)) return fail(n, string(key) + ": " + why);
    out->clear();
    for (const string& s : terms) *out += s;
    return true;
  }

  bool field_value(string_view value, int n, string_view key, std::optional<std::vector<Field>>* list) {
    if (value == "none") {
      if (*list && !(*list)->empty()) return fail(n, string(key) + ": none after fields");
      if (!once(key, n)) return false;
      *list = std::vector<Field>{};
      return true;
    }
    if (seen_.count(string(key))) return fail(n, string(key) + ": fields after none");
    std::vector<string> terms;
    string why;
    if (!parse_terms(value, defines_, &terms, &why)) return fail(n, string(key) + ": " + why);
    if (terms.size() != 2) return fail(n, string(key) + ": needs two quoted strings, \"name\" \"value\"");
    if (!*list) *list = std::vector<Field>{};
    (*list)->emplace_back(std::move(terms[0]), std::move(terms[1]));
    return true;
  }

  bool case_key(string_view key, string_view value, int n) {
    if (key == "section" || key == "rule" || key == "why" || key == "smuggling") {
      if (!once(key, n)) return false;
      if (value.empty()) return fail(n, string(key) + ": empty value");
      if (key == "section") current_.section = value;
      if (key == "why") current_.why = value;
      if (key == "rule") {
        // R-<section>-<n>, as docs/requirements.md numbers its rows.
        const bool ok = value.size() > 4 && value.starts_with("R-") && value.find_last_of('-') > 2 &&
                        std::all_of(value.begin() + 2, value.end(),
                                    [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == '-'; });
        if (!ok) return fail(n, "rule: expected a catalog id such as R-5.1-1");
        current_.rule = value;
      }
      if (key == "smuggling") {
        auto classes = smuggling_classes();
        if (std::none_of(classes.begin(), classes.end(), [&](const SmugglingClass& c) { return c.name == value; })) {
          return fail(n, "smuggling: unknown class \"" + string(value) + "\" (see docs/requirements.md)");
        }
        current_.smuggling = value;
      }
      return true;
    }
    if (key == "input") {
      std::vector<string> terms;
      string why;
      if (!parse_terms(value, defines_, &terms, &why)) return fail(n, "input: " + why);
      for (const string& s : terms) current_.input += s;
      if (current_.input.size() > kMaxValueBytes) return fail(n, "input: larger than 64 MiB");
      has_input_ = true;
      return true;
    }
    if (key == "expect") {
      if (!once(key, n)) return false;
      std::size_t start = 0;
      for (;;) {
        const std::size_t bar = value.find('|', start);
        Outcome o;
        string why;
        if (!parse_outcome(value.substr(start, bar == string_view::npos ? bar : bar - start), &o, &why)) {
          return fail(n, "expect: " + why);
        }
        for (const Outcome& prev : current_.allowed) {
          if (prev.kind == o.kind) return fail(n, "expect: " + to_string(o) + " listed twice (merge the statuses)");
        }
        current_.allowed.push_back(std::move(o));
        if (bar == string_view::npos) break;
        start = bar + 1;
      }
      has_expect_ = true;
      return true;
    }
    if (key == "strict") {
      if (!once(key, n)) return false;
      string why;
      if (value.find('|') != string_view::npos) return fail(n, "strict: names one outcome");
      if (!parse_outcome(value, &current_.strict, &why)) return fail(n, "strict: " + why);
      if (current_.strict.statuses.size() > 1) return fail(n, "strict: names one status");
      has_strict_ = true;
      strict_line_ = n;
      return true;
    }
    if (key == "error") {
      // An http1::Error's name, checked by the parser's own test: the loader
      // knows no parser, so it only reads an identifier.
      if (!once(key, n)) return false;
      if (value.empty() || !std::all_of(value.begin(), value.end(),
                                        [](char c) { return std::isalnum(static_cast<unsigned char>(c)); })) {
        return fail(n, "error: expected an http1::Error name such as BareCR");
      }
      current_.error = value;
      error_line_ = n;
      return true;
    }
    if (key == "requests") {
      if (!response_) return fail(n, "requests: only in response cases (conformance/cases/responses/)");
      if (!once(key, n)) return false;
      for (std::size_t i = 0; i < value.size();) {
        std::size_t j = value.find(' ', i);
        if (j == string_view::npos) j = value.size();
        const string_view method = value.substr(i, j - i);
        if (!method.empty()) {
          if (!is_token(method)) return fail(n, "requests: \"" + string(method) + "\" is not a method (a token)");
          current_.requests.emplace_back(method);
        }
        i = j + 1;
      }
      if (current_.requests.empty()) return fail(n, "requests: needs at least one method, e.g. GET HEAD");
      return true;
    }
    if (key == "messages") {
      if (!once(key, n)) return false;
      std::size_t count = 0, most = 0;
      const std::size_t dots = value.find("..");
      if (dots == string_view::npos) {
        if (!parse_count(value, kMaxMessageIndex, &count)) return fail(n, "messages: expected a number or A..B");
        current_.messages = count;
        return true;
      }
      if (!parse_count(value.substr(0, dots), kMaxMessageIndex, &count) ||
          !parse_count(value.substr(dots + 2), kMaxMessageIndex, &most) || most <= count) {
        return fail(n, "messages: a range is A..B with A < B");
      }
      current_.messages = count;
      current_.messages_max = most;
      return true;
    }
    // <index>.<field>
    const std::size_t dot = key.find('.');
    std::size_t index = 0;
    if (dot == string_view::npos || !parse_count(key.substr(0, dot), kMaxMessageIndex, &index) || index == 0) {
      return fail(n, "unknown key \"" + string(key) + "\"");
    }
    const string_view field = key.substr(dot + 1);
    if (current_.messages && index > current_.messages_max.value_or(*current_.messages)) {
      return fail(n, string(key) + ": message " + std::to_string(index) + " of " +
                         std::to_string(current_.messages_max.value_or(*current_.messages)));
    }
    if ((field == "method" || field == "target") && response_) {
      return fail(n, string(key) + ": a response has no " + string(field) + " (use N.status, N.reason)");
    }
    if ((field == "status" || field == "reason") && !response_) {
      return fail(n, string(key) + ": only in response cases (conformance/cases/responses/)");
    }
    ExpectedMessage& m = message(index);
    if (field == "status") {
      if (!once(key, n)) return false;
      std::size_t status = 0;
      if (value.size() != 3 || !parse_count(value, 599, &status) || status < 100) {
        return fail(n, string(key) + ": a status code, 100-599 (RFC 9110 §15)");
      }
      m.status = static_cast<int>(status);
      return true;
    }
    std::optional<string>* text = field == "method"    ? &m.method
                                  : field == "target"  ? &m.target
                                  : field == "reason"  ? &m.reason
                                  : field == "version" ? &m.version
                                  : field == "body"    ? &m.body
                                                       : nullptr;
    if (text) {
      if (!once(key, n)) return false;
      string s;
      if (!text_value(value, n, key, &s)) return false;
      *text = std::move(s);
      return true;
    }
    if (field == "header") return field_value(value, n, key, &m.headers);
    if (field == "trailer") return field_value(value, n, key, &m.trailers);
    if (field == "keep-alive") {
      if (!once(key, n)) return false;
      if (value != "true" && value != "false") return fail(n, string(key) + ": true or false");
      m.keep_alive = value == "true";
      return true;
    }
    return fail(n, "unknown key \"" + string(key) + "\"");
  }

  bool finish_case() {
    if (!in_case_) return true;
    const int n = current_.line;
    if (current_.section.empty()) current_.section = section_;
    if (current_.section.empty()) return fail(n, "no section: (give one before the first case or in the case)");
    if (current_.why.empty()) return fail(n, "no why: (every case says in one line why)");
    if (!has_input_) return fail(n, "no input:");
    if (!has_expect_) return fail(n, "no expect:");
    if (has_strict_) {
      const bool among = std::any_of(current_.allowed.begin(), current_.allowed.end(),
                                     [&](const Outcome& a) { return covers(a, current_.strict); });
      if (!among) {
        return fail(strict_line_, "strict: " + to_string(current_.strict) + " is not among the allowed outcomes");
      }
    } else if (ambiguous(current_.allowed)) {
      return fail(n, "strict: is required when expect: allows a choice");
    } else {
      current_.strict = current_.allowed[0];
    }
    if (response_) {
      // A client has one answer to a response it cannot use: 502.
      for (const Outcome& o : current_.allowed) {
        if (o.kind == Outcome::Kind::kReject && o.statuses != std::vector<int>{kResponseRejectStatus}) {
          return fail(n, "expect: a response case rejects with 502 only (RFC 9110 §15.6.3)");
        }
      }
      if (current_.requests.empty()) current_.requests = {"GET"};
    }
    if (!current_.error.empty() && current_.strict.kind != Outcome::Kind::kReject) {
      return fail(error_line_, "error: only with a strict reject");
    }
    if (current_.messages && current_.expected.size() > current_.messages_max.value_or(*current_.messages)) {
      return fail(n, "more expected messages than messages:");
    }
    cases_.push_back(std::move(current_));
    in_case_ = false;
    return true;
  }

  string_view text_;
  string file_;
  bool response_;  // a response case file
  string stem_;
  string error_;
  string section_;
  Defines defines_;
  std::set<string> names_;
  std::vector<Case> cases_;
  // The case being read.
  bool in_case_ = false;
  Case current_;
  std::set<string> seen_;
  bool has_input_ = false;
  bool has_expect_ = false;
  bool has_strict_ = false;
  int strict_line_ = 0;
  int error_line_ = 0;
};

bool matches_kind(const Outcome& o, const ParseOutcome& p) {
  switch (o.kind) {
    case Outcome::Kind::kAccept:
      return p.ok() && !p.incomplete;
    case Outcome::Kind::kIncomplete:
      return p.ok() && p.incomplete;
    case Outcome::Kind::kReject:
      return !p.ok() && std::find(o.statuses.begin(), o.statuses.end(), p.error->status) != o.statuses.end();
  }
  return false;
}

// matches_kind_any: the outcome is one the case allows, statuses included.
bool matches_kind_any(const Case& c, const ParseOutcome& p) {
  return std::any_of(c.allowed.begin(), c.allowed.end(), [&](const Outcome& o) { return matches_kind(o, p); });
}

string render_fields(const std::vector<Field>& fields) {
  if (fields.empty()) return "none";
  string s;
  for (const Field& f : fields) {
    if (!s.empty()) s += ", ";
    s += escape(f.first) + " " + escape(f.second);
  }
  return s;
}

// message_difference compares the complete messages with the case's
// expectations; "" when they agree. For a reject, only the messages
// completed before the error are compared.
string message_difference(const Case& c, const ParseOutcome& p) {
  const std::size_t got = p.messages.size();
  if (c.messages && (got < *c.messages || got > c.messages_max.value_or(*c.messages))) {
    return std::to_string(got) + " complete message(s), want " + std::to_string(*c.messages) +
           (c.messages_max ? " to " + std::to_string(*c.messages_max) : "");
  }
  for (std::size_t i = 0; i < c.expected.size(); ++i) {
    const string at = "message " + std::to_string(i + 1) + ": ";
    if (i >= got) {
      if (!p.ok()) break;
      return at + "missing (" + std::to_string(got) + " complete)";
    }
    const ExpectedMessage& want = c.expected[i];
    const Message& m = p.messages[i];
    auto text = [&](const char* what, const std::optional<string>& w, const string& g) -> string {
      if (!w || *w == g) return "";
      return at + what + " " + escape(g) + ", want " + escape(*w);
    };
    if (want.status && *want.status != m.status) {
      return at + "status " + std::to_string(m.status) + ", want " + std::to_string(*want.status);
    }
    for (string d : {text("method", want.method, m.method), text("target", want.target, m.target),
                     text("reason", want.reason, m.reason), text("version", want.version, m.version),
                     text("body", want.body, m.body)}) {
      if (!d.empty()) return d;
    }
    if (want.headers && *want.headers != m.headers) {
      return at + "headers " + render_fields(m.headers) + ", want " + render_fields(*want.headers);
    }
    if (want.trailers && *want.trailers != m.trailers) {
      return at + "trailers " + render_fields(m.trailers) + ", want " + render_fields(*want.trailers);
    }
    if (want.keep_alive && *want.keep_alive != m.keep_alive) {
      return at + "keep-alive " + (m.keep_alive ? "true" : "false") + ", want " + (*want.keep_alive ? "true" : "false");
    }
  }
  return "";
}

// message_difference_before compares only the messages completed before a
// reject (the count is the accepting parser's, so it is not compared).
string message_difference_before(const Case& c, const ParseOutcome& p) {
  Case before = c;
  before.messages.reset();
  before.messages_max.reset();
  return message_difference(before, p);
}

// first_head: the head of the case's first request (after the empty lines
// a server skips), up to its empty line or the end.
string_view first_head(const Case& c) {
  string_view in = c.input;
  while (in.starts_with("\r\n")) in.remove_prefix(2);
  return in.substr(0, in.find("\r\n\r\n"));
}

bool iequals(string_view a, string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

string allowed_list(const Case& c) {
  string s;
  for (const Outcome& o : c.allowed) {
    if (!s.empty()) s += " | ";
    s += to_string(o);
  }
  return s;
}

void put_escaped(string& out, unsigned char c) {
  constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\r':
      out += "\\r";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '"':
      out += "\\\"";
      return;
    default:
      if (c < 0x20 || c >= 0x7f) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
      } else {
        out += static_cast<char>(c);
      }
  }
}

}  // namespace

std::span<const SmugglingClass> smuggling_classes() { return kSmugglingClasses; }

std::optional<std::vector<Case>> parse_cases(string_view text, const string& file, string* error) {
  string ignored;
  return CaseFileParser(text, file).parse(error ? error : &ignored);
}

std::optional<std::vector<Case>> load_cases(const string& path, string* error) {
  string ignored;
  if (!error) error = &ignored;
  std::vector<string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(path, ec)) {
      if (e.path().extension() == ".cases") files.push_back(e.path().string());
    }
    if (ec) {
      *error = path + ": " + ec.message();
      return std::nullopt;
    }
    if (files.empty()) {
      *error = path + ": no *.cases files";
      return std::nullopt;
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  std::vector<Case> all;
  std::set<string> ids;
  for (const string& file : files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      *error = file + ": cannot read";
      return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto cases = parse_cases(text.str(), file, error);
    if (!cases) return std::nullopt;
    for (Case& c : *cases) {
      if (!ids.insert(c.id).second) {
        *error = file + ":" + std::to_string(c.line) + ": duplicate case id " + c.id;
        return std::nullopt;
      }
      all.push_back(std::move(c));
    }
  }
  return all;
}

std::optional<std::vector<Case>> load_all_cases(const string& dir, string* error) {
  auto all = load_cases(dir, error);
  std::error_code ec;
  const fs::path responses = fs::path(dir) / kResponseCaseDir;
  if (!all || !fs::is_directory(responses, ec)) return all;
  auto more = load_cases(responses.string(), error);
  if (!more) return std::nullopt;
  for (Case& c : *more) all->push_back(std::move(c));
  return all;
}

Verdict judge(const Case& c, const ParseOutcome& outcome, string* why) {
  string ignored;
  if (!why) why = &ignored;
  why->clear();
  const bool strict = matches_kind(c.strict, outcome);
  const bool allowed =
      std::any_of(c.allowed.begin(), c.allowed.end(), [&](const Outcome& o) { return matches_kind(o, outcome); });
  if (!allowed) {
    // A valid request declined as not implemented (or for want of a
    // Content-Length): allowed, by the rule live mode applies too.
    string declined;
    const bool accept_allowed = std::any_of(c.allowed.begin(), c.allowed.end(),
                                            [](const Outcome& o) { return o.kind == Outcome::Kind::kAccept; });
    if (accept_allowed && !outcome.ok() &&
        declined_request(c, outcome.messages.size(), outcome.error->status, &declined)) {
      if (string d = message_difference_before(c, outcome); !d.empty()) {
        *why = "got " + describe(outcome) + ": " + d;
        return Verdict::kFail;
      }
      *why = "got " + describe(outcome) + ": " + declined + " (allowed; the strict profile takes " +
             to_string(c.strict) + ")";
      return Verdict::kAllowed;
    }
    *why = "got " + describe(outcome) + "; the RFC allows " + allowed_list(c);
    return Verdict::kFail;
  }
  if (string d = message_difference(c, outcome); !d.empty()) {
    *why = "got " + describe(outcome) + ": " + d;
    return Verdict::kFail;
  }
  if (strict) return Verdict::kPass;
  *why = "got " + describe(outcome) + "; allowed, but the strict profile takes " + to_string(c.strict);
  return Verdict::kAllowed;
}

string compare_messages(const Case& c, const ParseOutcome& outcome) { return message_difference(c, outcome); }

bool declined_request(const Case& c, std::size_t index, int status, string* why) {
  string ignored;
  if (!why) why = &ignored;
  if (c.response) return false;
  std::optional<string> method;
  if (index < c.expected.size() && c.expected[index].method) method = c.expected[index].method;
  if (!method && index == 0) {
    const string_view head = first_head(c);
    const std::size_t sp = head.find(' ');
    if (sp != string_view::npos && sp > 0) method = string(head.substr(0, sp));
  }
  if (!method) return false;
  if (status == 501) {
    if (*method == "GET" || *method == "HEAD") return false;
    *why = "501 for a " + *method +
           " request: the server may not implement what it needs (RFC 9110 §15.6.2, §9.1; GET and HEAD MUST be "
           "supported)";
    return true;
  }
  if (status == 411 && index == 0) {
    string_view head = first_head(c);
    for (std::size_t at = head.find("\r\n"); at != string_view::npos; at = head.find("\r\n", at + 2)) {
      string_view line = head.substr(at + 2, head.find("\r\n", at + 2) - (at + 2));
      if (iequals(line.substr(0, line.find(':')), "Content-Length")) return false;
    }
    *why = "411 for a request without Content-Length: the server may require one (RFC 9110 §15.5.12)";
    return true;
  }
  return false;
}

string escape(string_view bytes) {
  constexpr std::size_t kMinRun = 16;
  string out;
  string quoted;  // the open quoted term, escaped, without quotes
  bool open = false;
  auto close = [&] {
    if (!open) return;
    if (!out.empty()) out += ' ';
    out += '"' + quoted + '"';
    quoted.clear();
    open = false;
  };
  for (std::size_t i = 0; i < bytes.size();) {
    std::size_t run = 1;
    while (i + run < bytes.size() && bytes[i + run] == bytes[i]) ++run;
    if (run >= kMinRun) {
      close();
      string one;
      put_escaped(one, static_cast<unsigned char>(bytes[i]));
      if (!out.empty()) out += ' ';
      out += '"' + one + "\"*" + std::to_string(run);
      i += run;
      continue;
    }
    open = true;
    put_escaped(quoted, static_cast<unsigned char>(bytes[i]));
    ++i;
  }
  if (open || out.empty()) {
    open = true;
    close();
  }
  return out;
}

string to_string(const Outcome& outcome) {
  switch (outcome.kind) {
    case Outcome::Kind::kAccept:
      return "accept";
    case Outcome::Kind::kIncomplete:
      return "incomplete";
    case Outcome::Kind::kReject:
      break;
  }
  string s = "reject";
  for (int status : outcome.statuses) s += " " + std::to_string(status);
  return s;
}

string describe(const ParseOutcome& outcome) {
  const std::size_t n = outcome.messages.size();
  const string count = std::to_string(n) + (n == 1 ? " message" : " messages");
  if (!outcome.ok()) {
    return "reject " + std::to_string(outcome.error->status) + " (" + outcome.error->reason + ") after " + count;
  }
  if (outcome.incomplete) return "incomplete after " + count;
  return "accept, " + count;
}

string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kAllowed:
      return "allowed";
    case Verdict::kFail:
      return "fail";
  }
  return "fail";
}

std::optional<Verdict> parse_verdict(string_view name) {
  for (Verdict v : {Verdict::kPass, Verdict::kAllowed, Verdict::kFail}) {
    if (verdict_name(v) == name) return v;
  }
  return std::nullopt;
}

string format_verdicts(string_view adapter, const CaseVerdicts& verdicts, string_view cases) {
  int counts[3] = {0, 0, 0};
  for (const auto& [id, v] : verdicts) ++counts[static_cast<int>(v)];
  string out;
  out += "# Verdicts of the \"" + string(adapter) + "\" adapter on " + string(cases) + " (format: case.h).\n";
  out += "# pass: the strict profile's outcome; allowed: another outcome the RFC allows; fail: neither.\n";
  out += "# Generated by ./bazelw run //conformance:update_expected; conformance_test compares.\n";
  out += "# pass " + std::to_string(counts[0]) + ", allowed " + std::to_string(counts[1]) + ", fail " +
         std::to_string(counts[2]) + "\n";
  for (const auto& [id, v] : verdicts) out += id + " " + string(verdict_name(v)) + "\n";
  return out;
}

std::optional<CaseVerdicts> parse_verdicts(string_view text, string* error) {
  string ignored;
  if (!error) error = &ignored;
  CaseVerdicts out;
  std::set<string, std::less<>> ids;
  int n = 0;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    string_view line = text.substr(0, nl);
    text = nl == string_view::npos ? string_view() : text.substr(nl + 1);
    ++n;
    if (line.empty() || line.front() == '#') continue;
    const std::size_t sp = line.find(' ');
    std::optional<Verdict> v = sp == string_view::npos ? std::nullopt : parse_verdict(line.substr(sp + 1));
    if (!v || sp == 0) {
      *error = "line " + std::to_string(n) + ": expected \"<id> pass|allowed|fail\"";
      return std::nullopt;
    }
    const string_view id = line.substr(0, sp);
    if (!ids.insert(string(id)).second) {
      *error = "line " + std::to_string(n) + ": " + string(id) + " listed twice";
      return std::nullopt;
    }
    out.emplace_back(string(id), *v);
  }
  return out;
}

string_view failure_name(Failure failure) {
  switch (failure) {
    case Failure::kNone:
      return "";
    case Failure::kAcceptedInvalid:
      return "accepted-invalid";
    case Failure::kFramingDiffers:
      return "framing-differs";
    case Failure::kAnsweredSmuggled:
      return "answered-smuggled";
    case Failure::kKeptOpen:
      return "kept-open";
    case Failure::kWrongStatus:
      return "wrong-status";
    case Failure::kRejectedValid:
      return "rejected-valid";
    case Failure::kStillWaiting:
      return "still-waiting";
    case Failure::kMalformed:
      return "malformed-response";
    case Failure::kNoOutcome:
      return "no-outcome";
  }
  return "";
}

string_view failure_risk(const Case& c, Failure failure) {
  switch (failure) {
    case Failure::kAcceptedInvalid:
      return c.smuggling.empty() ? "none" : "smuggling";
    case Failure::kFramingDiffers:
    case Failure::kAnsweredSmuggled:
    case Failure::kKeptOpen:
      return c.smuggling.empty() ? "desync" : "smuggling";
    case Failure::kNone:
      return "";
    default:
      return "none";
  }
}

Failure classify_failure(const Case& c, const ParseOutcome& p) {
  if (p.error && p.error->status == 0) return Failure::kNoOutcome;
  auto allows = [&](Outcome::Kind kind) {
    return std::any_of(c.allowed.begin(), c.allowed.end(), [&](const Outcome& o) { return o.kind == kind; });
  };
  if (!p.ok()) {
    if (!allows(Outcome::Kind::kReject)) return Failure::kRejectedValid;
    return matches_kind_any(c, p) ? Failure::kFramingDiffers : Failure::kWrongStatus;
  }
  if (!p.incomplete) return allows(Outcome::Kind::kAccept) ? Failure::kFramingDiffers : Failure::kAcceptedInvalid;
  if (allows(Outcome::Kind::kIncomplete)) return Failure::kFramingDiffers;
  return allows(Outcome::Kind::kReject) ? Failure::kStillWaiting : Failure::kFramingDiffers;
}

string rfc_level(string_view level) {
  if (level.empty()) return "";
  if (level.find("MUST") != string_view::npos || level == "DEF") return "MUST";
  if (level.find("MAY") != string_view::npos) return "MAY-choice";
  return "SHOULD";
}

}  // namespace shockwave::conformance
