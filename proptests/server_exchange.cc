#include "proptests/server_exchange.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <span>
#include <string_view>

#include "testing/escape.h"

namespace shockwave::proptests {
namespace {

constexpr std::string_view kConnectRefusal = "CONNECT is not supported";  // server/net/connection.cc

// number: the decimal digits at the start of `s`.
std::size_t number(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') break;
    n = n * 10 + static_cast<std::size_t>(c - '0');
  }
  return n;
}

// is_named: `name` is `lower` in any case.
bool is_named(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if ((name[i] | 0x20) != lower[i]) return false;
  }
  return true;
}
bool is_control_field(std::string_view name) {
  return is_named(name, "x-response") || is_named(name, "x-body") || is_named(name, "x-defer");
}

constexpr std::uint64_t kFnvBasis = 0xcbf29ce484222325ull;
std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  return hash;
}

// Scratch words: 0 body size so far, 1 its FNV-1a (0: none yet), 2 paused once.
constexpr std::uint64_t kWokenValue = 7;

// Digest: "<size>:<16 hex>", formatted without allocating.
struct Digest {
  char text[40];
  std::size_t size = 0;
  Digest(std::uint64_t n, std::uint64_t hash) {
    size = static_cast<std::size_t>(std::snprintf(text, sizeof text, "%llu:%016llx", static_cast<unsigned long long>(n),
                                                  static_cast<unsigned long long>(hash)));
  }
  std::string_view view() const { return {text, size}; }
};

}  // namespace

std::string_view exchange_file_content() {
  static const std::string content = [] {
    std::string c(kExchangeFileSize, '\0');
    for (std::size_t i = 0; i < c.size(); ++i) c[i] = static_cast<char>('!' + (i * 31 + i / 97) % 90);
    return c;
  }();
  return content;
}

ExchangeHandler::ExchangeHandler() {
  const char* dir = std::getenv("TEST_TMPDIR");
  file_path = std::string(dir != nullptr ? dir : "/tmp") + "/exchange_file_" + std::to_string(::getpid()) + "_" +
              std::to_string(reinterpret_cast<std::uintptr_t>(this)) + ".bin";
  const int fd = ::open(file_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const std::string_view content = exchange_file_content();
  if (fd < 0 || ::write(fd, content.data(), content.size()) != static_cast<ssize_t>(content.size())) std::abort();
  ::close(fd);
}

ExchangeHandler::~ExchangeHandler() { ::unlink(file_path.c_str()); }

std::string digest(std::string_view body) { return std::string(Digest(body.size(), fnv1a(kFnvBasis, body)).view()); }

BodyPlan ExchangeHandler::plan_body(const Request& head) noexcept {
  return head.header("X-Body").empty() ? BodyPlan::whole() : BodyPlan::streamed();
}

std::size_t ExchangeHandler::on_body(const Request& head, std::string_view slice) noexcept {
  const std::string_view how = head.header("X-Body");
  const std::span<std::uint64_t, 4> s = head.scratch();
  const std::size_t most = how.starts_with("stream ") ? number(how.substr(7)) : slice.size();
  const std::string_view took = slice.substr(0, most == 0 ? 1 : most);
  s[0] += took.size();
  s[1] = fnv1a(s[1] == 0 ? kFnvBasis : s[1], took);
  if (how == "pause" && s[2] == 0) {
    s[2] = 1;
    // Back-pressure: nothing more until the other thread wakes the ticket.
    if (!wakes.after(std::chrono::milliseconds(0), head.defer(), 0)) return 0;
  }
  return took.size();
}

void ExchangeHandler::handle(const Request& request, ResponseWriter& response) noexcept {
  const std::string_view defer = request.header("X-Defer");
  if (defer == "now") {
    request.defer().wake(kWokenValue);  // from the loop's own thread
    return;
  }
  if (defer == "thread") {
    if (wakes.after(std::chrono::milliseconds(0), request.defer(), kWokenValue)) return;
    response.status(503);  // the table is full: say so, written, so not deferred
    return;
  }
  resume(request, kWokenValue, response);
}

void ExchangeHandler::resume(const Request& request, std::uint64_t value, ResponseWriter& response) noexcept {
  if (value != kWokenValue) {
    response.status(500);
    return;
  }
  const std::string_view how = request.header("X-Response");
  // A streamed body's echo is its digest (what the handler kept of it).
  const std::span<std::uint64_t, 4> s = request.scratch();
  const Digest d(s[0], s[1] == 0 ? kFnvBasis : s[1]);
  const std::string_view body = request.header("X-Body").empty() ? request.body : d.view();
  // The status line goes out with the first field: status() comes first.
  if (how.starts_with("error ")) response.status(static_cast<int>(number(how.substr(6))));
  response.header("Content-Type", "application/octet-stream");
  if (how.starts_with("file ")) {
    // "file OFFSET LENGTH": those bytes of the file, sent by the server.
    const std::string_view numbers = how.substr(5);
    const std::size_t offset = number(numbers);
    const std::size_t length = number(numbers.substr(numbers.find(' ') + 1));
    const int fd = ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;  // an empty 200: the check fails and says so
    request.send_file(response, fd, offset, length);
  } else if (how.starts_with("stream ")) {
    const std::size_t piece = number(how.substr(7));
    response.begin_chunked();
    for (std::size_t at = 0; piece > 0 && at < body.size(); at += piece) {
      response.write_chunk(body.substr(at, piece));
    }
    response.end_chunked();
  } else if (how.starts_with("error ")) {
    response.body(request.target());
  } else {
    response.body(body);
  }
}

rc::Gen<Exchange> gen_exchange(const ExchangeSpace& space, bool persistent) {
  return rc::gen::exec([space, persistent] {
    RequestSpace rs;
    rs.persistent = persistent;
    rs.max_body = space.max_body;
    rs.max_chunks = 4;
    rs.max_trailers = 2;
    // Host, Connection, the framing field, X-Response, X-Body and X-Defer
    // come on top.
    rs.max_extra_fields = space.max_fields - 6 - rs.max_trailers;
    Exchange ex;
    GenRequest& r = ex.request;
    r = *gen_request(rs);
    std::erase_if(r.fields, [](const GenField& f) { return is_control_field(f.name); });
    std::erase_if(r.trailers, [](const GenField& f) { return is_control_field(f.name); });

    std::string how;
    enum Kind { kEcho, kStream, kError, kFile };
    const Kind kind = *rc::gen::element(kEcho, kStream, kError, kFile);
    std::string file_bytes;
    if (kind == kEcho) {
      how = "echo";
    } else if (kind == kFile) {
      // Up to 20 KiB from anywhere in the file (a response must fit the
      // test client's buffer), often more than a small output buffer.
      const auto offset = *rc::gen::inRange<std::size_t>(0, kExchangeFileSize + 1);
      const auto length =
          *rc::gen::inRange<std::size_t>(0, std::min<std::size_t>(kExchangeFileSize - offset, 20'480) + 1);
      how = "file " + std::to_string(offset) + " " + std::to_string(length);
      file_bytes = std::string(exchange_file_content().substr(offset, length));
    } else if (kind == kStream) {
      how = "stream " + std::to_string(*rc::gen::inRange(1, 65));
    } else {
      ex.status = *rc::gen::element(400, 401, 403, 404, 405, 409, 410, 422, 429, 500, 501, 502, 503);
      how = "error " + std::to_string(ex.status);
    }
    const auto at = *rc::gen::inRange<std::size_t>(0, r.fields.size() + 1);
    r.fields.insert(r.fields.begin() + static_cast<std::ptrdiff_t>(at), GenField{"X-Response", how, " ", ""});
    // Half the requests take their body streamed, some of those paused;
    // a third defer their response.
    const int body_how = *rc::gen::weightedElement<int>({{4, 0}, {3, 1}, {1, 2}});
    const bool streamed = body_how != 0;
    if (streamed) {
      const std::string value = body_how == 2 ? "pause" : "stream " + std::to_string(*rc::gen::inRange(1, 300));
      r.fields.push_back(GenField{"X-Body", value, " ", ""});
    }
    const int defer_how = *rc::gen::weightedElement<int>({{4, 0}, {1, 1}, {1, 2}});
    if (defer_how != 0) r.fields.push_back(GenField{"X-Defer", defer_how == 1 ? "now" : "thread", " ", ""});
    if (*rc::gen::weightedElement<int>({{3, 0}, {1, 1}}) == 1) {
      // Exactly at the server's limit of field lines.
      while (r.fields.size() + r.trailers.size() < space.max_fields) {
        r.fields.push_back(GenField{"X-Fill", std::to_string(r.fields.size()), " ", ""});
      }
    }

    ex.head = r.method == "HEAD";
    if (r.method == "CONNECT") {
      ex.status = 501;
      ex.body = kConnectRefusal;
      ex.closing = true;
      ex.head = false;
    } else if (r.target == "*") {
      // RFC 9110 §9.3.7: the server answers OPTIONS * itself (200, Allow,
      // no content); the handler never sees it.
      ex.status = 200;
      ex.body.clear();
      ex.closing = !r.keep_alive;
    } else {
      ex.body = kind == kFile ? file_bytes : kind == kError ? r.target : streamed ? digest(r.body) : r.body;
      // HTTP/1.0 gets a streamed body delimited by the close (RFC 9112 §6.1).
      ex.closing = !r.keep_alive || (kind == kStream && r.version_minor == 0);
    }
    return ex;
  });
}

rc::Gen<Batch> gen_batch(const ExchangeSpace& space) {
  return rc::gen::exec([space] {
    // A container, so that shrinking can drop any request. Its length is
    // uniform in 0..max_pipeline - 1 (the container's size); the requests
    // see the case's own size. Then, half the time (always after none), a
    // last request that may also end the connection; shrinking drops it
    // first.
    std::vector<Exchange> all = *rc::gen::withSize([space](int size) {
      return rc::gen::resize(
          static_cast<int>(space.max_pipeline) - 1,
          rc::gen::container<std::vector<Exchange>>(rc::gen::resize(size, gen_exchange(space, true))));
    });
    // (Both drawn whatever the container holds, so that emptying it while
    // shrinking leaves the last request as it was.)
    const bool ending = *rc::gen::arbitrary<bool>();
    const Exchange last = *gen_exchange(space, false);
    if (all.empty() || ending) all.push_back(last);
    Batch b;
    for (Exchange& ex : all) {
      b.bytes += serialize(ex.request);
      b.exchanges.push_back(std::move(ex));
      if (b.exchanges.back().closing) break;
    }
    return b;
  });
}

bool run_batch(testing::Client& client, const Batch& batch) {
  if (!client.send(batch.bytes)) return false;
  for (const Exchange& ex : batch.exchanges) {
    if (!client.expect(ex.expected())) return false;
  }
  return !batch.closes() || client.expect_eof();
}

void showValue(const Batch& batch, std::ostream& os) {
  os << batch.exchanges.size() << " pipelined request(s), " << batch.bytes.size() << " bytes:";
  for (const Exchange& ex : batch.exchanges) {
    os << "\n  \"" << testing::escape(serialize(ex.request)) << "\"\n    -> " << ex.status
       << (ex.head ? ", no content" : "") << (ex.closing ? ", closes" : "") << ", body of " << ex.body.size()
       << " octets";
  }
}

ExchangeServers::ExchangeServers(Config (*config)(bool a, bool b)) {
  for (int i = 0; i < 4; ++i) {
    servers_[static_cast<std::size_t>(i)] = std::make_unique<Server<ExchangeHandler>>(config(i & 1, i & 2), handler_);
  }
}

ExchangeServers::~ExchangeServers() {
  for (auto& s : servers_) {
    s->stop();
    s->wait();
  }
}

bool ExchangeServers::start(std::string* error) {
  for (auto& s : servers_) {
    if (!s->start(error)) return false;
  }
  return true;
}

}  // namespace shockwave::proptests
