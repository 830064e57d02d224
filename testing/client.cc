#include "testing/client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <span>
#include <utility>

#include "gtest/gtest.h"
#include "server/http1/error.h"
#include "testing/escape.h"
#include "testing/strings.h"

namespace shockwave::testing {
namespace {

// The buffer expect reads into; it never grows while expect reads.
constexpr std::size_t kBufferSize = 64 * 1024;

bool peer_went_away(int error) { return error == ECONNRESET || error == EPIPE; }

// head_failure: what is wrong with a response head against `e`, or nullptr.
const char* head_failure(const http1::ResponseHead& head, const ExpectedResponse& e) {
  if (head.version_minor != 1 || head.status != e.status) return "status line is not HTTP/1.1 with the expected status";
  bool closing = false;
  std::string_view content_length;
  for (const http1::Header& f : head.headers) {
    if (iequals(f.name, "connection") && has_token(f.value, "close")) closing = true;
    if (iequals(f.name, "content-length")) content_length = f.value;
  }
  if (closing != e.closing) return e.closing ? "no Connection: close" : "unexpected Connection: close";
  if (!content_length.empty() && !e.any_body) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, e.body.size());
    if (ec != std::errc() || content_length != std::string_view(digits, static_cast<std::size_t>(end - digits))) {
      return "Content-Length is not the expected body's";
    }
  }
  if (head.framing == Framing::kClose && !e.closing) return "no framing in a response that keeps the connection";
  return nullptr;
}

// body_failure: what is wrong with a complete response's body, or nullptr.
const char* body_failure(const http1::ResponseParser& parser, const ExpectedResponse& e) {
  if (!parser.trailers().empty()) return "trailer fields after last-chunk";
  const Framing framing = parser.head().framing;
  if (framing == Framing::kNone || e.any_body || parser.body() == e.body) return nullptr;
  switch (framing) {
    case Framing::kChunked:
      return e.body.starts_with(parser.body()) ? "chunked body shorter than expected" : "chunked body differs";
    case Framing::kClose:
      return "close-delimited body differs";
    default:
      return "body differs";
  }
}

// kMaxFields: the field lines one response may carry (head and trailers).
constexpr std::size_t kMaxFields = 256;

}  // namespace

Client::Client()
    : buffer_(new char[kBufferSize]),
      capacity_(kBufferSize),
      fields_(new http1::Header[kMaxFields]),
      parser_(std::span<http1::Header>(fields_.get(), kMaxFields), response_options()) {}

Client::Client(std::uint16_t port, int receive_buffer) : Client() { connect(port, receive_buffer); }

bool Client::connect(std::uint16_t port, int receive_buffer) {
  close();
  failure_ = nullptr;
  peer_gone_ = false;
  connect_errno_ = 0;
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    connect_errno_ = errno;
    return fail("socket");
  }
  timeval timeout{10, 0};  // a hung server fails the test instead of hanging it
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    connect_errno_ = errno;
    ::close(fd_);
    fd_ = -1;
    return fail("connect");
  }
  return true;
}

void Client::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  len_ = 0;
  eof_ = false;
  parser_ = http1::ResponseParser(std::span<http1::Header>(fields_.get(), kMaxFields), response_options());
}

void Client::reset() {
  if (fd_ >= 0) {
    linger abort{1, 0};  // close(2) then sends an RST
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
  }
  close();
}

bool Client::send(std::string_view bytes) {
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

bool Client::shutdown_write() { return ::shutdown(fd_, SHUT_WR) == 0 || fail("shutdown"); }

bool Client::expect(const ExpectedResponse& e) {
  // The parser resumes where it stopped as bytes arrive; the buffer never
  // moves meanwhile (receive does not grow it here).
  parser_.answers(e.head ? http1::RequestKind::kHead : http1::RequestKind::kOther);
  bool interim_seen = false;
  bool head_checked = false;
  for (;;) {
    const std::span<char> input(buffer_.get(), len_);
    http1::ParseStatus status = parser_.parse(input);
    if (status == http1::ParseStatus::kIncomplete && eof_) status = parser_.finish(input);
    if (status == http1::ParseStatus::kError) return fail(http1::error_reason(parser_.error()).data());
    const http1::ResponseHead& head = parser_.head();
    // The one 100 Continue allowed before the answer (RFC 9110 §15.2.1).
    const bool allowed_continue = e.interim_continue && !interim_seen && head.status == 100 && head.version_minor == 1;
    if (parser_.head_complete() && !head_checked && !allowed_continue) {
      head_checked = true;
      if (const char* failure = head_failure(head, e)) return fail(failure);
    }
    if (status == http1::ParseStatus::kComplete) {
      const std::size_t consumed = parser_.consumed();
      if (allowed_continue) {
        consume(consumed);
        parser_.reset();
        interim_seen = true;
        continue;
      }
      if (const char* failure = body_failure(parser_, e)) return fail(failure);
      consume(consumed);
      parser_.reset();
      ++responses_;
      return true;
    }
    if (eof_) return fail("connection closed mid-response");
    if (len_ == capacity_) return fail("response larger than the client buffer");
    if (receive(/*grow=*/false) < 0) return fail("recv failed (or timed out)");
  }
}

bool Client::expect_eof() {
  if (len_ != 0) return fail("bytes after the last response");
  if (eof_) return true;
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_.get(), capacity_, 0);
    if (n == 0) {
      eof_ = true;
      return true;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && peer_went_away(errno)) peer_gone_ = true;
    return fail(n > 0 ? "bytes after the last response" : "recv before EOF");
  }
}

long Client::receive(bool grow) {
  if (len_ == capacity_) {
    if (!grow) return -1;
    std::unique_ptr<char[]> bigger(new char[capacity_ * 2]);
    std::memcpy(bigger.get(), buffer_.get(), len_);
    buffer_ = std::move(bigger);
    capacity_ *= 2;
  }
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer_.get() + len_, capacity_ - len_, 0);
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

bool Client::read_some(Clock::time_point deadline) {
  if (eof_ || fd_ < 0) return false;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    const long n = receive(/*grow=*/true);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    if (n < 0) eof_ = true;  // a reset: either way the server is gone
    return true;
  }
}

void Client::consume(std::size_t n) {
  std::memmove(buffer_.get(), buffer_.get() + n, len_ - n);
  len_ -= n;
}

std::vector<Response> Client::read_responses(std::size_t n, const std::vector<std::string>& methods,
                                             milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  std::vector<Response> responses;
  std::size_t finals = 0;
  while (responses.size() < n) {
    const bool head = finals < methods.size() && methods[finals] == "HEAD";
    ResponseParse p = parse_response(pending(), head, eof_);
    if (p.status == ResponseParse::Status::kError) {
      ADD_FAILURE() << "malformed response (" << p.error << "): " << escape(pending(), 2048);
      break;
    }
    if (p.status == ResponseParse::Status::kComplete) {
      consume(p.consumed);
      if (p.response.status >= 200) ++finals;
      responses.push_back(std::move(p.response));
      continue;
    }
    if (eof_ || !read_some(deadline)) break;
  }
  return responses;
}

Response Client::read_response(std::string_view method, milliseconds timeout) {
  std::vector<Response> r = read_responses(1, {std::string(method)}, timeout);
  return r.empty() ? Response() : std::move(r.front());
}

bool Client::wait_closed(milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!eof_) {
    if (!read_some(deadline)) return false;
  }
  return true;
}

bool Client::wait_bytes(milliseconds timeout) {
  const std::size_t before = len_;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (len_ == before && !eof_) {
    if (!read_some(deadline)) return false;
  }
  return true;
}

bool Client::fail(const char* what) {
  if (failure_ == nullptr) failure_ = what;
  return false;
}

}  // namespace shockwave::testing
