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

#include <span>
#include <string_view>

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
};

// Handler is the interface form, for handlers chosen at run time.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void handle(const Request& request, ResponseWriter& response) = 0;
};

template <typename H>
concept RequestHandler = requires(H& h, const Request& request, ResponseWriter& response) {
  h.handle(request, response);
};

// Dispatch is how the (non-template) connection code reaches the handler:
// a plain function pointer and the handler's address. Nothing to allocate.
struct Dispatch {
  void* handler = nullptr;
  void (*call)(void* handler, const Request& request, ResponseWriter& response) = nullptr;

  template <RequestHandler H>
  static Dispatch to(H& handler) noexcept {
    return {&handler, [](void* h, const Request& request, ResponseWriter& response) {
              static_cast<H*>(h)->handle(request, response);
            }};
  }
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_HANDLER_H_
