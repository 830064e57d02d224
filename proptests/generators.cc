#include "proptests/generators.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ostream>

#include "testing/escape.h"

namespace shockwave::proptests {
namespace {

constexpr std::string_view kTchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kUnreserved = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";
constexpr std::string_view kSubDelims = "!$&'()*+,;=";

// Field names with framing or connection meaning: generated fields avoid
// them, so that only the generator's own Host/Connection/CL/TE decide them.
constexpr std::string_view kReserved[] = {"host",   "content-length", "transfer-encoding", "connection",
                                          "expect", "upgrade",        "keep-alive",        "proxy-connection",
                                          "te",     "trailer",        "http2-settings"};

bool reserved_name(std::string_view name) {
  for (std::string_view r : kReserved) {
    if (r.size() != name.size()) continue;
    bool same = true;
    for (std::size_t i = 0; i < r.size() && same; ++i) same = (name[i] | 0x20) == r[i];
    if (same) return true;
  }
  return false;
}

rc::Gen<char> gen_char_of(std::string_view set) {
  return rc::gen::map(rc::gen::inRange<std::size_t>(0, set.size()), [set](std::size_t i) { return set[i]; });
}

rc::Gen<std::string> gen_string_of(std::string_view set, std::size_t min_len, std::size_t max_len) {
  return rc::gen::exec([set, min_len, max_len] {
    const auto n = *rc::gen::inRange<std::size_t>(min_len, max_len + 1);
    return *rc::gen::container<std::string>(n, gen_char_of(set));
  });
}

// pchar = unreserved / pct-encoded / sub-delims / ":" / "@" (RFC 3986 §3.3)
rc::Gen<std::string> gen_pchars(std::size_t max_len) {
  return rc::gen::exec([max_len] {
    const auto n = *rc::gen::inRange<std::size_t>(0, max_len + 1);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
      switch (*rc::gen::inRange(0, 8)) {
        case 0:
          out += *gen_char_of(kSubDelims);
          break;
        case 1:
          out += *rc::gen::element(':', '@');
          break;
        case 2:
          out += '%';
          out += *gen_char_of("0123456789ABCDEFabcdef");
          out += *gen_char_of("0123456789ABCDEFabcdef");
          break;
        default:
          out += *gen_char_of(kUnreserved);
          break;
      }
    }
    return out;
  });
}

// origin-form: absolute-path [ "?" query ]
rc::Gen<std::string> gen_origin_target() {
  return rc::gen::exec([] {
    std::string out;
    const auto segments = *rc::gen::inRange(1, 4);
    for (int i = 0; i < segments; ++i) out += "/" + *gen_pchars(8);
    if (*rc::gen::inRange(0, 3) == 0) out += "?" + *gen_pchars(10);
    return out;
  });
}

// A reg-name host (RFC 3986 §3.2.2) and maybe a port.
rc::Gen<std::string> gen_authority(bool port_required) {
  return rc::gen::exec([port_required] {
    std::string host = *gen_string_of("abcdefghijklmnopqrstuvwxyz0123456789", 1, 8);
    if (*rc::gen::arbitrary<bool>()) host += "." + *gen_string_of("abcdefghijklmnopqrstuvwxyz", 1, 5);
    if (port_required || *rc::gen::arbitrary<bool>()) host += ":" + std::to_string(*rc::gen::inRange(1, 65536));
    return host;
  });
}

// field-value = *field-content: VCHAR / obs-text, with SP/HTAB only inside.
rc::Gen<std::string> gen_field_value(std::size_t max_len) {
  return rc::gen::exec([max_len] {
    const auto n = *rc::gen::inRange<std::size_t>(0, max_len + 1);
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
      const bool inner = i > 0 && i + 1 < n;
      const int kind = *rc::gen::inRange(0, 10);
      if (inner && kind == 0) {
        out += *rc::gen::element(' ', '\t');
      } else if (kind == 1) {
        out += static_cast<char>(*rc::gen::inRange(0x80, 0x100));  // obs-text
      } else {
        out += static_cast<char>(*rc::gen::inRange(0x21, 0x7F));  // VCHAR
      }
    }
    return out;
  });
}

rc::Gen<std::string> gen_ows() { return rc::gen::element<std::string>("", "", " ", "\t", "  ", " \t"); }

GenField plain_field(std::string name, std::string value) {
  return GenField{std::move(name), std::move(value), " ", ""};
}

// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
// (RFC 9112 §7.1.1), generated without BWS; values are tokens or
// quoted-strings.
// llhttp (9.x, strict) rejects a quoted-pair in a quoted value, and any
// extension after one with a token value: llhttp_compatible leaves both out.
rc::Gen<std::string> gen_chunk_extensions(bool llhttp_compatible) {
  return rc::gen::exec([llhttp_compatible] {
    std::string out;
    const auto n = *rc::gen::weightedElement<int>({{4, 0}, {2, 1}, {1, 2}});
    for (int i = 0; i < n; ++i) {
      out += ";" + *gen_token(8);
      const bool last = i + 1 == n;
      switch (*rc::gen::inRange(0, 3)) {
        case 0:
          break;
        case 1:
          if (!llhttp_compatible || last) {
            out += "=" + *gen_token(8);
            break;
          }
          [[fallthrough]];
        default: {
          // quoted-string: qdtext (HTAB, SP, %x21, %x23-5B, %x5D-7E) and quoted-pairs
          out += "=\"";
          const auto len = *rc::gen::inRange(0, 8);
          for (int k = 0; k < len; ++k) {
            if (!llhttp_compatible && *rc::gen::inRange(0, 6) == 0) {
              out += '\\';
              out += static_cast<char>(*rc::gen::inRange(0x21, 0x7F));
            } else {
              out +=
                  *rc::gen::suchThat(rc::gen::inRange<char>(0x20, 0x7F), [](char c) { return c != '"' && c != '\\'; });
            }
          }
          out += '"';
        }
      }
    }
    return out;
  });
}

std::string hex(std::size_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%zx", n);
  return buf;
}

rc::Gen<Chunk> gen_chunk(std::size_t max_size, bool llhttp_compatible = false) {
  return rc::gen::exec([max_size, llhttp_compatible] {
    Chunk c;
    c.data = *gen_string_of_bytes(1, max_size);
    std::string size = hex(c.data.size());
    if (*rc::gen::arbitrary<bool>()) {
      for (char& ch : size) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    c.size_text = std::string(*rc::gen::weightedElement<std::size_t>({{6, 0}, {1, 1}, {1, 2}}), '0') + size;
    c.extensions = *gen_chunk_extensions(llhttp_compatible);
    return c;
  });
}

void append_field(std::string& out, const GenField& f) {
  out += f.name;
  out += ':';
  out += f.before_ows;
  out += f.value;
  out += f.after_ows;
  out += "\r\n";
}

std::string request_line(const GenRequest& r) {
  return r.method + " " + r.target + " HTTP/1." + std::to_string(r.version_minor) + "\r\n";
}

std::string field_lines(const std::vector<GenField>& fields) {
  std::string out;
  for (const GenField& f : fields) append_field(out, f);
  return out;
}

// body_bytes: the message body on the wire (framing included for chunked).
std::string body_bytes(const GenRequest& r) {
  if (r.framing == Framing::kContentLength) return r.body;
  if (r.framing != Framing::kChunked) return {};
  std::string out;
  for (const Chunk& c : r.chunks) out += c.size_text + c.extensions + "\r\n" + c.data + "\r\n";
  out += "0" + r.last_chunk_extensions + "\r\n";
  out += field_lines(r.trailers);
  out += "\r\n";
  return out;
}

std::size_t find_field(const GenRequest& r, std::string_view lower_name) {
  for (std::size_t i = 0; i < r.fields.size(); ++i) {
    if (r.fields[i].name.size() != lower_name.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < lower_name.size() && same; ++k) same = (r.fields[i].name[k] | 0x20) == lower_name[k];
    if (same) return i;
  }
  return r.fields.size();
}

// as_body_carrier: r made an HTTP/1.1 request with Host that may carry a
// body (CONNECT becomes POST), its framing fields removed.
GenRequest as_body_carrier(GenRequest c) {
  c.version_minor = 1;
  if (c.method == "CONNECT" || c.target == "*") {
    c.method = "POST";
    c.target = "/";
  }
  if (find_field(c, "host") == c.fields.size()) c.fields.push_back(plain_field("Host", "example.com"));
  if (c.framing == Framing::kContentLength)
    c.fields.erase(c.fields.begin() + static_cast<std::ptrdiff_t>(find_field(c, "content-length")));
  if (c.framing == Framing::kChunked)
    c.fields.erase(c.fields.begin() + static_cast<std::ptrdiff_t>(find_field(c, "transfer-encoding")));
  c.framing = Framing::kNone;
  c.body.clear();
  c.chunks.clear();
  c.trailers.clear();
  c.last_chunk_extensions.clear();
  return c;
}

GenRequest as_chunked(GenRequest c) {
  c = as_body_carrier(std::move(c));
  c.framing = Framing::kChunked;
  c.fields.push_back(plain_field("Transfer-Encoding", "chunked"));
  return c;
}

}  // namespace

rc::Gen<std::string> gen_string_of_bytes(std::size_t min_len, std::size_t max_len) {
  return rc::gen::exec([min_len, max_len] {
    const auto n = *rc::gen::inRange<std::size_t>(min_len, max_len + 1);
    return *rc::gen::container<std::string>(n, rc::gen::arbitrary<char>());
  });
}

rc::Gen<std::string> gen_token(std::size_t max_len) { return gen_string_of(kTchar, 1, max_len); }

rc::Gen<GenField> gen_field(std::size_t max_value) {
  return rc::gen::exec([max_value] {
    GenField f;
    f.name = *rc::gen::suchThat(gen_token(16), [](const std::string& n) { return !reserved_name(n); });
    f.value = *gen_field_value(max_value);
    f.before_ows = *gen_ows();
    f.after_ows = *gen_ows();
    return f;
  });
}

rc::Gen<GenRequest> gen_request(RequestSpace space) {
  return rc::gen::exec([space] {
    GenRequest r;
    enum Form { kOrigin, kAbsolute, kAuthority, kAsterisk };
    Form form = kOrigin;
    // CONNECT (authority form) closes the connection: not when persistent,
    // and not for llhttp (it hands the connection over to a tunnel).
    form = space.llhttp_compatible || space.persistent
               ? *rc::gen::weightedElement<Form>({{6, kOrigin}, {2, kAbsolute}, {1, kAsterisk}})
               : *rc::gen::weightedElement<Form>({{6, kOrigin}, {2, kAbsolute}, {1, kAuthority}, {1, kAsterisk}});
    if (form == kAuthority) {
      r.method = "CONNECT";
    } else if (form == kAsterisk) {
      r.method = "OPTIONS";
    } else if (space.llhttp_compatible) {
      r.method = *rc::gen::element<std::string>("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE",
                                                "PROPFIND", "MKCOL", "PURGE", "REPORT", "SEARCH");
    } else {
      // Any token; the common ones (HEAD among them: no content in its
      // response) often enough to matter.
      r.method = *rc::gen::weightedOneOf<std::string>(
          {{3, rc::gen::suchThat(gen_token(16), [](const std::string& m) { return m != "CONNECT"; })},
           {1, rc::gen::element<std::string>("GET", "HEAD", "POST", "PUT", "DELETE")}});
    }
    const std::string authority = *gen_authority(form == kAuthority);
    switch (form) {
      case kOrigin:
        r.target = *gen_origin_target();
        break;
      case kAbsolute:
        r.target = "http://" + authority + *gen_origin_target();
        break;
      case kAuthority:
        r.target = authority;
        break;
      case kAsterisk:
        r.target = "*";
        break;
    }
    r.version_minor = *rc::gen::weightedElement<int>({{4, 1}, {1, 0}});
    const bool http11 = r.version_minor == 1;

    // Fields: the generated ones, then Host / Connection / framing at generated places.
    const auto extras = *rc::gen::inRange<std::size_t>(0, space.max_extra_fields + 1);
    for (std::size_t i = 0; i < extras; ++i) r.fields.push_back(*gen_field(24));
    std::vector<GenField> special;
    if (http11 || *rc::gen::arbitrary<bool>()) special.push_back(plain_field("Host", authority));

    if (http11) {
      switch (*rc::gen::inRange(0, space.persistent ? 2 : 3)) {
        case 0:
          r.keep_alive = true;
          break;
        case 1:
          r.keep_alive = true;
          special.push_back(plain_field("Connection", "keep-alive"));
          break;
        default:
          r.keep_alive = false;
          special.push_back(plain_field("Connection", "close"));
          break;
      }
    } else {
      r.keep_alive = space.persistent || *rc::gen::arbitrary<bool>();
      if (r.keep_alive) special.push_back(plain_field("Connection", "keep-alive"));
    }

    if (form == kAuthority) {
      r.framing = Framing::kNone;
    } else if (http11) {
      r.framing = *rc::gen::element(Framing::kNone, Framing::kContentLength, Framing::kChunked);
    } else {
      r.framing = *rc::gen::element(Framing::kNone, Framing::kContentLength);
    }
    if (r.framing == Framing::kContentLength) {
      r.body = *gen_string_of_bytes(0, space.max_body);
      special.push_back(plain_field("Content-Length", std::to_string(r.body.size())));
    } else if (r.framing == Framing::kChunked) {
      special.push_back(plain_field("Transfer-Encoding", "chunked"));
      const auto chunks = *rc::gen::inRange<std::size_t>(0, space.max_chunks + 1);
      const std::size_t per_chunk = std::max<std::size_t>(1, space.max_body / std::max<std::size_t>(1, chunks));
      for (std::size_t i = 0; i < chunks; ++i) {
        r.chunks.push_back(*gen_chunk(per_chunk, space.llhttp_compatible));
        r.body += r.chunks.back().data;
      }
      r.last_chunk_extensions = *gen_chunk_extensions(space.llhttp_compatible);
      const auto trailers = *rc::gen::inRange<std::size_t>(0, space.max_trailers + 1);
      for (std::size_t i = 0; i < trailers; ++i) r.trailers.push_back(*gen_field(16));
    }
    for (GenField& f : special) {
      const auto at = *rc::gen::inRange<std::size_t>(0, r.fields.size() + 1);
      r.fields.insert(r.fields.begin() + static_cast<std::ptrdiff_t>(at), std::move(f));
    }
    return r;
  });
}

namespace {

// sample: n values of `gen` outside any property, one split of a Random
// seeded with `seed` each, so that the i-th value depends on seed and i only.
template <typename T>
std::vector<T> sample(const rc::Gen<T>& gen, std::size_t n, std::uint64_t seed, int size) {
  rc::Random random(seed);
  std::vector<T> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(gen(random.split(), size).value());
  return out;
}

}  // namespace

std::vector<GenRequest> sample_requests(std::size_t n, std::uint64_t seed, RequestSpace space, int size) {
  return sample(gen_request(space), n, seed, size);
}

std::string serialize(const GenRequest& r) { return request_line(r) + field_lines(r.fields) + "\r\n" + body_bytes(r); }

conformance::Message expected_message(const GenRequest& r) {
  conformance::Message m;
  m.method = r.method;
  m.target = r.target;
  m.version = "HTTP/1." + std::to_string(r.version_minor);
  for (const GenField& f : r.fields) m.headers.emplace_back(f.name, f.value);
  for (const GenField& f : r.trailers) m.trailers.emplace_back(f.name, f.value);
  m.body = r.body;
  m.keep_alive = r.keep_alive;
  return m;
}

// ---------------------------------------------------------------------------
// Mutations: each breaks exactly one rule of a valid request.

rc::Gen<Mutant> gen_mutant(RequestSpace space) {
  return rc::gen::exec([space] {
    GenRequest r = *gen_request(space);
    // Most rules need at least one ordinary field line to break.
    if (r.fields.empty() || reserved_name(r.fields.back().name)) r.fields.push_back(*gen_field(24));
    GenField& victim = r.fields[*rc::gen::inRange<std::size_t>(0, r.fields.size())];
    const std::string line = request_line(r);
    const std::string body = body_bytes(r);
    auto with_fields = [&](const std::vector<GenField>& fields, std::string_view after = "\r\n") {
      return line + field_lines(fields) + std::string(after) + body;
    };

    enum Rule {
      kBareLfRequestLine,
      kBareLfField,
      kBareCrInValue,
      kSpaceBeforeColon,
      kObsFold,
      kNulInValue,
      kCtlInValue,
      kInvalidNameChar,
      kWhitespaceBeforeFirstField,
      kDuplicateContentLength,
      kContentLengthWithChunked,
      kBadChunkSize,
      kChunkDataNoCrlf,
      kMissingHost,
      kDuplicateHost,
      kUnsupportedVersion,
      kMethodTooLong,
      kTransferEncodingInHttp10,
      kUnknownCoding,
      kChunkedNotFinal,
      kBadContentLength,
      kRuleCount
    };
    const Rule rule = static_cast<Rule>(*rc::gen::inRange<int>(0, kRuleCount));
    Mutant m;
    m.method = r.method;
    switch (rule) {
      case kBareLfRequestLine:
        m.rule = "bare LF ends the request-line (RFC 9112 §2.2)";
        m.method.clear();
        m.bytes = line.substr(0, line.size() - 2) + "\n" + with_fields(r.fields).substr(line.size());
        break;
      case kBareLfField: {
        m.rule = "bare LF ends a field line (RFC 9112 §2.2)";
        std::string fields = field_lines(r.fields);
        const std::size_t crlf = fields.find("\r\n");
        fields.erase(crlf, 1);
        m.bytes = line + fields + "\r\n" + body;
        break;
      }
      case kBareCrInValue:
        m.rule = "bare CR inside a field value (RFC 9112 §2.2)";
        victim.value = "a\rb" + victim.value;
        m.bytes = with_fields(r.fields);
        break;
      case kSpaceBeforeColon:
        m.rule = "whitespace between field name and colon (RFC 9112 §5.1)";
        m.smuggling = "whitespace-before-colon";
        victim.name += *rc::gen::element<std::string>(" ", "\t");
        m.bytes = with_fields(r.fields);
        break;
      case kObsFold:
        m.rule = "obs-fold in a field value (RFC 9112 §5.2)";
        victim.value = "a" + *rc::gen::element<std::string>("\r\n ", "\r\n\t") + "b" + victim.value;
        m.bytes = with_fields(r.fields);
        break;
      case kNulInValue:
        m.rule = "NUL in a field value (RFC 9110 §5.5)";
        victim.value = std::string("a") + '\0' + "b" + victim.value;
        m.bytes = with_fields(r.fields);
        break;
      case kCtlInValue:
        m.rule = "control character in a field value (RFC 9110 §5.5)";
        victim.value = std::string("a") + *rc::gen::element('\x01', '\x0b', '\x1f', '\x7f') + "b" + victim.value;
        m.bytes = with_fields(r.fields);
        break;
      case kInvalidNameChar:
        m.rule = "field name is not a token (RFC 9110 §5.1)";
        victim.name += *rc::gen::element('@', '(', '"', '/', '[', '{', static_cast<char>(0x80));
        victim.name += "x";
        m.bytes = with_fields(r.fields);
        break;
      case kWhitespaceBeforeFirstField: {
        m.rule = "whitespace before the first field line (RFC 9112 §2.2)";
        m.smuggling = "whitespace-led-first-field";
        m.bytes = line + *rc::gen::element<std::string>(" ", "\t") + field_lines(r.fields) + "\r\n" + body;
        break;
      }
      case kDuplicateContentLength: {
        m.rule = "two different Content-Length values (RFC 9112 §6.3 item 5)";
        m.smuggling = "duplicate-content-length";
        const std::size_t n = r.framing == Framing::kContentLength ? r.body.size() : 0;
        std::vector<GenField> fields = r.fields;
        fields.push_back(plain_field("Content-Length", std::to_string(n)));
        fields.push_back(plain_field("Content-Length", std::to_string(n + 1)));
        if (r.framing == Framing::kContentLength)
          fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(find_field(r, "content-length")));
        if (r.framing == Framing::kChunked)
          fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(find_field(r, "transfer-encoding")));
        m.bytes = line + field_lines(fields) + "\r\n" + std::string(n, 'x') + std::string(1, 'x');
        break;
      }
      case kContentLengthWithChunked: {
        m.rule = "Content-Length together with Transfer-Encoding (RFC 9112 §6.1)";
        m.smuggling = "CL.TE";
        GenRequest c = as_chunked(r);
        const std::size_t at = *rc::gen::inRange<std::size_t>(0, c.fields.size() + 1);
        c.fields.insert(c.fields.begin() + static_cast<std::ptrdiff_t>(at),
                        plain_field("Content-Length", std::to_string(body_bytes(c).size())));
        m.bytes = serialize(c);
        break;
      }
      case kBadChunkSize:
      case kChunkDataNoCrlf: {
        GenRequest c = r.framing == Framing::kChunked ? r : as_chunked(r);
        c.chunks.insert(c.chunks.begin(), *gen_chunk(8));
        if (rule == kBadChunkSize) {
          m.rule = "chunk-size is not 1*HEXDIG (RFC 9112 §7.1)";
          c.chunks[0].size_text = *rc::gen::element<std::string>("g", "-1", "0x1", "+1", " 1", "", "11111111111111111");
          const std::size_t digits = c.chunks[0].size_text.size();
          m.smuggling = digits == 0 ? "empty-chunk-size" : digits > 16 ? "chunk-size-overflow" : "lax-chunk-size";
        } else {
          m.rule = "chunk-data not followed by CRLF (RFC 9112 §7.1)";
          m.smuggling = "chunk-data-mismatch";
          c.chunks[0].data += "z";  // one byte more than chunk-size says
          c.chunks[0].data += "z";
        }
        m.bytes = serialize(c);
        break;
      }
      case kMissingHost: {
        m.rule = "HTTP/1.1 request without Host (RFC 9112 §3.2)";
        std::vector<GenField> fields = r.fields;
        const std::size_t host = find_field(r, "host");
        if (host < fields.size()) fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(host));
        GenRequest c = r;
        c.version_minor = 1;
        c.fields = fields;
        m.bytes = serialize(c);
        break;
      }
      case kDuplicateHost: {
        m.rule = "more than one Host field (RFC 9112 §3.2)";
        std::vector<GenField> fields = r.fields;
        fields.push_back(plain_field("Host", "example.com"));
        if (find_field(r, "host") == r.fields.size()) fields.push_back(plain_field("host", "example.org"));
        m.bytes = with_fields(fields);
        break;
      }
      case kUnsupportedVersion: {
        m.rule = "HTTP major version other than 1 (RFC 9110 §15.6.6)";
        m.status = 505;
        m.method.clear();
        const std::string version = *rc::gen::element<std::string>("HTTP/2.0", "HTTP/3.0", "HTTP/0.9", "HTTP/9.9");
        m.bytes = r.method + " " + r.target + " " + version + "\r\n" + field_lines(r.fields) + "\r\n" + body;
        break;
      }
      case kMethodTooLong: {
        m.rule = "method longer than any implemented (RFC 9112 §3)";
        m.status = 501;
        m.method.clear();
        GenRequest c = r;
        c.method = *gen_string_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 33, 64);
        if (c.target == "*" || c.method == "CONNECT") c.target = "/";
        m.bytes = serialize(c);
        break;
      }
      case kTransferEncodingInHttp10: {
        m.rule = "Transfer-Encoding in an HTTP/1.0 request (RFC 9112 §6.1)";
        GenRequest c = as_chunked(r);
        c.version_minor = 0;
        m.bytes = serialize(c);
        break;
      }
      case kUnknownCoding: {
        m.rule = "a transfer coding other than chunked (RFC 9112 §6.1: 501)";
        m.smuggling = "unknown-coding-as-chunked";
        m.status = 501;
        GenRequest c = as_body_carrier(r);
        c.framing = Framing::kChunked;
        c.fields.push_back(
            plain_field("Transfer-Encoding",
                        *rc::gen::element<std::string>("gzip, chunked", "deflate,chunked", "x-custom, chunked")));
        m.bytes = serialize(c);
        break;
      }
      case kChunkedNotFinal: {
        m.rule = "chunked is not the final transfer coding (RFC 9112 §6.3 item 4)";
        m.smuggling = "chunked-not-final";
        GenRequest c = as_body_carrier(r);
        c.fields.push_back(plain_field("Transfer-Encoding", *rc::gen::element<std::string>("chunked, gzip", "gzip")));
        m.bytes = serialize(c);
        break;
      }
      case kBadContentLength: {
        m.rule = "Content-Length is not 1*DIGIT (RFC 9110 §8.6)";
        m.smuggling = "lax-content-length";
        std::vector<GenField> fields = r.fields;
        if (r.framing == Framing::kContentLength)
          fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(find_field(r, "content-length")));
        if (r.framing == Framing::kChunked)
          fields.erase(fields.begin() + static_cast<std::ptrdiff_t>(find_field(r, "transfer-encoding")));
        fields.push_back(
            plain_field("Content-Length", *rc::gen::element<std::string>("-1", "1x", "0x10", "+5", "1 2", "1,2", "")));
        m.bytes = line + field_lines(fields) + "\r\n";
        break;
      }
      case kRuleCount:
        break;
    }
    return m;
  });
}

std::vector<Mutant> sample_mutants(std::size_t n, std::uint64_t seed, int size, RequestSpace space) {
  return sample(gen_mutant(space), n, seed, size);
}

rc::Gen<std::vector<std::size_t>> gen_split_points(std::size_t size) {
  return rc::gen::exec([size] {
    std::vector<std::size_t> cuts;
    if (size < 2) return cuts;
    const auto n = *rc::gen::inRange<std::size_t>(0, std::min<std::size_t>(size, 24));
    for (std::size_t i = 0; i < n; ++i) cuts.push_back(*rc::gen::inRange<std::size_t>(1, size));
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    return cuts;
  });
}

void showValue(const GenRequest& request, std::ostream& os) { os << '"' << testing::escape(serialize(request)) << '"'; }

void showValue(const Mutant& mutant, std::ostream& os) {
  os << mutant.rule << " -> " << mutant.status << ": \"" << testing::escape(mutant.bytes) << '"';
}

}  // namespace shockwave::proptests
