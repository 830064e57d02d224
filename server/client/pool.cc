#include "server/client/pool.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "server/client/loop.h"
#include "server/client/request_encoding.h"

namespace shockwave::client_detail {
namespace {

// drop_front removes the first `n` of `len` bytes at `buffer`.
void drop_front(char* buffer, std::size_t& len, std::size_t n) noexcept {
  std::memmove(buffer, buffer + n, len - n);
  len -= n;
}

}  // namespace

Pool::Pool(Client& client, int id, const sockaddr_storage& address, socklen_t address_len, std::string host)
    : client_(client),
      config_(client.config_),
      id_(id),
      address_(address),
      address_len_(address_len),
      host_(std::move(host)),
      count_(config_.max_connections),
      connections_(new Connection[count_]),
      in_slab_(new char[count_ * config_.read_buffer_size]),
      out_slab_(new char[count_ * config_.write_buffer_size]),
      field_slab_(new http1::Header[count_ * config_.max_fields]),
      ring_slab_(new InFlight[count_ * config_.pipeline_depth]),
      failed_(new Completion[config_.pipeline_depth]),
      kept_(new InFlight[config_.pipeline_depth]) {
  for (std::size_t i = 0; i < count_; ++i) {
    Connection& c = connections_[i];
    c.in = in_slab_.get() + i * config_.read_buffer_size;
    c.out = out_slab_.get() + i * config_.write_buffer_size;
    c.ring = ring_slab_.get() + i * config_.pipeline_depth;
    c.parser = http1::ResponseParser({field_slab_.get() + i * config_.max_fields, config_.max_fields}, config_.parser);
  }
}

Pool::~Pool() { shut_down(); }

std::size_t Pool::open_connections() const noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < count_; ++i) n += connections_[i].state != Connection::State::kFree ? 1 : 0;
  return n;
}

// pick: an idle open connection, else a new one, else (pipelining) the
// least loaded one with room.
Connection* Pool::pick(std::size_t request_size, bool* connect_failed) noexcept {
  Connection* free_slot = nullptr;
  Connection* least = nullptr;
  for (std::size_t i = 0; i < count_; ++i) {
    Connection& c = connections_[i];
    if (c.state == Connection::State::kFree) {
      if (free_slot == nullptr) free_slot = &c;
      continue;
    }
    if (c.closing || c.ring_count >= config_.pipeline_depth || config_.write_buffer_size - c.out_len < request_size) {
      continue;
    }
    if (c.state == Connection::State::kOpen && c.ring_count == 0) return &c;
    if (least == nullptr || c.ring_count < least->ring_count) least = &c;
  }
  if (free_slot != nullptr) {
    if (connect(*free_slot)) return free_slot;
    *connect_failed = true;  // out of descriptors, say: a busy connection may still take it
  }
  return least;
}

ClientError Pool::send(const ClientRequest& request, Completion completion) noexcept {
  if (!valid_request(request)) return ClientError::kInvalidRequest;
  // The exact length is only known by encoding: pick a connection with room
  // for a lower bound (the request-line and body), then encode into the
  // room it has.
  const std::size_t lower_bound = request.method.size() + request.target.size() + request.body.size() + 12;
  if (lower_bound > config_.write_buffer_size) return ClientError::kRequestTooLarge;
  bool connect_failed = false;
  Connection* c = pick(lower_bound, &connect_failed);
  if (c == nullptr) return connect_failed ? ClientError::kConnect : ClientError::kBusy;
  const std::size_t bytes =
      encode_request(request, host_, {c->out + c->out_len, config_.write_buffer_size - c->out_len});
  if (bytes == 0) {
    // It did not fit the room this connection has. A connection just
    // opened for it has all its buffer: the request is too large.
    const bool fresh = c->ring_count == 0 && c->state == Connection::State::kConnecting;
    if (fresh) close(*c, ClientError::kNone, false);
    return fresh || c->out_len == 0 ? ClientError::kRequestTooLarge : ClientError::kBusy;
  }
  InFlight& f = c->ring[(c->ring_head + c->ring_count) % config_.pipeline_depth];
  f = {bytes, completion, http1::request_kind(request.method), http1::idempotent_method(request.method), 0};
  c->out_len += bytes;
  if (++c->ring_count == 1) {
    c->parser.reset();
    c->parser.answers(f.kind);
    c->response_started = false;
    arm_deadline(*c);
  }
  ++client_.in_flight_;
  ++client_.stats_.requests_sent;
  if (c->state == Connection::State::kOpen && c->writable && !c->reading) flush(*c);
  return ClientError::kNone;
}

bool Pool::connect(Connection& c) noexcept {
  const int fd = ::socket(address_.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address_), address_len_);
  if (rc != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  ev.data.u64 = (static_cast<std::uint64_t>(id_) << 32) | static_cast<std::uint64_t>(&c - connections_.get());
  if (::epoll_ctl(client_.loop_->epoll_fd, EPOLL_CTL_ADD, fd, &ev) != 0) {
    ::close(fd);
    return false;
  }
  c.fd = fd;
  c.state = Connection::State::kConnecting;
  c.in_len = c.out_len = c.out_sent = 0;
  c.ring_head = c.ring_count = 0;
  c.responses = 0;
  c.response_started = c.writable = c.closing = c.reading = false;
  c.deadline_ms = client_.now_ms_ + config_.connect_timeout.count();
  ++client_.stats_.connections_opened;
  return true;
}

void Pool::arm_deadline(Connection& c) noexcept {
  if (c.state == Connection::State::kConnecting) return;  // the connect deadline stands
  if (c.ring_count > 0) {
    c.deadline_ms = client_.now_ms_ + config_.response_timeout.count();
  } else {
    c.deadline_ms = 0;
    c.idle_since_ms = client_.now_ms_;
  }
}

void Pool::flush(Connection& c) noexcept {
  while (c.out_sent < c.out_len) {
    const ssize_t n = ::send(c.fd, c.out + c.out_sent, c.out_len - c.out_sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      c.out_sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      c.writable = false;
      return;
    }
    // The peer reset it (EPIPE, ECONNRESET): the read side says the rest.
    close(c, ClientError::kClosed, true);
    return;
  }
}

void Pool::on_event(std::size_t slot, std::uint32_t events) noexcept {
  if (slot >= count_) return;
  Connection& c = connections_[slot];
  if (c.state == Connection::State::kFree) return;
  if (c.state == Connection::State::kConnecting) {
    if ((events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) == 0) return;
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0 || (events & (EPOLLERR | EPOLLHUP)) != 0) {
      close(c, ClientError::kConnect, false);
      return;
    }
    c.state = Connection::State::kOpen;
    c.writable = true;
    arm_deadline(c);
  } else if ((events & EPOLLOUT) != 0) {
    c.writable = true;
  }
  if (c.writable) flush(c);
  if (c.state == Connection::State::kFree) return;
  if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) read(c);
}

void Pool::read(Connection& c) noexcept {
  c.reading = true;
  for (;;) {
    const std::size_t room = config_.read_buffer_size - c.in_len;
    if (room == 0) {
      // The front response does not fit: nothing can be read past it.
      c.reading = false;
      close(c, ClientError::kResponseTooLarge, false);
      return;
    }
    const ssize_t n = ::recv(c.fd, c.in + c.in_len, room, MSG_DONTWAIT);
    if (n > 0) {
      c.in_len += static_cast<std::size_t>(n);
      client_.stats_.bytes_received += static_cast<std::uint64_t>(n);
      if (!parse_responses(c)) return;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    // The end of the stream (0), or a reset.
    c.reading = false;
    if (c.ring_count > 0 && c.response_started && n == 0) {
      // RFC 9112 §6.3 item 8: a body delimited by close is complete now.
      const http1::ParseStatus s = c.parser.finish({c.in, c.in_len});
      if (s == http1::ParseStatus::kComplete) {
        const http1::ResponseHead& head = c.parser.head();
        const ClientResponse response{head, body_for(c), c.parser.trailers()};
        c.closing = true;
        complete_front(c, response);
        close(c, ClientError::kClosed, true);
        return;
      }
      close(
          c,
          c.parser.error() == http1::Error::kIncompleteResponse ? ClientError::kClosed : ClientError::kInvalidResponse,
          true);
      return;
    }
    close(c, ClientError::kClosed, true);
    return;
  }
  c.reading = false;
  if (c.state == Connection::State::kOpen && c.writable) flush(c);
}

bool Pool::parse_responses(Connection& c) noexcept {
  while (c.in_len > 0) {
    if (c.ring_count == 0) {
      // RFC 9112 §9.3.2 has responses answer requests in order: a byte with
      // none outstanding cannot be framed.
      ++client_.stats_.errors;
      c.reading = false;
      close(c, ClientError::kUnexpectedData, false);
      return false;
    }
    c.response_started = true;
    const http1::ParseStatus s = c.parser.parse({c.in, c.in_len});
    if (s == http1::ParseStatus::kIncomplete) {
      if (c.front().completion.body != nullptr && c.parser.head_complete()) stream_body(c);
      return true;
    }
    if (s == http1::ParseStatus::kError) {
      c.reading = false;
      close(c, ClientError::kInvalidResponse, true);
      return false;
    }
    const http1::ResponseHead& head = c.parser.head();
    const std::size_t consumed = c.parser.consumed();
    if (head.interim()) {
      // RFC 9110 §15.2: interim responses precede the final one; the
      // parser bounds how many.
      drop_front(c.in, c.in_len, consumed);
      c.parser.reset();
      continue;
    }
    // A response that came before its request was all written ends the
    // exchange: the server will not read the rest as another request.
    const bool keep = head.keep_alive && !head.tunnel && c.out_sent >= c.front().bytes;
    if (!keep) c.closing = true;
    const ClientResponse response{head, body_for(c), c.parser.trailers()};
    complete_front(c, response);
    drop_front(c.in, c.in_len, consumed);
    if (!keep) {
      c.reading = false;
      close(c, ClientError::kClosed, true);
      return false;
    }
    c.parser.reset();
    if (c.ring_count > 0) c.parser.answers(c.front().kind);
    arm_deadline(c);
  }
  return true;
}

// stream_body hands the body that has arrived to the front request's body
// callback and takes it out of the input buffer.
void Pool::stream_body(Connection& c) noexcept {
  const std::span<char> input(c.in, c.in_len);
  const std::string_view slice = c.parser.body_available(input);
  if (slice.empty()) return;
  const Completion& done = c.front().completion;
  const ClientResponse head{c.parser.head(), {}, {}};
  done.body(done.context, head, slice);
  c.in_len -= c.parser.drop_body(input, slice.size());
}

// body_for: the completed response's body for its completion; streamed, the
// rest goes to the body callback first and the completion sees none.
std::string_view Pool::body_for(Connection& c) noexcept {
  const Completion& done = c.front().completion;
  if (done.body == nullptr) return c.parser.body();
  if (!c.parser.body().empty()) done.body(done.context, {c.parser.head(), {}, {}}, c.parser.body());
  return {};
}

// complete_front pops the front request (its bytes leave the output
// buffer) and calls its completion last, so that the completion may send.
// No byte of the new front's response has arrived yet: if the connection
// ends now, close() may retry it.
void Pool::complete_front(Connection& c, const ClientResponse& response) noexcept {
  const InFlight f = c.front();
  c.response_started = false;
  drop_front(c.out, c.out_len, f.bytes);
  c.out_sent = c.out_sent > f.bytes ? c.out_sent - f.bytes : 0;
  c.ring_head = (c.ring_head + 1) % config_.pipeline_depth;
  --c.ring_count;
  --client_.in_flight_;
  ++client_.completed_;
  ++c.responses;
  ++client_.stats_.responses;
  f.completion.done(f.completion.context, &response, ClientError::kNone);
}

void Pool::close(Connection& c, ClientError why, bool may_retry) noexcept {
  if (c.state == Connection::State::kFree) return;
  ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  // Sort what is in flight: retried (kept, in order, bytes compacted to the
  // front of the buffer) or failed (called once the slot is consistent).
  std::size_t failed = 0;
  std::size_t kept = 0;
  std::size_t kept_bytes = 0;
  std::size_t offset = 0;
  const bool reused = c.responses > 0;
  for (std::size_t i = 0; i < c.ring_count; ++i) {
    InFlight& f = c.ring[(c.ring_head + i) % config_.pipeline_depth];
    const bool answered_in_part = i == 0 && c.response_started;
    if (may_retry && reused && f.idempotent && !answered_in_part && f.retries < config_.max_retries) {
      std::memmove(c.out + kept_bytes, c.out + offset, f.bytes);
      kept_[kept] = f;
      ++kept_[kept++].retries;
      kept_bytes += f.bytes;
    } else {
      failed_[failed++] = f.completion;
    }
    offset += f.bytes;
  }
  c.state = Connection::State::kFree;
  c.ring_head = 0;
  c.ring_count = 0;
  c.in_len = c.out_len = c.out_sent = 0;
  c.closing = c.reading = c.writable = false;
  const std::size_t failed_for_why = failed;
  if (kept > 0) {
    for (std::size_t i = 0; i < kept; ++i) c.ring[i] = kept_[i];
    if (connect(c)) {  // it clears the counts: the ring now starts at 0
      c.ring_count = kept;
      c.out_len = kept_bytes;
      c.parser.reset();
      c.parser.answers(c.ring[0].kind);
      client_.stats_.retries += kept;
      client_.stats_.requests_sent += kept;
    } else {
      for (std::size_t i = 0; i < kept; ++i) failed_[failed++] = c.ring[i].completion;
    }
  }
  // Completions last: they may send, even on this slot.
  for (std::size_t i = 0; i < failed; ++i) {
    const Completion done = failed_[i];
    --client_.in_flight_;
    ++client_.completed_;
    ++client_.stats_.errors;
    done.done(done.context, nullptr, i < failed_for_why ? why : ClientError::kConnect);
  }
}

void Pool::sweep(std::int64_t now_ms) noexcept {
  for (std::size_t i = 0; i < count_; ++i) {
    Connection& c = connections_[i];
    if (c.state == Connection::State::kConnecting) {
      if (now_ms >= c.deadline_ms) close(c, ClientError::kConnectTimeout, false);
    } else if (c.state == Connection::State::kOpen) {
      if (c.ring_count > 0 && now_ms >= c.deadline_ms) {
        // Not retried: the server may have acted on it.
        close(c, ClientError::kResponseTimeout, false);
      } else if (c.ring_count == 0 && now_ms - c.idle_since_ms >= config_.idle_timeout.count()) {
        close(c, ClientError::kNone, false);
      }
    }
  }
}

void Pool::shut_down() noexcept {
  for (std::size_t i = 0; i < count_; ++i) close(connections_[i], ClientError::kShutdown, false);
}

}  // namespace shockwave::client_detail
