#include "proptests/raw_client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace shockwave::testing {
namespace {

// find_ignore_case: where `needle` (lower case) starts in `haystack`, or npos.
std::size_t find_ignore_case(std::string_view haystack, std::string_view needle) {
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size()) {
      char a = haystack[i + j];
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if (a != needle[j]) break;
      ++j;
    }
    if (j == needle.size()) return i;
  }
  return std::string_view::npos;
}

}  // namespace

bool RawClient::connect(std::uint16_t port) {
  close();
  failure_ = nullptr;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return fail("socket");
  timeval timeout{10, 0};  // a hung server fails the test instead of hanging it
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) return fail("connect");
  return true;
}

void RawClient::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  len_ = 0;
}

bool RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("send");
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawClient::expect(std::string_view body, bool closing) {
  std::size_t head_end = 0;
  for (;;) {
    const std::size_t at = std::string_view(buffer_, len_).find("\r\n\r\n");
    if (at != std::string_view::npos) {
      head_end = at + 4;
      break;
    }
    if (!fill()) return false;
  }
  const std::string_view head(buffer_, head_end);
  if (!head.starts_with("HTTP/1.1 200 OK\r\n")) return fail("status line is not HTTP/1.1 200 OK");
  if ((find_ignore_case(head, "\r\nconnection: close\r\n") != std::string_view::npos) != closing) {
    return fail(closing ? "no Connection: close" : "unexpected Connection: close");
  }
  constexpr std::string_view kLength = "\r\ncontent-length:";
  std::size_t at = find_ignore_case(head, kLength);
  if (at == std::string_view::npos) return fail("no Content-Length");
  at += kLength.size();
  while (head[at] == ' ') ++at;
  std::size_t length = 0;
  while (head[at] >= '0' && head[at] <= '9') length = length * 10 + static_cast<std::size_t>(head[at++] - '0');
  if (length != body.size()) return fail("Content-Length is not the expected body's");
  while (len_ < head_end + length) {
    if (!fill()) return false;
  }
  if (std::string_view(buffer_ + head_end, length) != body) return fail("body differs");
  const std::size_t used = head_end + length;
  std::memmove(buffer_, buffer_ + used, len_ - used);
  len_ -= used;
  ++responses_;
  return true;
}

bool RawClient::expect_eof() {
  if (len_ != 0) return fail("bytes after the last response");
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_, sizeof buffer_, 0);
    if (n == 0) return true;
    if (n < 0 && errno == EINTR) continue;
    return fail(n > 0 ? "bytes after the last response" : "recv before EOF");
  }
}

bool RawClient::fill() {
  if (len_ == sizeof buffer_) return fail("response larger than the client buffer");
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_ + len_, sizeof buffer_ - len_, 0);
    if (n > 0) {
      len_ += static_cast<std::size_t>(n);
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    return fail(n == 0 ? "connection closed mid-response" : "recv failed (or timed out)");
  }
}

bool RawClient::fail(const char* what) {
  if (failure_ == nullptr) failure_ = what;
  return false;
}

}  // namespace shockwave::testing
