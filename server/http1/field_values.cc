#include "server/http1/field_values.h"

#include "server/http1/char_class.h"

namespace shockwave::http1 {
namespace {

using std::string_view;

// valid_transfer_parameters checks `*( OWS ";" OWS transfer-parameter )`,
// `transfer-parameter = token BWS "=" BWS ( token / quoted-string )` (RFC
// 9112 §6.1, RFC 9110 §5.6.4, §5.6.6), given without the leading OWS. List
// elements are split at every comma, so a quoted comma makes the element
// malformed: strict, and no real coding needs one.
bool valid_transfer_parameters(string_view s) {
  auto skip_ows = [&s] {
    while (!s.empty() && chars::is_ows(s.front())) s.remove_prefix(1);
  };
  auto take_token = [&s] {
    std::size_t n = 0;
    while (n < s.size() && chars::is_tchar(s[n])) ++n;
    s.remove_prefix(n);
    return n > 0;
  };
  while (!s.empty()) {
    if (s.front() != ';') return false;
    s.remove_prefix(1);
    skip_ows();
    if (!take_token()) return false;
    skip_ows();
    if (s.empty() || s.front() != '=') return false;
    s.remove_prefix(1);
    skip_ows();
    if (!s.empty() && s.front() == '"') {  // quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
      std::size_t i = 1;
      for (; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\') ++i;
      }
      if (i >= s.size()) return false;
      s.remove_prefix(i + 1);
    } else if (!take_token()) {
      return false;
    }
    skip_ows();
  }
  return true;
}

}  // namespace

bool parse_content_length(string_view s, std::uint64_t* out) noexcept {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!chars::is_digit(c)) return false;
    const unsigned d = static_cast<unsigned>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

Error FramingFields::on_transfer_encoding(string_view value) noexcept {
  has_transfer_encoding = true;
  // The common value, exactly "chunked" in any case, first in the
  // message: what the general pass below concludes from it.
  if (chunked_count == 0 && !malformed_coding && name_is(value, "chunked")) {
    ++transfer_codings;
    ++chunked_count;
    chunked_final = true;
    return Error::kNone;
  }
  // Every element is read, so the facts are whole; the first error is returned.
  Error first = Error::kNone;
  auto note = [&first](Error e) {
    if (first == Error::kNone) first = e;
  };
  for_each_element(value, [&](string_view element) {
    ++transfer_codings;
    std::size_t n = 0;
    while (n < element.size() && chars::is_tchar(element[n])) ++n;
    const string_view coding = element.substr(0, n);
    const string_view params = trim_ows(element.substr(n));
    const bool chunked = equals_ignore_case(coding, "chunked");
    if (coding.empty() || !valid_transfer_parameters(params)) {
      malformed_coding = true;
      note(Error::kInvalidTransferEncoding);
    } else if (chunked_count > 0) {
      // §6.1: chunked MUST NOT be applied twice, and (in a request) MUST be final.
      note(chunked ? Error::kChunkedTwice : Error::kChunkedNotFinal);
    }
    if (chunked) {
      // §7.1: parameters on chunked are an error.
      if (!params.empty()) {
        malformed_coding = true;
        note(Error::kInvalidTransferEncoding);
      }
      ++chunked_count;
    } else if (!coding.empty()) {
      // §7.2: parameters on the compression codings are an error.
      const bool compression = equals_ignore_case(coding, "gzip") || equals_ignore_case(coding, "deflate") ||
                               equals_ignore_case(coding, "compress");
      if (compression && !params.empty()) {
        malformed_coding = true;
        note(Error::kInvalidTransferEncoding);
      }
      unknown_coding = true;
    }
    chunked_final = chunked;
    return true;
  });
  return first;
}

void FramingFields::on_connection(string_view value) noexcept {
  // The two common values alone, at once.
  if (name_is(value, "keep-alive")) {
    connection_keep_alive = true;
    return;
  }
  if (name_is(value, "close")) {
    connection_close = true;
    return;
  }
  for_each_element(value, [this](string_view option) {
    if (equals_ignore_case(option, "close")) connection_close = true;
    if (equals_ignore_case(option, "keep-alive")) connection_keep_alive = true;
    return true;
  });
}

}  // namespace shockwave::http1
