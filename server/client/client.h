#ifndef SHOCKWAVE_SERVER_CLIENT_CLIENT_H_
#define SHOCKWAVE_SERVER_CLIENT_CLIENT_H_

// Client: a pooled HTTP/1.1 client on one epoll event loop, the server's
// design turned around. Every buffer, connection slot and parser is
// allocated when an origin is added; sending requests and reading their
// responses allocates nothing. Responses are read with http1::ResponseParser.
//
//   shockwave::Client client(config);
//   const int origin = client.add_origin({"127.0.0.1", 8080}, &error);
//   Printer printer;                                  // on_response(...)
//   client.send(origin, {"GET", "/plaintext"}, shockwave::Completion::to(printer));
//   while (client.in_flight() > 0) client.poll(std::chrono::milliseconds(100));
//
// Single-threaded: send() and poll() on one thread; completions run inside
// poll() (or inside send() when the request fails at once). A completion may
// send() again. One Client holds one keep-alive pool per origin, each of at
// most ClientConfig::max_connections connections.
//
// Retries (RFC 9110 §9.2.2, RFC 9112 §9.3.1): a request is sent again, once
// per ClientConfig::max_retries, only if its method is idempotent and the
// connection it went out on had been used before and closed before any byte
// of its response arrived: the usual race with a server closing an idle
// connection. Anything else is reported, never repeated behind the caller.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "server/http1/options.h"
#include "server/http1/request.h"
#include "server/http1/response.h"

namespace shockwave {

struct ClientConfig {
  // Per origin: the most connections its pool opens.
  std::size_t max_connections = 64;
  // Requests one connection may carry before their responses are in: 1 is
  // no pipelining (RFC 9112 §9.3.2).
  std::size_t pipeline_depth = 1;
  std::chrono::milliseconds connect_timeout{5'000};
  // From a request's last byte sent (or the previous response's end) to its
  // whole response.
  std::chrono::milliseconds response_timeout{30'000};
  // A pooled connection unused this long is closed.
  std::chrono::milliseconds idle_timeout{60'000};
  // One whole response (head, body, trailers) must fit a connection's input
  // buffer, a larger one failing with kResponseTooLarge; a streamed body
  // (Completion::body) passes through it instead.
  std::size_t read_buffer_size = 64 * 1024;
  // The serialized requests in flight on one connection, kept until their
  // responses begin so that a retry can send them again.
  std::size_t write_buffer_size = 16 * 1024;
  std::size_t max_fields = 100;  // field lines per response, trailers included
  unsigned max_retries = 1;
  // How responses are parsed: strict by default. max_body is left to the
  // read buffer.
  http1::ParserOptions parser = [] {
    http1::ParserOptions o;
    o.limits.max_body = SIZE_MAX;
    return o;
  }();
};

// Origin: where requests go. The address is an IPv4 or IPv6 literal (no
// name resolution: it would allocate and block the loop).
struct Origin {
  std::string address = "127.0.0.1";
  std::uint16_t port = 80;
  std::string host;  // the Host field; "" is address:port
};

struct ClientRequest {
  std::string_view method = "GET";
  std::string_view target = "/";
  // Sent as given. Host is added, and Content-Length when there is a body
  // or the method expects one (RFC 9110 §8.6); do not pass either.
  std::span<const http1::Header> headers = {};
  std::string_view body = {};
};

enum class ClientError : std::uint8_t {
  kNone,
  kBusy,              // send(): every connection of the pool is at its pipeline depth
  kRequestTooLarge,   // send(): the request does not fit the write buffer
  kUnknownOrigin,     // send(): no such origin id
  kInvalidRequest,    // send(): a method, target or field that would break the framing
  kConnect,           // connect(2) failed (from send(): at once, and no open connection could take it)
  kConnectTimeout,    //
  kResponseTimeout,   //
  kClosed,            // the connection ended before the whole response
  kInvalidResponse,   // the response parser refused it (RFC 9112)
  kResponseTooLarge,  // it did not fit ClientConfig::read_buffer_size
  kUnexpectedData,    // bytes came with no request outstanding
  kShutdown,          // the Client was destroyed first
};
std::string_view to_string(ClientError error) noexcept;

// ClientResponse: views into the connection's input buffer, valid during
// the completion only.
struct ClientResponse {
  const http1::ResponseHead& head;
  std::string_view body;  // decoded (chunked framing removed)
  std::span<const http1::Header> trailers;
  // header returns the first field with this name (case-insensitive), or "".
  std::string_view header(std::string_view name) const noexcept;
};

// Completion: how a request's outcome reaches the caller, once: a response,
// or an error (response null). A plain function pointer and a context:
// nothing to allocate.
//
// With `body` set, the response's body is streamed: each slice is handed
// over as it arrives (with the head, whose body view is empty), out of the
// connection's buffer, so a body of any size passes through
// read_buffer_size (which must then hold the head, one unfinished chunk
// line and the trailers). done() still comes last, its body empty. An
// error may follow slices: a body cut short or refused midway.
struct Completion {
  void* context = nullptr;
  void (*done)(void* context, const ClientResponse* response, ClientError error) = nullptr;
  void (*body)(void* context, const ClientResponse& head, std::string_view slice) = nullptr;

  // to(receiver): calls receiver.on_response(response, error), and
  // receiver.on_body(head, slice) for each slice if it has that member.
  template <typename R>
  static Completion to(R& receiver) noexcept {
    Completion c{&receiver, [](void* r, const ClientResponse* response, ClientError error) {
                   static_cast<R*>(r)->on_response(response, error);
                 }};
    if constexpr (requires(R & r, const ClientResponse& head, std::string_view slice) { r.on_body(head, slice); }) {
      c.body = [](void* r, const ClientResponse& head, std::string_view slice) {
        static_cast<R*>(r)->on_body(head, slice);
      };
    }
    return c;
  }
};

struct ClientStats {
  std::uint64_t connections_opened = 0;
  std::uint64_t requests_sent = 0;  // retries included
  std::uint64_t responses = 0;
  std::uint64_t retries = 0;
  std::uint64_t errors = 0;
  std::uint64_t bytes_received = 0;  // as read from the sockets, framing included
};

namespace client_detail {
struct Pool;
struct Loop;
}  // namespace client_detail

class Client {
 public:
  explicit Client(const ClientConfig& config = {});
  ~Client();  // requests still in flight complete with kShutdown
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // add_origin sizes the origin's pool (all its memory, now) and returns its
  // id, or -1 with a message for an address that is not a literal.
  int add_origin(const Origin& origin, std::string* error = nullptr);

  // send queues a request on the origin's pool: an idle connection first,
  // then a new one, then (with pipelining) the least loaded. kNone: queued,
  // and `completion` will be called exactly once. Otherwise nothing was
  // queued and the completion will not be called: kBusy means poll() and
  // try again.
  ClientError send(int origin, const ClientRequest& request, Completion completion) noexcept;

  // poll waits up to `timeout` for I/O, then reads, writes and completes
  // what it can and enforces the timeouts. Returns the completions it made.
  std::size_t poll(std::chrono::milliseconds timeout) noexcept;

  // Requests sent and not yet completed.
  std::size_t in_flight() const noexcept { return in_flight_; }
  // Open connections, all origins (connecting ones included).
  std::size_t open_connections() const noexcept;
  const ClientStats& stats() const noexcept { return stats_; }

 private:
  friend struct client_detail::Pool;
  ClientConfig config_;
  std::unique_ptr<client_detail::Loop> loop_;
  std::vector<std::unique_ptr<client_detail::Pool>> pools_;
  std::size_t in_flight_ = 0;
  std::size_t completed_ = 0;  // completions made, for poll()'s count
  std::int64_t now_ms_ = 0;
  std::int64_t next_sweep_ms_ = 0;
  ClientStats stats_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_CLIENT_CLIENT_H_
