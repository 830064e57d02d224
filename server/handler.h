#ifndef SHOCKWAVE_SERVER_HANDLER_H_
#define SHOCKWAVE_SERVER_HANDLER_H_

// What a handler sees and how it is called. A handler is any type with
//
//   void handle(const shockwave::Request&, shockwave::ResponseWriter&);
//
// Server<MyHandler> calls it directly (no type erasure); Server<Handler>
// calls a subclass of the interface below through one virtual call. Neither
// can allocate on the server's behalf.
//
// For a safe method (GET, HEAD, OPTIONS, TRACE: RFC 9110 §9.2.1) handle()
// may be called twice for one request: when its response does not fit
// behind pipelined responses the client has not read yet, it is taken back
// unsent and the handler called again once they are out. Requests with
// other methods are called once, on an empty output queue.
//
// Optional members, found at compile time, for what handle() alone cannot do:
//
//   Streaming request bodies. By default the whole body is read into the
//   connection's buffer (Config::limits.max_body) before handle() runs.
//     BodyPlan plan_body(const Request& head);
//   is asked once the head is in, for a request that has a body; answering
//   BodyPlan::streamed(max) has the body handed over as it arrives, in
//   slices of the connection's buffer:
//     std::size_t on_body(const Request& head, std::string_view slice);
//   returns how much of the slice it took; the rest is offered again with
//   what arrives next. To stop the connection reading (back-pressure: a
//   slow sink), take less and call head.defer(): nothing more is read or
//   offered until the ticket is woken. handle() runs once the body is
//   over, with Request::body empty and the trailers in place. `max` (0: no
//   limit) bounds the whole body (413), whatever max_body says.
//
//   Deferred responses. handle() may call request.defer() and return
//   without writing: the response is written later, when the ticket is
//   woken (from any thread: exchange.h), by
//     void resume(const Request& request, std::uint64_t value, ResponseWriter& response);
//   on the connection's loop, with the same request and the value given to
//   wake(). Pipelined requests behind it wait, so responses keep their
//   order; one never woken is answered 503 after Config::deferred_timeout.
//
//   void abandon(const Request& request);
//   is called (on the loop) when a request the handler holds something for
//   ends without it: a deferred or paused request whose connection closed
//   (the client went away, an error, the shutdown deadline) or whose
//   timeout passed, or a body plan_body() chose to stream that ends in an
//   error (413 over its bound, a framing error, the client gone) before
//   handle() runs. Its tickets are stale by then. A handler can release what it kept for the request there.

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "server/exchange.h"
#include "server/http1/request.h"
#include "server/http1/response_writer.h"

namespace shockwave {

// The handler writes its response through http1's writer.
using http1::ResponseWriter;

// Request: the parsed request, as views into the connection's input buffer,
// valid during handle() only.
struct Request {
  const http1::RequestHead& head;
  std::string_view body;  // decoded (chunked framing removed)
  std::span<const http1::Header> trailers;
  // The connection's state for this exchange; null outside a server.
  Exchange* exchange = nullptr;

  std::string_view method() const noexcept { return head.method; }
  std::string_view target() const noexcept { return head.target; }
  // path is the target's path: up to "?" for origin-form; for absolute-form
  // the same path without scheme and authority ("/" if empty), since it
  // names the same resource (RFC 9112 §3.2.2); the whole target otherwise.
  std::string_view path() const noexcept {
    std::string_view t = head.target;
    if (head.target_form == http1::TargetForm::kAbsolute) {
      const std::size_t authority = t.find("//");
      t = authority == std::string_view::npos ? std::string_view() : t.substr(authority + 2);
      const std::size_t slash = t.find_first_of("/?");
      t = slash == std::string_view::npos ? std::string_view() : t.substr(slash);
      if (t.empty() || t.front() == '?') return "/";
    }
    return t.substr(0, t.find('?'));
  }
  // header returns the first field with this name (case-insensitive), or "".
  std::string_view header(std::string_view name) const noexcept {
    for (const http1::Header& h : head.headers) {
      if (http1::equals_ignore_case(h.name, name)) return h.value;
    }
    return {};
  }

  // defer: the handler will go on later (see above); the ticket wakes it.
  // Outside a server (no exchange) the ticket is invalid and wakes nothing.
  Ticket defer() const noexcept { return exchange != nullptr ? exchange->defer() : Ticket(); }
  // send_file answers with `length` bytes of the open file `fd`, from
  // `offset`, as the content of the response whose status and fields
  // `response` holds: the head is ended with that Content-Length and the
  // server sends the bytes itself, behind it (sendfile(2) where the event
  // loop can, a copy through the output buffer where it cannot), while the
  // requests behind it wait. The fd is the server's from this call on: it
  // is closed once the bytes are out, when the connection closes, or at
  // once when none are due (HEAD, 304, a head that did not fit). Outside a
  // server only the head is written. A file that shrinks while it is sent
  // cuts the connection: the client sees a short response, never bytes
  // that are not the file's.
  void send_file(ResponseWriter& response, int fd, std::uint64_t offset, std::uint64_t length) const noexcept {
    const bool due = response.content_follows(length);
    if (exchange == nullptr) {
      Exchange::close_file(fd);
    } else {
      exchange->attach_file(fd, offset, due ? length : 0);
    }
  }
  // scratch: four words the handler may keep for this request across its
  // calls (plan_body, on_body, handle, resume, abandon), zero at the start;
  // the only per-request memory the server offers.
  std::span<std::uint64_t, 4> scratch() const noexcept {
    return exchange != nullptr ? std::span<std::uint64_t, 4>(exchange->scratch)
                               : std::span<std::uint64_t, 4>(no_scratch_);
  }

 private:
  inline static thread_local std::uint64_t no_scratch_[4] = {};
};

// BodyPlan: how a handler takes a request's body (plan_body).
struct BodyPlan {
  bool stream = false;
  std::uint64_t max = 0;  // streamed: the bound on the whole body; 0 for none

  static constexpr BodyPlan whole() noexcept { return {}; }
  static constexpr BodyPlan streamed(std::uint64_t max = 0) noexcept { return {true, max}; }
};

// Handler is the interface form, for handlers chosen at run time.
// The optional members the defaults below stand in for.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void handle(const Request& request, ResponseWriter& response) = 0;
  virtual BodyPlan plan_body(const Request&) { return BodyPlan::whole(); }
  virtual std::size_t on_body(const Request&, std::string_view slice) { return slice.size(); }
  virtual void resume(const Request&, std::uint64_t, ResponseWriter& response) { response.status(500); }
  virtual void abandon(const Request&) {}
};

template <typename H>
concept RequestHandler = requires(H& h, const Request& request, ResponseWriter& response) {
  h.handle(request, response);
};
template <typename H>
concept StreamsBodies = requires(H& h, const Request& request, std::string_view slice) {
  { h.plan_body(request) } -> std::same_as<BodyPlan>;
  { h.on_body(request, slice) } -> std::convertible_to<std::size_t>;
};
template <typename H>
concept ResumesResponses = requires(H& h, const Request& request, std::uint64_t value, ResponseWriter& response) {
  h.resume(request, value, response);
};
template <typename H>
concept AbandonsRequests = requires(H& h, const Request& request) {
  h.abandon(request);
};

// Dispatch is how the (non-template) connection code reaches the handler:
// plain function pointers and the handler's address; a member the handler
// does not have is null. Nothing to allocate.
struct Dispatch {
  void* handler = nullptr;
  void (*call)(void* handler, const Request& request, ResponseWriter& response) = nullptr;
  BodyPlan (*plan_body)(void* handler, const Request& head) = nullptr;
  std::size_t (*on_body)(void* handler, const Request& head, std::string_view slice) = nullptr;
  void (*resume)(void* handler, const Request& request, std::uint64_t value, ResponseWriter& response) = nullptr;
  void (*abandon)(void* handler, const Request& request) = nullptr;

  template <RequestHandler H>
  static Dispatch to(H& handler) noexcept {
    Dispatch d;
    d.handler = &handler;
    d.call = [](void* h, const Request& request, ResponseWriter& response) {
      static_cast<H*>(h)->handle(request, response);
    };
    if constexpr (StreamsBodies<H>) {
      d.plan_body = [](void* h, const Request& head) { return static_cast<H*>(h)->plan_body(head); };
      d.on_body = [](void* h, const Request& head, std::string_view slice) -> std::size_t {
        return static_cast<H*>(h)->on_body(head, slice);
      };
    }
    if constexpr (ResumesResponses<H>) {
      d.resume = [](void* h, const Request& request, std::uint64_t value, ResponseWriter& response) {
        static_cast<H*>(h)->resume(request, value, response);
      };
    }
    if constexpr (AbandonsRequests<H>) {
      d.abandon = [](void* h, const Request& request) { static_cast<H*>(h)->abandon(request); };
    }
    return d;
  }
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_HANDLER_H_
