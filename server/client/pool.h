#ifndef SHOCKWAVE_SERVER_CLIENT_POOL_H_
#define SHOCKWAVE_SERVER_CLIENT_POOL_H_

// Pool: one origin's connections, sized when the origin is added. Each
// connection slot owns a slice of the pool's slabs: an input buffer the
// responses are parsed in, an output buffer holding the requests in flight
// (kept until their responses begin, for a retry), and a ring of what those
// requests are waiting for. Nothing here allocates after the constructor.

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "server/client/client.h"
#include "server/http1/response_parser.h"

namespace shockwave::client_detail {

// Loop: the client's epoll instance and its event array.
struct Loop;

// InFlight: a request sent (or queued to send) on a connection.
struct InFlight {
  std::size_t bytes = 0;  // its encoding, at the front of the output buffer in ring order
  Completion completion;
  http1::RequestKind kind = http1::RequestKind::kOther;
  bool idempotent = false;
  unsigned retries = 0;
};

struct Connection {
  enum class State : std::uint8_t { kFree, kConnecting, kOpen };

  State state = State::kFree;
  int fd = -1;
  char* in = nullptr;
  std::size_t in_len = 0;
  char* out = nullptr;
  std::size_t out_len = 0;   // bytes of requests held
  std::size_t out_sent = 0;  // of which written
  InFlight* ring = nullptr;
  std::size_t ring_head = 0;
  std::size_t ring_count = 0;
  http1::ResponseParser parser{{}};
  std::size_t responses = 0;      // completed on this socket: it has been reused once > 0
  bool response_started = false;  // a byte of the front request's response arrived
  bool writable = false;
  bool closing = false;          // the last response said close: no new requests
  bool reading = false;          // inside read(): send() queues but does not write
  std::int64_t deadline_ms = 0;  // connect or response deadline (0: none)
  std::int64_t idle_since_ms = 0;

  InFlight& front() noexcept { return ring[ring_head]; }
};

struct Pool {
  Pool(Client& client, int id, const sockaddr_storage& address, socklen_t address_len, std::string host);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  ClientError send(const ClientRequest& request, Completion completion) noexcept;
  void on_event(std::size_t slot, std::uint32_t events) noexcept;
  void sweep(std::int64_t now_ms) noexcept;
  // shut_down fails every request in flight with kShutdown and closes all.
  void shut_down() noexcept;
  std::size_t open_connections() const noexcept;

 private:
  // pick: where a request of at least `request_size` bytes goes, or null;
  // `connect_failed` says a new connection was wanted and could not start.
  Connection* pick(std::size_t request_size, bool* connect_failed) noexcept;
  bool connect(Connection& c) noexcept;
  void flush(Connection& c) noexcept;
  void read(Connection& c) noexcept;
  // parse_responses completes what the input holds; false if the connection closed.
  bool parse_responses(Connection& c) noexcept;
  // complete_front answers the front request with its response (failures
  // go through close()).
  void complete_front(Connection& c, const ClientResponse& response) noexcept;
  void stream_body(Connection& c) noexcept;
  std::string_view body_for(Connection& c) noexcept;
  // close ends the socket. Requests still in flight are sent again on a new
  // one when `may_retry` and the retry rule (client.h) allows, else
  // completed with `why`.
  void close(Connection& c, ClientError why, bool may_retry) noexcept;
  void arm_deadline(Connection& c) noexcept;

  Client& client_;
  const ClientConfig& config_;
  int id_;
  sockaddr_storage address_;
  socklen_t address_len_;
  std::string host_;
  std::size_t count_;
  std::unique_ptr<Connection[]> connections_;
  std::unique_ptr<char[]> in_slab_;
  std::unique_ptr<char[]> out_slab_;
  std::unique_ptr<http1::Header[]> field_slab_;
  std::unique_ptr<InFlight[]> ring_slab_;
  // close()'s scratch: completions to call once the slot is consistent, and
  // the requests kept for a retry (the ring wraps: they are gathered here
  // before they go back to its start).
  std::unique_ptr<Completion[]> failed_;
  std::unique_ptr<InFlight[]> kept_;
};

}  // namespace shockwave::client_detail

#endif  // SHOCKWAVE_SERVER_CLIENT_POOL_H_
