#include "server/net/connection.h"

#include <sys/sendfile.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/observe/access_log_line.h"

namespace shockwave::net {
namespace {

// RFC 9112 §9.6: after shutting down writing, keep reading this long at most
// so the peer's last bytes do not turn into an RST that destroys our response.
constexpr std::int64_t kLingerMs = 2000;

ssize_t socket_read(void*, int fd, char* buffer, std::size_t size) { return ::recv(fd, buffer, size, 0); }
ssize_t socket_write(void*, int fd, const char* data, std::size_t size) { return ::send(fd, data, size, MSG_NOSIGNAL); }
void socket_shutdown_write(void*, int fd) { ::shutdown(fd, SHUT_WR); }
ssize_t socket_send_file(void*, int fd, int file_fd, off_t* offset, std::size_t count) {
  return ::sendfile(fd, file_fd, offset, count);
}

std::int64_t monotonic_ns() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// The most one sendfile(2) is asked for: the kernel's own cap
// (MAX_RW_COUNT), page-aligned.
constexpr std::uint64_t kMaxSendFile = 0x7ffff000;

}  // namespace

const Io kSocketIo = {nullptr, socket_read, socket_write,    socket_shutdown_write, /*short_read_drains=*/true,
                      nullptr, nullptr,     socket_send_file};

void Connection::open(int fd, ConnectionEnv* env, std::span<char> input, std::span<char> output,
                      std::span<http1::Header> fields, detail::Cell* cell) noexcept {
  Connection* p = prev;
  Connection* n = next;
  *this = Connection();
  prev = p;
  next = n;
  fd_ = fd;
  env_ = env;
  in_ = input.data();
  in_cap_ = input.size();
  out_ = http1::OutputBuffer{output.data(), output.size(), 0, this, &Connection::flush_for_writer};
  parser_ = http1::RequestParser(fields, env->parser_options);
  exchange_.cell = cell;
  cell->owner = this;
  set_deadline();
}

Connection::Status Connection::on_readable(bool peer_hung_up) noexcept {
  if (peer_hung_up && peer_ == PeerInput::kOpen) peer_ = PeerInput::kFinQueued;
  if (phase_ == Phase::kLingering) return discard_input();
  const Io& io = *env_->io;
  for (;;) {
    if (process() == Status::kClose) return Status::kClose;
    bool drained = false;  // the socket has nothing more for now
    // Read while the kernel fills the buffer (see Io::short_read_drains).
    while (phase_ == Phase::kServing && peer_ != PeerInput::kClosed && in_len_ < in_cap_ &&
           handling_ != Handling::kPaused) {
      const std::size_t space = in_cap_ - in_len_;
      ssize_t n = io.read(io.context, fd_, in_ + in_len_, space);
      if (n > 0) {
        in_len_ += static_cast<std::size_t>(n);
        if (env_->stats) WorkerStats::add(env_->stats->bytes_read, static_cast<std::uint64_t>(n));
        if (process() == Status::kClose) return Status::kClose;
        if (io.short_read_drains && peer_ != PeerInput::kFinQueued && static_cast<std::size_t>(n) < space) {
          drained = true;
          break;
        }
        continue;
      }
      if (n == 0) {
        // RFC 9112 §9.6: a half-close does not cancel responses to the
        // requests already received (process() answers them, then closes).
        peer_ = PeerInput::kClosed;
        if (process() == Status::kClose) return Status::kClose;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        drained = true;
        break;
      }
      return Status::kClose;
    }
    if (finish_output() == Status::kClose) return Status::kClose;
    // The input buffer filled before the socket drained. If answering made
    // room, read on: no new event reports bytes that are already waiting.
    if (drained || phase_ != Phase::kServing || peer_ == PeerInput::kClosed || write_blocked_ || in_len_ == in_cap_ ||
        handling_ == Handling::kPaused) {
      return Status::kOpen;
    }
  }
}

// discard_input, while lingering: whatever arrives is dropped until the peer
// closes (or the linger ends).
Connection::Status Connection::discard_input() noexcept {
  const Io& io = *env_->io;
  for (;;) {
    ssize_t n = io.read(io.context, fd_, in_, in_cap_);
    if (n > 0) continue;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Status::kOpen;
    return Status::kClose;
  }
}

Connection::Status Connection::on_writable() noexcept {
  // Nothing waits for room: edge-triggered epoll reports every change of
  // the send buffer, most of them with nothing queued.
  if (phase_ == Phase::kLingering || !write_blocked_) return Status::kOpen;
  if (flush() == Status::kClose) return Status::kClose;
  if (phase_ == Phase::kLingering) return Status::kOpen;
  if (write_blocked_) {
    set_deadline();  // what was written counts as progress
    return Status::kOpen;
  }
  // The queue drained: carry on with requests held back by it.
  return on_readable();
}

// process parses and answers every complete request held, in order, until
// the output queue is too full (back-pressure), a handler waits for its
// ticket, or the connection must close.
Connection::Status Connection::process() noexcept {
  while (phase_ == Phase::kServing) {
    // Paused or deferred: nothing moves until the ticket is woken; the
    // requests behind wait, so responses keep their order.
    if (handling_ == Handling::kPaused || handling_ == Handling::kDeferred) break;
    if (file_.fd >= 0) {  // a file's bytes go out before the next response
      held_back_ = true;
      break;
    }
    if (out_.size > 0 &&
        (out_.free() < out_.capacity / 4 || pending_ == Pending::kOnEmptyQueue || handling_ == Handling::kResuming)) {
      held_back_ = true;  // flush first
      break;
    }
    if (handling_ == Handling::kResuming) {
      if (respond(/*resuming=*/true) == Outcome::kAnswered) finish_request();
      continue;
    }
    if (pending_ != Pending::kNone) {  // parsed, and the queue has room for it
      if (!answer()) break;
      continue;
    }
    if (in_start_ == in_len_) {
      if (peer_ == PeerInput::kClosed) stop_reading();  // every request answered
      break;
    }
    if (request_start_ms_ == 0) {
      request_start_ms_ = env_->now_ms;
      if (env_->access_log != nullptr) request_start_ns_ = monotonic_ns();
    }
    std::span<char> input(in_ + in_start_, in_len_ - in_start_);
    http1::ParseStatus status = http1::ParseStatus::kComplete;
    if (!parser_.head_complete()) {
      // The head first, so the handler can choose how to take the body
      // before any of it is read.
      status = parser_.parse_head(input);
      const http1::RequestHead& head = parser_.head();
      if (status == http1::ParseStatus::kComplete && env_->dispatch.plan_body != nullptr &&
          (head.framing == http1::BodyFraming::kChunked ||
           (head.framing == http1::BodyFraming::kContentLength && head.content_length > 0))) {
        const BodyPlan plan = env_->dispatch.plan_body(env_->dispatch.handler, request());
        if (plan.stream) {
          parser_.stream_body(plan.max);
          handling_ = Handling::kStreaming;
        }
      }
    }
    if (status == http1::ParseStatus::kComplete) status = parser_.parse(input);
    if (status == http1::ParseStatus::kError) {
      // RFC 9112 §9.6: answer once with Connection: close, then close.
      const http1::Error e = parser_.error();
      respond_error(http1::error_status(e), http1::error_reason(e));
      break;
    }
    if (handling_ == Handling::kStreaming && !offer_body(status, input)) break;
    if (status == http1::ParseStatus::kIncomplete) {
      await_rest_of_request();
      break;
    }
    // A response is written behind those still queued, into the room they
    // leave; if that runs out while the peer takes nothing, it cannot be
    // finished, though it would fit the queue alone. Its handler is then
    // called again once the queue has drained (respond()), which only a safe
    // method allows (RFC 9110 §9.2.1). Any other waits for an empty queue
    // before its handler runs; clients seldom pipeline those anyway (RFC
    // 9112 §9.3.2).
    pending_ = parser_.head().safe_method() ? Pending::kReady : Pending::kOnEmptyQueue;
  }
  return Status::kOpen;
}

// offer_body hands a streamed body's bytes to on_body(): while the body is
// arriving, each slice taken is removed from the buffer (with the chunk
// framing decoded before it), so the buffer holds only what the handler
// has not taken; once it is complete, the rest is offered in place. False
// when the handler paused (deferred) or the request was answered with an
// error.
bool Connection::offer_body(http1::ParseStatus status, std::span<char>& input) noexcept {
  const bool complete = status == http1::ParseStatus::kComplete;
  for (;;) {
    const std::string_view slice = complete ? parser_.body().substr(offered_) : parser_.body_available(input);
    if (slice.empty()) return true;
    exchange_.deferred = false;
    const std::size_t took = std::min(env_->dispatch.on_body(env_->dispatch.handler, request(), slice), slice.size());
    streamed_bytes_ += took;
    if (complete) {
      offered_ += took;
    } else if (took > 0) {
      const std::size_t removed = parser_.drop_body(input, took);
      removed_from_request(parser_.head_size(), removed);
      input = input.first(input.size() - removed);
    }
    if (exchange_.deferred) {
      handling_ = Handling::kPaused;
      waiting_since_ms_ = env_->now_ms;
      set_deadline();
      return false;
    }
    if (took == 0) {
      if (!complete) return true;  // offered again with more (413 if none can come: the buffer is full)
      // The whole body is here and the handler takes none of it: nothing
      // more will come to change its mind.
      respond_error(500, "request body not taken");
      return false;
    }
  }
}

// removed_from_request: `size` bytes at `offset` in the request at in_start_
// were taken out of the buffer (decoded chunk framing, a streamed body's
// slice) and the rest moved down over them.
void Connection::removed_from_request(std::size_t offset, std::size_t size) noexcept {
  in_len_ -= size;
  if (shutdown_backlog_ > offset) shutdown_backlog_ -= std::min(size, shutdown_backlog_ - offset);
}

// await_rest_of_request: the request at in_start_ is incomplete. Sends 100
// Continue when due and makes room for the rest of it: the whole buffer,
// and none of it spent on chunk framing already decoded (the helpers
// below); a request that still cannot fit is answered 413 or 431.
void Connection::await_rest_of_request() noexcept {
  if (peer_ == PeerInput::kClosed) {  // a request cut short by the close: not answered
    stop_reading();
    return;
  }
  // RFC 9110 §10.1.1: a server that will read the content sends 100
  // Continue before waiting for it (never to HTTP/1.0: the parser drops the
  // expectation there).
  if (parser_.head_complete() && parser_.head().expects_continue() && !sent_continue_) {
    sent_continue_ = http1::write_continue(out_);
  }
  if (in_start_ > 0) move_request_to_front();
  if (in_len_ == in_cap_ && reclaim_chunk_framing()) return;  // read on
  if (in_len_ == in_cap_) {                                   // the request cannot fit the input buffer
    if (parser_.head_complete()) {
      respond_error(413, "request too large");
    } else {
      respond_error(431, "header section too large");
    }
  }
}

// move_request_to_front moves the partial request at in_start_ to the front
// of the input buffer, so the buffer's whole capacity is there for it. The
// parser's views follow the bytes (rebase) and it resumes where it stopped:
// nothing is parsed again. That matters for a chunked body, decoded in
// place: its bytes no longer say what the client sent, and parsing them
// again could take a chunk's data for framing and answer a smuggled request
// (found by fuzz/connection_fuzzer).
void Connection::move_request_to_front() noexcept {
  const std::size_t held = in_len_ - in_start_;
  std::memmove(in_, in_ + in_start_, held);
  parser_.rebase(in_ + in_start_, held, in_);
  in_len_ = held;
  in_start_ = 0;
}

// reclaim_chunk_framing: a chunked body's framing already decoded (chunk-size
// lines, extensions, CRLFs) lies dead between its decoded data and the bytes
// not decoded yet; moving those down over it frees the room, so a body
// needs its decoded size in the buffer (max_body), not its size on the wire.
// False if there was nothing to free.
bool Connection::reclaim_chunk_framing() noexcept {
  const http1::RequestParser::Dead dead = parser_.reclaimable();
  if (dead.size == 0) return false;
  char* const at = in_ + in_start_ + dead.offset;
  std::memmove(at, at + dead.size, in_len_ - in_start_ - dead.offset - dead.size);
  removed_from_request(dead.offset, dead.size);
  parser_.reclaim(dead.size);
  return true;
}

// answer calls the handler for the parsed request and moves on to the next;
// false if the response was taken back, to be answered again on an empty
// queue, or deferred.
bool Connection::answer() noexcept {
  switch (respond(/*resuming=*/false)) {
    case Outcome::kTakenBack:
      pending_ = Pending::kOnEmptyQueue;
      held_back_ = true;
      return false;
    case Outcome::kDeferred:
      pending_ = Pending::kNone;
      return false;
    case Outcome::kAnswered:
      break;
  }
  finish_request();
  return true;
}

// finish_request: the request at in_start_ is answered; on to the next.
void Connection::finish_request() noexcept {
  pending_ = Pending::kNone;
  handling_ = Handling::kNone;
  exchange_.end();  // its tickets go stale
  std::memset(exchange_.scratch, 0, sizeof exchange_.scratch);
  offered_ = 0;
  shutdown_backlog_ -= std::min(shutdown_backlog_, parser_.consumed());
  in_start_ += parser_.consumed();
  if (in_start_ == in_len_) in_start_ = in_len_ = 0;
  parser_.reset();
  request_start_ms_ = 0;
  request_start_ns_ = 0;
  streamed_bytes_ = 0;
  sent_continue_ = false;
}

Request Connection::request() noexcept {
  // A streamed body was handed over slice by slice: none of it is left.
  const std::string_view body = parser_.streaming() ? parser_.body().substr(offered_) : parser_.body();
  return Request{parser_.head(), body, parser_.trailers(), &exchange_};
}

// respond answers one request: its handler's response (or, `resuming`, the
// deferred one's). kTakenBack: nothing of it written, the handler to be
// called again (see process()); kDeferred: the handler will respond when
// woken.
Connection::Outcome Connection::respond(bool resuming) noexcept {
  const http1::RequestHead& head = parser_.head();
  const bool head_request = head.method == "HEAD";
  if (!resuming && head.method == "CONNECT") {
    // RFC 9110 §9.3.6: we do not tunnel; bytes after a CONNECT head would
    // be ambiguous, so answer 501 and close.
    count_request();
    respond_error(501, "CONNECT is not supported");
    return Outcome::kAnswered;
  }
  if (!resuming && head.expect == http1::Expectation::kOther) {
    // RFC 9110 §10.1.1: an expectation we do not know → 417.
    count_request();
    respond_error(417, "unsupported expectation");
    return Outcome::kAnswered;
  }

  // Shutting down, the connection stays open only for the requests read
  // before the stop (on_shutdown()): another starts after this one.
  const bool keep_alive = head.keep_alive && (!env_->shutting_down || shutdown_backlog_ > parser_.consumed()) &&
                          requests_ + 1 < env_->config->max_requests_per_connection;
  const http1::ResponseContext context{head_request, head.version_minor == 0, keep_alive, env_->date_line};
  http1::ResponseWriter writer(out_, context);
  // The handler's last call for this request (unless it defers again).
  handling_ = Handling::kNone;
  exchange_.deferred = false;
  const Dispatch& dispatch = env_->dispatch;
  if (resuming) {
    if (dispatch.resume != nullptr) {
      dispatch.resume(dispatch.handler, request(), woken_value_, writer);
    } else {
      writer.status(500);  // deferred by a handler that has no resume()
    }
  } else if (head.target_form == http1::TargetForm::kAsterisk) {
    // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole, not a
    // resource, so the server answers it (the parser allows "*" only there).
    writer.header("Allow", env_->config->allow);
  } else {
    dispatch.call(dispatch.handler, request(), writer);
  }
  if (exchange_.deferred && !resuming) {
    if (out_.size == writer.start_offset() && !writer.started_sending()) {
      // Nothing written: the response comes when the ticket is woken.
      handling_ = Handling::kDeferred;
      waiting_since_ms_ = env_->now_ms;
      set_deadline();
      return Outcome::kDeferred;
    }
    exchange_.end();  // deferred, yet it wrote: the response stands, the ticket is void
  }
  writer.finish();
  // A file answers (send_file): its bytes follow the head, before anything else.
  file_ = exchange_.file;
  exchange_.file = FileBody{};
  if (writer.overflowed() && !writer.started_sending() && writer.start_offset() > 0 && !resuming) {
    // Queued responses the peer is not taking left too little room: take
    // this one back; only safe methods are answered behind others.
    out_.size = writer.start_offset();
    return Outcome::kTakenBack;
  }
  count_request();
  if (writer.overflowed()) {
    if (writer.started_sending()) {
      // Part of it is on the wire: all we can do is cut the connection, so
      // the peer sees a response shorter than its Content-Length.
      log_response(writer.status_code(), writer.bytes());
      out_.size = 0;
      phase_ = Phase::kAborting;
      return Outcome::kAnswered;
    }
    out_.size = writer.start_offset();
    respond_error(500, "response too large");
    return Outcome::kAnswered;
  }
  if (writer.status_code() >= 400) count_error(writer.status_code());
  if (env_->access_log != nullptr) log_response(writer.status_code(), writer.bytes() + file_.remaining);
  if (writer.closes_connection()) stop_reading();
  return Outcome::kAnswered;
}

void Connection::count_request() noexcept {
  ++requests_;
  if (env_->stats) {
    WorkerStats::add(env_->stats->requests, 1);
    env_->stats->last_request_unix_ms.store(env_->unix_ms, std::memory_order_relaxed);
  }
}

// respond_error answers the request being read with an error and closes.
// RFC 9110 §9.3.2 and RFC 9112 §6.3: a response to HEAD ends with its
// header section, an error's too; a client (or a proxy) that sent HEAD
// would read content as the next response. So once the request-line was
// accepted, its method decides.
void Connection::respond_error(int status, std::string_view reason) noexcept {
  abandon();  // a request the handler holds ends here
  const bool head_request = parser_.request_line_complete() && parser_.head().method == "HEAD";
  const http1::ResponseContext context{head_request, false, /*keep_alive=*/false, env_->date_line};
  http1::ResponseWriter writer(out_, context);
  writer.status(status);
  writer.header("Content-Type", "text/plain");
  writer.body(reason);
  if (writer.overflowed() && !writer.started_sending()) out_.size = writer.start_offset();
  count_error(status);
  log_response(status, writer.overflowed() ? 0 : writer.bytes());
  stop_reading();
}

void Connection::count_error(int status) noexcept {
  if (env_->stats) env_->stats->count_error(status);
}

// log_response puts the access log's line for the response just queued in
// the loop's ring (dropped, and counted, if the ring is full).
void Connection::log_response(int status, std::uint64_t bytes) noexcept {
  AccessLogSink* log = env_->access_log;
  if (log == nullptr) return;
  observe::AccessRecord r;
  r.peer = peer_address_;
  r.unix_ms = env_->unix_ms;
  r.status = static_cast<std::uint16_t>(status);
  r.response_bytes = bytes;
  // A request-line rejected or not all read is "-": which of its parts the
  // parser had set depends on where it stopped. Once it was accepted, it is
  // logged with the fields read so far, whatever failed after it.
  if (parser_.request_line_complete()) {
    const http1::RequestHead& head = parser_.head();
    r.method = head.method;
    r.target = head.target;
    r.version_minor = static_cast<std::uint8_t>(head.version_minor);
    if (parser_.head_complete()) r.request_body_bytes = parser_.streaming() ? streamed_bytes_ : parser_.body().size();
    const Request q = request();
    r.user_agent = q.header("User-Agent");
    r.referer = q.header("Referer");
  }
  if (request_start_ns_ != 0) r.duration_us = static_cast<std::uint64_t>(monotonic_ns() - request_start_ns_) / 1000;
  const std::size_t n = observe::format_access_line(r, log->format, log->line);
  if (n != 0) log->ring->try_append(std::string_view(log->line.data(), n));
}

// write_queued writes queued bytes, then a file's behind them, until done or
// EAGAIN (write_blocked_). `now`: the bytes must leave at once (Io::write_now).
Connection::Status Connection::write_queued(bool now) noexcept {
  const Io& io = *env_->io;
  const auto write = now && io.write_now != nullptr ? io.write_now : io.write;
  for (;;) {
    if (out_.size == 0) {
      if (file_.fd < 0) break;
      if (write_file() == Status::kClose) return Status::kClose;
      if (out_.size == 0 && file_.fd >= 0) return Status::kOpen;  // the socket is full (write_blocked_)
      continue;
    }
    ssize_t n = write(io.context, fd_, out_.data, out_.size);
    if (n > 0) {
      write_progress_ms_ = env_->now_ms;
      const auto sent = static_cast<std::size_t>(n);
      if (env_->stats) WorkerStats::add(env_->stats->bytes_written, sent);
      std::memmove(out_.data, out_.data + sent, out_.size - sent);
      out_.size -= sent;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!write_blocked_) write_progress_ms_ = env_->now_ms;  // the write timeout starts now
      write_blocked_ = true;
      return Status::kOpen;
    }
    return Status::kClose;  // EPIPE, ECONNRESET, ...
  }
  write_blocked_ = false;
  return Status::kOpen;
}

// write_file sends the file's bytes (the output queue is empty): with
// Io::send_file straight from the page cache, or else read into the output
// buffer for write_queued to send. A file shorter than the length its head
// announced (it shrank, or a read failed) cannot be answered any more:
// closing cuts the response short, so the client sees it incomplete.
Connection::Status Connection::write_file() noexcept {
  const Io& io = *env_->io;
  for (;;) {
    if (file_.remaining == 0) {
      close_file();
      return Status::kOpen;
    }
    ssize_t n;
    if (io.send_file != nullptr) {
      auto offset = static_cast<off_t>(file_.offset);
      n = io.send_file(io.context, fd_, file_.fd, &offset, std::min(file_.remaining, kMaxSendFile));
      if (n > 0) {
        write_progress_ms_ = env_->now_ms;
        if (env_->stats) WorkerStats::add(env_->stats->bytes_written, static_cast<std::uint64_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        if (!write_blocked_) write_progress_ms_ = env_->now_ms;
        write_blocked_ = true;
        return Status::kOpen;
      }
    } else {
      const std::size_t want = std::min<std::uint64_t>(file_.remaining, out_.capacity);
      n = ::pread(file_.fd, out_.data, want, static_cast<off_t>(file_.offset));
      if (n > 0) out_.size = static_cast<std::size_t>(n);
    }
    if (n > 0) {
      file_.offset += static_cast<std::uint64_t>(n);
      file_.remaining -= static_cast<std::uint64_t>(n);
      if (file_.remaining == 0) close_file();
      if (out_.size > 0) return Status::kOpen;  // read into the queue: write_queued sends it
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return Status::kClose;  // 0: the file shrank; or EPIPE, ECONNRESET, EIO, ...
  }
}

void Connection::close_file() noexcept {
  Exchange::close_file(file_.fd);
  file_ = FileBody{};
}

// flush writes what is queued; once the last response is out it starts the
// close.
Connection::Status Connection::flush() noexcept {
  if (write_queued(/*now=*/false) == Status::kClose) return Status::kClose;
  if (write_blocked_) return Status::kOpen;
  switch (phase_) {
    case Phase::kServing:
    case Phase::kLingering:
      return Status::kOpen;
    case Phase::kAborting:
      return Status::kClose;
    case Phase::kClosing:
      break;
  }
  if (peer_ == PeerInput::kClosed) return Status::kClose;
  // RFC 9112 §9.6: close in stages: shut down writing, then read until the
  // peer closes, so data it still sends cannot reset our response away.
  env_->io->shutdown_write(env_->io->context, fd_);
  phase_ = Phase::kLingering;
  in_len_ = in_start_ = 0;
  deadline_ms_ = env_->now_ms + kLingerMs;
  return on_readable();
}

// flush_for_writer: the response being written needs room now. Only bytes
// move; whatever the phase, the close waits for the response's end.
bool Connection::flush_for_writer(void* self) noexcept {
  auto* c = static_cast<Connection*>(self);
  const std::size_t before = c->out_.size;
  const Status s = c->write_queued(/*now=*/true);
  return s == Status::kOpen && c->out_.size < before;
}

Connection::Status Connection::finish_output() noexcept {
  for (;;) {
    if (flush() == Status::kClose) return Status::kClose;
    // The queue drained without blocking, so no EPOLLOUT will come: answer
    // the requests process() held back for it now.
    if (!held_back_ || write_blocked_ || phase_ != Phase::kServing) break;
    held_back_ = false;
    if (process() == Status::kClose) return Status::kClose;
  }
  set_deadline();
  return Status::kOpen;
}

// stop_reading: the response just queued is the last one.
void Connection::stop_reading() noexcept {
  if (phase_ == Phase::kServing) phase_ = Phase::kClosing;
}

// abandon: the request in progress ends without the handler's response;
// the handler hears of it if it holds anything for it (handler.h).
void Connection::abandon() noexcept {
  if (handling_ == Handling::kNone) return;
  handling_ = Handling::kNone;
  if (env_->dispatch.abandon != nullptr) env_->dispatch.abandon(env_->dispatch.handler, request());
  exchange_.end();
}

Connection::Status Connection::on_woken(std::uint64_t value) noexcept {
  if (handling_ == Handling::kPaused) {
    handling_ = Handling::kStreaming;  // offered the rest, and reading again
  } else if (handling_ == Handling::kDeferred) {
    handling_ = Handling::kResuming;
    woken_value_ = value;
  } else {
    return Status::kOpen;
  }
  set_deadline();
  return on_readable();
}

void Connection::on_close() noexcept {
  abandon();
  close_file();
}

void Connection::set_deadline() noexcept {
  if (phase_ == Phase::kLingering) return;  // fixed when lingering began
  const Config& config = *env_->config;
  const std::int64_t now = env_->now_ms;
  if (write_blocked_) {
    // From the last write progress: bytes the peer sends meanwhile do not
    // keep a connection that takes none of its responses alive.
    deadline_ms_ = write_progress_ms_ + config.write_timeout.count();
  } else if (handling_ == Handling::kPaused || handling_ == Handling::kDeferred) {
    deadline_ms_ = waiting_since_ms_ + config.deferred_timeout.count();
  } else if (parser_.head_complete()) {
    deadline_ms_ = now + config.body_timeout.count();
  } else if (request_start_ms_ != 0) {
    // The whole head must arrive within the timeout, however slowly its
    // bytes trickle in (slowloris).
    deadline_ms_ = request_start_ms_ + config.header_timeout.count();
  } else {
    deadline_ms_ = now + (requests_ == 0 ? config.header_timeout : config.idle_timeout).count();
  }
}

Connection::Status Connection::on_tick() noexcept {
  if (env_->now_ms < deadline_ms_) return Status::kOpen;
  if (phase_ == Phase::kLingering || write_blocked_) return Status::kClose;
  if (handling_ == Handling::kPaused || handling_ == Handling::kDeferred) {
    // The handler never woke its ticket (handler.h): RFC 9110 §15.6.4.
    respond_error(503, "handler timed out");
    return finish_output();
  }
  if (request_start_ms_ != 0 && out_.size == 0 && phase_ == Phase::kServing) {
    // RFC 9110 §15.5.9: the request did not arrive in time.
    respond_error(408, "request timeout");
    if (finish_output() == Status::kClose) return Status::kClose;
    return Status::kOpen;
  }
  return Status::kClose;
}

Connection::Status Connection::on_shutdown() noexcept {
  // Every request already read (held in the input buffer, perhaps held back
  // by a full output queue, perhaps not whole yet) is answered; the last of
  // them with Connection: close (respond()), which tells the client that
  // what it sent after them was not processed (RFC 9112 §9.6).
  shutdown_backlog_ = in_len_ - in_start_;
  // With none, a request may wait in the socket, its event not handled yet:
  // it was received before the shutdown, so it is answered, not dropped.
  if (phase_ != Phase::kLingering && on_readable() == Status::kClose) return Status::kClose;
  // Bytes still on their way from the socket are a request too.
  const Io& io = *env_->io;
  const bool arriving = phase_ != Phase::kLingering && io.input_pending != nullptr && io.input_pending(io.context, fd_);
  if (idle() && !arriving) return Status::kClose;
  // With no request left to answer or in progress, finish writing and go.
  if (in_start_ == in_len_ && !arriving) stop_reading();
  return finish_output();
}

}  // namespace shockwave::net
