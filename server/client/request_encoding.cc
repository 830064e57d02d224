#include "server/client/request_encoding.h"

#include <charconv>
#include <cstring>

#include "server/http1/char_class.h"

namespace shockwave::client_detail {
namespace {

// A request-target is written between two SPs: no SP, no control (RFC 9112
// §3.2 forms are the caller's business; framing is ours).
bool target_ok(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return false;
  }
  return true;
}

// Methods whose requests carry content by definition: Content-Length: 0 is
// sent even for an empty body (RFC 9110 §8.6: a user agent SHOULD send it
// when the method defines a meaning for enclosed content).
bool expects_content(std::string_view method) noexcept {
  return method == "POST" || method == "PUT" || method == "PATCH";
}

class Writer {
 public:
  explicit Writer(std::span<char> out) noexcept : out_(out) {}
  void put(std::string_view s) noexcept {
    if (s.size() > out_.size() - used_) {
      overflow_ = true;
      return;
    }
    if (s.empty()) return;  // its data() may be null, which memcpy must not get
    std::memcpy(out_.data() + used_, s.data(), s.size());
    used_ += s.size();
  }
  void put_number(std::size_t n) noexcept {
    char digits[24];
    const auto result = std::to_chars(digits, digits + sizeof digits, n);
    put(std::string_view(digits, static_cast<std::size_t>(result.ptr - digits)));
  }
  std::size_t size() const noexcept { return overflow_ ? 0 : used_; }

 private:
  std::span<char> out_;
  std::size_t used_ = 0;
  bool overflow_ = false;
};

}  // namespace

bool valid_field_value(std::string_view value) noexcept {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

bool valid_request(const ClientRequest& request) noexcept {
  if (!http1::chars::is_token(request.method) || !target_ok(request.target)) return false;
  for (const http1::Header& h : request.headers) {
    if (!http1::chars::is_token(h.name) || !valid_field_value(h.value)) return false;
    // The client owns the framing and the Host (see client.h).
    if (http1::equals_ignore_case(h.name, "host") || http1::equals_ignore_case(h.name, "content-length") ||
        http1::equals_ignore_case(h.name, "transfer-encoding")) {
      return false;
    }
  }
  return true;
}

std::size_t encode_request(const ClientRequest& request, std::string_view host, std::span<char> out) noexcept {
  Writer w(out);
  w.put(request.method);
  w.put(" ");
  w.put(request.target);
  w.put(" HTTP/1.1\r\nHost: ");
  w.put(host);
  w.put("\r\n");
  for (const http1::Header& h : request.headers) {
    w.put(h.name);
    w.put(": ");
    w.put(h.value);
    w.put("\r\n");
  }
  if (!request.body.empty() || expects_content(request.method)) {
    w.put("Content-Length: ");
    w.put_number(request.body.size());
    w.put("\r\n");
  }
  w.put("\r\n");
  w.put(request.body);
  return w.size();
}

}  // namespace shockwave::client_detail
