#ifndef SHOCKWAVE_PROPTESTS_SERVER_EXCHANGE_H_
#define SHOCKWAVE_PROPTESTS_SERVER_EXCHANGE_H_

// server_exchange: generated request/response exchanges with a running
// server, for the zero-allocation properties.
//
// ExchangeHandler answers as the request's X-Response field says:
//   X-Response: echo          200, the request body back (Content-Length)
//   X-Response: stream <n>    200, the request body back in chunks of n
//                             octets (chunked; close-delimited to HTTP/1.0)
//   X-Response: error <code>  that 4xx/5xx status, the request target as body
// and, on the way there (handler.h's optional members):
//   X-Body: stream <n>        the body is streamed to on_body, which takes at
//                             most n octets a call; "the request body" above
//                             is then its digest, "<size>:<FNV-1a 64 hex>"
//   X-Body: pause             streamed, and on_body defers after its first
//                             slice (back-pressure), woken from another thread
//   X-Defer: now | thread     handle() defers; the ticket is woken at once on
//                             the loop's thread, or from another thread;
//                             resume() writes the response as handle() would
// The server itself answers CONNECT (501, then closes) and OPTIONS * (200,
// no content). An Exchange is one
// generated request with the X-Response field added and the response the
// server must give; a Batch is 1..N of them pipelined, every one keeping
// the connection open except perhaps the last.
//
// Generation allocates freely; run_batch, which talks to the server while
// the allocations are counted, does not.

#include <rapidcheck.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "proptests/generators.h"
#include "server/config.h"
#include "server/delayed_wakes.h"
#include "server/handler.h"
#include "server/server.h"
#include "testing/client.h"

namespace shockwave::proptests {

// The file "file" responses send from (Request::send_file): this many
// bytes of a fixed pattern, exchange_file_content().
inline constexpr std::size_t kExchangeFileSize = 48 * 1024;
std::string_view exchange_file_content();

struct ExchangeHandler {
  // Writes the file (in TEST_TMPDIR) that "file" responses send from.
  ExchangeHandler();
  ~ExchangeHandler();
  ExchangeHandler(const ExchangeHandler&) = delete;
  ExchangeHandler& operator=(const ExchangeHandler&) = delete;

  BodyPlan plan_body(const Request& head) noexcept;
  std::size_t on_body(const Request& head, std::string_view slice) noexcept;
  void handle(const Request& request, ResponseWriter& response) noexcept;
  void resume(const Request& request, std::uint64_t value, ResponseWriter& response) noexcept;

  DelayedWakes wakes{256};  // the other thread that wakes tickets
  std::string file_path;
};

// digest: what a streamed body's echo carries, "<size>:<FNV-1a 64 hex>".
std::string digest(std::string_view body);

struct Exchange {
  GenRequest request;  // X-Response included among its fields
  int status = 200;
  std::string body;  // the response content (what a GET would carry, for HEAD)
  bool closing = false;
  bool head = false;

  testing::ExpectedResponse expected() const { return {status, body, closing, head}; }
};

struct Batch {
  std::vector<Exchange> exchanges;
  std::string bytes;  // every request, back to back
  bool closes() const { return !exchanges.empty() && exchanges.back().closing; }
};

// What to generate.
struct ExchangeSpace {
  std::size_t max_pipeline = 32;
  // The server's Config::max_fields: requests carry 0 up to exactly this
  // many field lines (head and trailers together).
  std::size_t max_fields = 32;
  std::size_t max_body = 512;
};

rc::Gen<Exchange> gen_exchange(const ExchangeSpace& space, bool persistent);
// gen_batch: 1..max_pipeline exchanges; all but the last keep the
// connection open; cut after the first one that closes it (only HTTP/1.0
// with a streamed response can, before the last).
rc::Gen<Batch> gen_batch(const ExchangeSpace& space);

// run_batch sends the batch in one write and reads every response (and the
// end of the stream after a closing one). Allocates nothing.
bool run_batch(testing::Client& client, const Batch& batch);

void showValue(const Batch& batch, std::ostream& os);

// ExchangeServers: four servers answering with ExchangeHandler, one for each
// pair of two configuration choices, config(a, b); started together,
// stopped gracefully when destroyed.
class ExchangeServers {
 public:
  explicit ExchangeServers(Config (*config)(bool a, bool b));
  ~ExchangeServers();
  ExchangeServers(const ExchangeServers&) = delete;
  ExchangeServers& operator=(const ExchangeServers&) = delete;

  bool start(std::string* error);
  // index: where the server for (a, b) is, 0..3.
  static int index(bool a, bool b) { return (a ? 1 : 0) | (b ? 2 : 0); }
  Server<ExchangeHandler>& at(int index) { return *servers_[static_cast<std::size_t>(index)]; }

 private:
  ExchangeHandler handler_;
  std::array<std::unique_ptr<Server<ExchangeHandler>>, 4> servers_;
};

}  // namespace shockwave::proptests

#endif  // SHOCKWAVE_PROPTESTS_SERVER_EXCHANGE_H_
