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

bool peer_went_away(int error) { return error == ECONNRESET || error == EPIPE; }

}  // namespace

bool RawClient::connect(std::uint16_t port) {
  close();
  failure_ = nullptr;
  peer_gone_ = false;
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
  eof_ = false;
}

void RawClient::reset() {
  if (fd_ >= 0) {
    linger abort{1, 0};  // close(2) then sends an RST
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  close();
}

bool RawClient::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n < 0 && peer_went_away(errno)) peer_gone_ = true;
      return fail("send");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawClient::shutdown_write() { return ::shutdown(fd_, SHUT_WR) == 0 || fail("shutdown"); }

bool RawClient::expect(const ExpectedResponse& e) {
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
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]
  const char code[3] = {char('0' + e.status / 100 % 10), char('0' + e.status / 10 % 10), char('0' + e.status % 10)};
  if (!head.starts_with("HTTP/1.1 ") || head.size() < 13 || head.substr(9, 3) != std::string_view(code, 3) ||
      head[12] != ' ') {
    return fail("status line is not HTTP/1.1 with the expected status");
  }
  if ((find_ignore_case(head, "\r\nconnection: close\r\n") != std::string_view::npos) != e.closing) {
    return fail(e.closing ? "no Connection: close" : "unexpected Connection: close");
  }
  const bool chunked = find_ignore_case(head, "\r\ntransfer-encoding: chunked\r\n") != std::string_view::npos;
  constexpr std::string_view kLength = "\r\ncontent-length:";
  std::size_t at = find_ignore_case(head, kLength);
  const bool has_length = at != std::string_view::npos;
  std::size_t length = 0;
  if (has_length) {
    at += kLength.size();
    while (head[at] == ' ') ++at;
    while (head[at] >= '0' && head[at] <= '9') length = length * 10 + static_cast<std::size_t>(head[at++] - '0');
    if (chunked) return fail("both Content-Length and chunked");
    if (length != e.body.size()) return fail("Content-Length is not the expected body's");
  }

  std::size_t used = head_end;  // the response's bytes consumed so far
  const bool no_content = e.head || e.status == 204 || e.status == 304;
  if (no_content) {
    // RFC 9110 §9.3.2, §15.3.5, §15.4.5: the head is the whole response.
  } else if (chunked) {
    // chunk = chunk-size CRLF chunk-data CRLF; last-chunk; no trailers.
    std::size_t offset = 0;  // into e.body
    for (;;) {
      std::size_t crlf = 0;
      if (!line_end(used, &crlf)) return false;
      std::size_t size = 0;
      if (crlf == used) return fail("empty chunk-size");
      for (std::size_t i = used; i < crlf; ++i) {
        const char c = buffer_[i];
        const int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (digit < 0 || size > e.body.size()) return fail("bad chunk-size");
        size = size * 16 + static_cast<std::size_t>(digit);
      }
      used = crlf + 2;
      if (size == 0) {
        if (!need(used + 2)) return false;
        if (std::string_view(buffer_ + used, 2) != "\r\n") return fail("trailer fields or no CRLF after last-chunk");
        used += 2;
        break;
      }
      if (size > e.body.size() - offset) return fail("chunked body longer than expected");
      if (!need(used + size + 2)) return false;
      if (std::string_view(buffer_ + used, size) != e.body.substr(offset, size)) return fail("chunked body differs");
      if (std::string_view(buffer_ + used + size, 2) != "\r\n") return fail("no CRLF after chunk-data");
      used += size + 2;
      offset += size;
    }
    if (offset != e.body.size()) return fail("chunked body shorter than expected");
  } else if (has_length) {
    if (!need(used + length)) return false;
    if (std::string_view(buffer_ + used, length) != e.body) return fail("body differs");
    used += length;
  } else {
    // RFC 9112 §6.3 item 8: the content ends with the connection.
    if (!e.closing) return fail("no framing in a response that keeps the connection");
    for (;;) {
      const long n = read_more();
      if (n == 0) break;
      if (n < 0) return fail("recv failed (or timed out)");
    }
    if (std::string_view(buffer_ + used, len_ - used) != e.body) return fail("close-delimited body differs");
    used = len_;
  }
  std::memmove(buffer_, buffer_ + used, len_ - used);
  len_ -= used;
  ++responses_;
  return true;
}

bool RawClient::expect_eof() {
  if (len_ != 0) return fail("bytes after the last response");
  if (eof_) return true;
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_, sizeof buffer_, 0);
    if (n == 0) {
      eof_ = true;
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && peer_went_away(errno)) peer_gone_ = true;
    return fail(n > 0 ? "bytes after the last response" : "recv before EOF");
  }
}

long RawClient::read_more() {
  if (len_ == sizeof buffer_) return -1;
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_ + len_, sizeof buffer_ - len_, 0);
    if (n > 0) {
      len_ += static_cast<std::size_t>(n);
      return n;
    }
    if (n == 0) {
      eof_ = true;
      peer_gone_ = true;
      return 0;
    }
    if (errno == EINTR) continue;
    if (peer_went_away(errno)) peer_gone_ = true;
    return -1;
  }
}

bool RawClient::fill() {
  if (len_ == sizeof buffer_) return fail("response larger than the client buffer");
  const long n = read_more();
  if (n > 0) return true;
  return fail(n == 0 ? "connection closed mid-response" : "recv failed (or timed out)");
}

bool RawClient::need(std::size_t n) {
  while (len_ < n) {
    if (!fill()) return false;
  }
  return true;
}

bool RawClient::line_end(std::size_t from, std::size_t* at) {
  for (;;) {
    const std::size_t crlf = std::string_view(buffer_, len_).find("\r\n", from);
    if (crlf != std::string_view::npos) {
      *at = crlf;
      return true;
    }
    if (!fill()) return false;
  }
}

bool RawClient::fail(const char* what) {
  if (failure_ == nullptr) failure_ = what;
  return false;
}

}  // namespace shockwave::testing
