#include "server/tests/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "gtest/gtest.h"

namespace shockwave::testing {
namespace {

// Every socket call gives up after this long, whatever the caller's deadline.
constexpr milliseconds kSocketTimeout{10'000};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

enum class Parse { kComplete, kIncomplete, kMalformed };

// parse_fields reads field lines up to and including the empty line.
Parse parse_fields(std::string_view data, std::size_t* pos, std::vector<Field>* fields) {
  for (;;) {
    const std::size_t eol = data.find("\r\n", *pos);
    if (eol == std::string_view::npos) return Parse::kIncomplete;
    const std::string_view line = data.substr(*pos, eol - *pos);
    *pos = eol + 2;
    if (line.empty()) return Parse::kComplete;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return Parse::kMalformed;
    fields->push_back({std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1)))});
  }
}

// parse_chunked removes chunked framing (RFC 9112 §7.1) from data[*pos...].
Parse parse_chunked(std::string_view data, std::size_t* pos, Response* r) {
  for (;;) {
    const std::size_t eol = data.find("\r\n", *pos);
    if (eol == std::string_view::npos) return Parse::kIncomplete;
    std::string_view line = data.substr(*pos, eol - *pos);
    line = line.substr(0, line.find(';'));
    if (line.empty() || line.size() > 15) return Parse::kMalformed;
    std::size_t size = 0;
    for (char c : line) {
      const int digit = hex_value(c);
      if (digit < 0) return Parse::kMalformed;
      size = size * 16 + static_cast<std::size_t>(digit);
    }
    const std::size_t start = eol + 2;
    if (size == 0) {
      *pos = start;
      return parse_fields(data, pos, &r->trailers);
    }
    if (data.size() < start + size + 2) return Parse::kIncomplete;
    if (data.substr(start + size, 2) != "\r\n") return Parse::kMalformed;
    r->body.append(data.substr(start, size));
    *pos = start + size + 2;
  }
}

// parse_response parses one response from the front of `data`. `head`: it
// answers a HEAD request; `eof`: no more bytes will come.
Parse parse_response(std::string_view data, bool head, bool eof, Response* r, std::size_t* consumed) {
  *r = Response();
  const std::size_t eol = data.find("\r\n");
  if (eol == std::string_view::npos) return Parse::kIncomplete;
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]
  const std::string_view line = data.substr(0, eol);
  if (line.size() < 13 || line.substr(0, 5) != "HTTP/" || line[8] != ' ' || line[12] != ' ') return Parse::kMalformed;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return Parse::kMalformed;
  }
  r->version = std::string(line.substr(0, 8));
  r->status = std::stoi(std::string(line.substr(9, 3)));
  r->reason = std::string(line.substr(13));
  std::size_t pos = eol + 2;
  if (Parse p = parse_fields(data, &pos, &r->headers); p != Parse::kComplete) return p;

  // RFC 9112 §6.3, as a client reads it.
  const bool no_content = head || r->status < 200 || r->status == 204 || r->status == 304;
  const std::string te = r->header("Transfer-Encoding");
  if (no_content) {
    r->framing = Response::Framing::kNone;
  } else if (!te.empty()) {
    if (!iequals(te, "chunked")) return Parse::kMalformed;
    r->framing = Response::Framing::kChunked;
    if (Parse p = parse_chunked(data, &pos, r); p != Parse::kComplete) return p;
  } else if (r->has("Content-Length")) {
    r->framing = Response::Framing::kContentLength;
    const std::string cl = r->header("Content-Length");
    if (r->count("Content-Length") != 1 || cl.empty() || cl.size() > 12 ||
        cl.find_first_not_of("0123456789") != std::string::npos) {
      return Parse::kMalformed;
    }
    const std::size_t length = std::stoul(cl);
    if (data.size() < pos + length) return Parse::kIncomplete;
    r->body = std::string(data.substr(pos, length));
    pos += length;
  } else {
    r->framing = Response::Framing::kClose;
    if (!eof) return Parse::kIncomplete;
    r->body = std::string(data.substr(pos));
    pos = data.size();
  }
  *consumed = pos;
  return Parse::kComplete;
}

void set_timeout(int fd, int option, milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(timeout.count() % 1000 * 1000);
  setsockopt(fd, SOL_SOCKET, option, &tv, sizeof tv);
}

}  // namespace

IoBackend test_io() {
  const char* io = std::getenv("SHOCKWAVE_TEST_IO");
  if (io != nullptr && std::string_view(io) == "uring") return IoBackend::kUring;
  if (io != nullptr && std::string_view(io) == "epoll") return IoBackend::kEpoll;
  return Config().io;
}

Config test_config() {
  Config config;
  config.address = "127.0.0.1";
  config.port = 0;
  config.threads = 1;
  config.max_connections = 32;
  config.io = test_io();
  return config;
}

std::int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

std::string Response::header(std::string_view name) const {
  for (const Field& f : headers) {
    if (iequals(f.name, name)) return f.value;
  }
  return {};
}

std::size_t Response::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(), [&](const Field& f) { return iequals(f.name, name); }));
}

bool Response::connection_close() const {
  for (const Field& f : headers) {
    if (!iequals(f.name, "Connection")) continue;
    std::string_view v = f.value;
    while (!v.empty()) {
      const std::size_t comma = v.find(',');
      if (iequals(trim(v.substr(0, comma)), "close")) return true;
      if (comma == std::string_view::npos) break;
      v.remove_prefix(comma + 1);
    }
  }
  return false;
}

Client::Client(std::uint16_t port, int receive_buffer) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) {
    connect_errno_ = errno;
    return;
  }
  set_timeout(fd_, SO_RCVTIMEO, kSocketTimeout);
  set_timeout(fd_, SO_SNDTIMEO, kSocketTimeout);
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (receive_buffer > 0) setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    connect_errno_ = errno;
    close(fd_);
    fd_ = -1;
  }
}

Client::~Client() {
  if (fd_ >= 0) close(fd_);
}

bool Client::send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void Client::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

bool Client::read_some(Clock::time_point deadline) {
  if (closed_ || fd_ < 0) return false;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    const int ready = poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    char buffer[16 * 1024];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
    if (n <= 0) {  // EOF, or a reset: either way the server is gone
      closed_ = true;
      return true;
    }
    in_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }
}

std::vector<Response> Client::read_responses(std::size_t n, const std::vector<std::string>& methods,
                                             milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  std::vector<Response> responses;
  std::size_t finals = 0;
  while (responses.size() < n) {
    const bool head = finals < methods.size() && methods[finals] == "HEAD";
    Response r;
    std::size_t consumed = 0;
    const Parse p = parse_response(in_, head, closed_, &r, &consumed);
    if (p == Parse::kMalformed) {
      ADD_FAILURE() << "malformed response: " << printable(in_);
      break;
    }
    if (p == Parse::kComplete) {
      in_.erase(0, consumed);
      if (r.status >= 200) ++finals;
      responses.push_back(std::move(r));
      continue;
    }
    if (closed_ || !read_some(deadline)) break;
  }
  return responses;
}

Response Client::read_response(std::string_view method, milliseconds timeout) {
  std::vector<Response> r = read_responses(1, {std::string(method)}, timeout);
  return r.empty() ? Response() : std::move(r.front());
}

bool Client::wait_closed(milliseconds timeout) {
  const Clock::time_point deadline = Clock::now() + timeout;
  while (!closed_) {
    if (!read_some(deadline)) return false;
  }
  return true;
}

bool Client::wait_bytes(milliseconds timeout) {
  const std::size_t before = in_.size();
  const Clock::time_point deadline = Clock::now() + timeout;
  while (in_.size() == before && !closed_) {
    if (!read_some(deadline)) return false;
  }
  return true;
}

std::string get(std::string_view target) { return "GET " + std::string(target) + " HTTP/1.1\r\nHost: a\r\n\r\n"; }

std::string printable(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 2048)) {
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
  if (bytes.size() > 2048) out += "...";
  return out;
}

}  // namespace shockwave::testing
