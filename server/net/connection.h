#ifndef SHOCKWAVE_SERVER_NET_CONNECTION_H_
#define SHOCKWAVE_SERVER_NET_CONNECTION_H_

// Connection: one client connection's state machine. Bytes in → requests
// parsed in place → handler → responses queued → one write per batch. It
// owns no memory: its buffers and field storage are slots of the worker's
// slabs, so opening, serving and closing a connection allocates nothing.
// I/O goes through `Io`, so tests and fuzzers can drive it without sockets.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/config.h"
#include "server/exchange.h"
#include "server/handler.h"
#include "server/http1/request_parser.h"
#include "server/http1/response_writer.h"
#include "server/observe/log_ring.h"
#include "server/observe/peer_address.h"
#include "server/stats.h"

namespace shockwave::net {

// Io: how a connection reads and writes. Each function gets `context` (the
// event loop's, or a test's) and the fd; read and write return what
// read(2)/send(2) return, with errno set on -1.
struct Io {
  void* context = nullptr;
  ssize_t (*read)(void* context, int fd, char* buffer, std::size_t size) = nullptr;
  ssize_t (*write)(void* context, int fd, const char* data, std::size_t size) = nullptr;
  void (*shutdown_write)(void* context, int fd) = nullptr;
  // short_read_drains: a read shorter than asked means the socket has
  // nothing more for now, so the connection stops reading until the next
  // event (edge-triggered epoll; saves a read that would fail with EAGAIN).
  // false: read on until EAGAIN (io_uring: that read queues the next receive).
  bool short_read_drains = true;
  // write_now, if set, is used where bytes must leave at once: a handler's
  // response outgrew the output buffer (io_uring: `write` only queues).
  ssize_t (*write_now)(void* context, int fd, const char* data, std::size_t size) = nullptr;
  // input_pending, if set: bytes wait in the socket that no read has
  // returned yet (io_uring: a queued receive has not completed). Without it
  // a read saying EAGAIN is the whole truth (epoll).
  bool (*input_pending)(void* context, int fd) = nullptr;
  // send_file, if set, sends up to `count` bytes of `file_fd` from *offset
  // and advances it, as sendfile(2) does. Without it a file's bytes are
  // read into the output buffer and written like any others.
  ssize_t (*send_file)(void* context, int fd, int file_fd, off_t* offset, std::size_t count) = nullptr;
};

// The socket implementation of Io.
extern const Io kSocketIo;

// AccessLogSink: where a loop's connections log their responses
// (Config::access_log): the loop's ring and a line buffer to format into.
struct AccessLogSink {
  observe::LogRing* ring = nullptr;
  AccessLogFormat format = AccessLogFormat::kCombined;
  std::span<char> line;  // longer lines are cut, and say so
};

// What a worker's connections share.
struct ConnectionEnv {
  const Config* config = nullptr;
  http1::ParserOptions parser_options;
  Dispatch dispatch;
  const Io* io = &kSocketIo;
  WorkerStats* stats = nullptr;         // null when stats are off
  AccessLogSink* access_log = nullptr;  // null when the access log is off
  std::string_view date_line;           // "Date: ...\r\n", refreshed once a second
  std::int64_t now_ms = 0;              // monotonic, refreshed once per loop turn
  std::int64_t unix_ms = 0;             // wall clock, for stats
  bool shutting_down = false;
};

class Connection {
 public:
  enum class Status : std::uint8_t { kOpen, kClose };

  Connection() noexcept : parser_({}) {}

  // open takes a freshly accepted fd and the slot's memory, its wake-up
  // cell included (exchange.h).
  void open(int fd, ConnectionEnv* env, std::span<char> input, std::span<char> output, std::span<http1::Header> fields,
            detail::Cell* cell) noexcept;

  // on_readable: bytes (or the end) may have arrived. `peer_hung_up`: the
  // event loop saw the peer's FIN (EPOLLRDHUP), so a short read does not
  // mean the socket is drained: read on to the end.
  Status on_readable(bool peer_hung_up = false) noexcept;
  Status on_writable() noexcept;
  // on_tick enforces the timeouts; call it at least once a second.
  Status on_tick() noexcept;
  // on_shutdown: the server is stopping. Idle connections close now; busy
  // ones finish their request with Connection: close.
  Status on_shutdown() noexcept;
  // on_woken: a ticket of this connection's request was woken with `value`
  // (the loop found its cell kWoken in the mailbox).
  Status on_woken(std::uint64_t value) noexcept;
  // on_close: the event loop is closing the connection; a request the
  // handler holds is abandoned (handler.h).
  void on_close() noexcept;

  // set_peer_address: the client's address, for the access log.
  void set_peer_address(const observe::PeerAddress& address) noexcept { peer_address_ = address; }

  int fd() const noexcept { return fd_; }
  bool idle() const noexcept { return in_len_ == 0 && out_.size == 0 && file_.fd < 0 && phase_ != Phase::kLingering; }

  // Intrusive list of a worker's open connections.
  Connection* prev = nullptr;
  Connection* next = nullptr;

 private:
  // Phase: where the connection is in its life. It only moves forward.
  enum class Phase : std::uint8_t {
    kServing,    // reading requests and answering them
    kClosing,    // the last response is queued: read no more requests, close once it is out
    kAborting,   // a response was cut mid-way: close at once, without lingering
    kLingering,  // write side shut (RFC 9112 §9.6): input discarded until the peer closes
  };
  // Pending: the request at in_start_, parsed, its handler not called yet.
  enum class Pending : std::uint8_t {
    kNone,
    kReady,         // answered as soon as the output queue has room
    kOnEmptyQueue,  // answered only on an empty output queue (see process())
  };
  // Handling: where the handler is with the request at in_start_
  // (handler.h: streamed bodies, deferred responses).
  enum class Handling : std::uint8_t {
    kNone,       // nothing in progress
    kStreaming,  // the body goes to on_body() as it arrives
    kPaused,     // on_body() deferred: nothing read or offered until woken
    kDeferred,   // handle() deferred: the response waits for the ticket
    kResuming,   // woken: resume() writes the response on an empty queue
  };
  // Outcome: what became of a handler call's response.
  enum class Outcome : std::uint8_t { kAnswered, kTakenBack, kDeferred };
  // PeerInput: what the peer's half of the stream has said.
  enum class PeerInput : std::uint8_t {
    kOpen,
    kFinQueued,  // the event loop saw a FIN: read to the end, short reads or not
    kClosed,     // a read returned 0
  };

  Status process() noexcept;
  void await_rest_of_request() noexcept;
  // Making room for a partial request in the input buffer (see process()).
  void move_request_to_front() noexcept;
  bool reclaim_chunk_framing() noexcept;
  bool answer() noexcept;
  bool offer_body(http1::ParseStatus status, std::span<char>& input) noexcept;
  void removed_from_request(std::size_t offset, std::size_t size) noexcept;
  void finish_request() noexcept;
  void abandon() noexcept;
  Request request() noexcept;
  Status discard_input() noexcept;
  Status write_queued(bool now) noexcept;
  Status write_file() noexcept;
  void close_file() noexcept;
  Status flush() noexcept;
  static bool flush_for_writer(void* self) noexcept;
  Outcome respond(bool resuming) noexcept;
  void count_request() noexcept;
  void respond_error(int status, std::string_view reason) noexcept;
  Status finish_output() noexcept;
  void stop_reading() noexcept;
  void set_deadline() noexcept;
  void count_error(int status) noexcept;
  void log_response(int status, std::uint64_t bytes) noexcept;

  int fd_ = -1;
  ConnectionEnv* env_ = nullptr;
  char* in_ = nullptr;
  std::size_t in_cap_ = 0;
  std::size_t in_len_ = 0;    // bytes held
  std::size_t in_start_ = 0;  // first byte of the request being parsed
  http1::OutputBuffer out_;
  http1::RequestParser parser_;
  std::int64_t deadline_ms_ = 0;
  std::int64_t request_start_ms_ = 0;   // first byte of the current request, 0 if none
  std::int64_t request_start_ns_ = 0;   // the same, finer, when the access log is on
  std::int64_t write_progress_ms_ = 0;  // last write progress, or when writing blocked
  std::size_t requests_ = 0;
  // Shutting down: bytes from in_start_ on that were read before the stop;
  // the requests starting in them are answered, the last with close.
  std::size_t shutdown_backlog_ = 0;
  Phase phase_ = Phase::kServing;
  Pending pending_ = Pending::kNone;
  Handling handling_ = Handling::kNone;
  Exchange exchange_;
  // A response's content still to send from a file, behind the queued
  // bytes; the requests behind it wait until it is out.
  FileBody file_;
  std::size_t offered_ = 0;            // a streamed body complete in the buffer: bytes on_body() took
  std::uint64_t streamed_bytes_ = 0;   // a streamed body: bytes on_body() took in all
  observe::PeerAddress peer_address_;  // when the access log is on
  std::uint64_t woken_value_ = 0;      // kResuming: the value given to wake()
  std::int64_t waiting_since_ms_ = 0;  // kPaused / kDeferred: since when
  PeerInput peer_ = PeerInput::kOpen;
  bool write_blocked_ = false;  // EAGAIN: waiting for the socket to take more
  bool held_back_ = false;      // process() stopped for a full output queue
  bool sent_continue_ = false;  // 100 Continue queued for the current request
};

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_CONNECTION_H_
