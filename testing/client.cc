#include "testing/client.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "gtest/gtest.h"
#include "testing/escape.h"
#include "testing/strings.h"

namespace shockwave::testing {
namespace {

// The buffer expect reads into; it never grows while expect reads.
constexpr std::size_t kBufferSize = 64 * 1024;

bool peer_went_away(int error) { return error == ECONNRESET || error == EPIPE; }

// Expectation checks one response's parts against an ExpectedResponse as
// read_response reports them, copying nothing.
class Expectation : public ResponseEvents {
 public:
  explicit Expectation(const ExpectedResponse& e) : e_(e) {}

  void status_line(std::string_view version, int status, std::string_view) override {
    status_ok_ = version == "HTTP/1.1" && status == e_.status;
    interim_continue_ = e_.interim_continue && version == "HTTP/1.1" && status == 100;
  }
  void field(std::string_view name, std::string_view value) override {
    if (iequals(name, "connection") && has_token(value, "close")) closing_ = true;
    if (iequals(name, "content-length")) content_length_ = value;
  }
  void body(std::string_view piece) override {
    if (e_.any_body) return;
    if (piece.size() > e_.body.size() - offset_ || e_.body.substr(offset_, piece.size()) != piece) {
      differs_ = true;
      return;
    }
    offset_ += piece.size();
  }
  void trailer(std::string_view, std::string_view) override { trailers_ = true; }

  // head_failure: what is wrong with the head, or nullptr.
  const char* head_failure(Framing framing) const {
    if (!status_ok_) return "status line is not HTTP/1.1 with the expected status";
    if (closing_ != e_.closing) return e_.closing ? "no Connection: close" : "unexpected Connection: close";
    if (!content_length_.empty() && !e_.any_body && content_length_ != length_text()) {
      return "Content-Length is not the expected body's";
    }
    if (framing == Framing::kClose && !e_.closing) return "no framing in a response that keeps the connection";
    return nullptr;
  }
  // interim_continue: this is the 100 Continue the expectation allows.
  bool interim_continue() const { return interim_continue_; }
  // body_failure: what is wrong with the complete response's body, or nullptr.
  const char* body_failure(Framing framing) const {
    if (trailers_) return "trailer fields after last-chunk";
    if (framing == Framing::kNone || e_.any_body) return nullptr;
    if (!differs_ && offset_ == e_.body.size()) return nullptr;
    switch (framing) {
      case Framing::kChunked:
        return differs_ ? "chunked body differs" : "chunked body shorter than expected";
      case Framing::kClose:
        return "close-delimited body differs";
      default:
        return "body differs";
    }
  }

 private:
  // length_text: e.body's size in decimal, without allocating.
  std::string_view length_text() const {
    char* end = digits_ + sizeof digits_;
    char* p = end;
    std::size_t n = e_.body.size();
    do {
      *--p = static_cast<char>('0' + n % 10);
      n /= 10;
    } while (n != 0);
    return {p, static_cast<std::size_t>(end - p)};
  }

  const ExpectedResponse& e_;
  bool status_ok_ = false;
  bool interim_continue_ = false;
  bool closing_ = false;
  bool differs_ = false;
  bool trailers_ = false;
  std::size_t offset_ = 0;  // into e.body
  std::string_view content_length_;
  mutable char digits_[24] = {};
};

}  // namespace

Client::Client() : buffer_(new char[kBufferSize]), capacity_(kBufferSize) {}

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
  bool interim_seen = false;
  for (;;) {
    Expectation check(e);
    const ResponseRead r = ::shockwave::testing::read_response(pending(), e.head, eof_, check);
    if (r.status == ResponseRead::Status::kError) return fail(r.error);
    if (check.interim_continue() && !interim_seen && r.status == ResponseRead::Status::kComplete) {
      consume(r.consumed);  // the one 100 Continue allowed before the answer
      interim_seen = true;
      continue;
    }
    if (r.head_size > 0 && !check.interim_continue()) {
      if (const char* failure = check.head_failure(r.framing)) return fail(failure);
    }
    if (r.status == ResponseRead::Status::kComplete) {
      if (const char* failure = check.body_failure(r.framing)) return fail(failure);
      consume(r.consumed);
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
