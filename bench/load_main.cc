// load: a wrk-like HTTP/1.1 load generator on the pooled shockwave::Client.
//
//   load [flags] http://127.0.0.1:8080/plaintext
//
// Each thread drives one Client holding its share of the connections and
// keeps every connection at its pipeline depth: it sends until send()
// answers kBusy, and every completion sends the next request. Latencies
// (send to completion, steady_clock) go to a fixed LatencyHistogram per
// thread; everything a run touches is allocated before it starts, so the
// generator allocates nothing per request. At the end the threads stop
// sending and wait (at most the response timeout) for what is in flight.

#include <arpa/inet.h>
#include <sys/resource.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <latch>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "bench/latency_histogram.h"
#include "server/client/client.h"
#include "server/http1/request.h"

namespace shockwave::bench {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kUsageError = 2;
constexpr std::size_t kErrorKinds = static_cast<std::size_t>(ClientError::kShutdown) + 1;

constexpr const char* kUsage =
    "usage: load [flags] http://ADDRESS[:PORT]/path   (ADDRESS: an IPv4 literal)\n"
    "  -c N             connections, all threads (default 10)\n"
    "  -t N             threads, each one Client with its share of the connections (default 1)\n"
    "  -d SECONDS       duration; a suffix s, m or h is allowed (default 10s)\n"
    "  -p N             pipeline depth: requests in flight per connection (default 1)\n"
    "  -H 'Name: value' a header field for every request (repeatable; Host replaces the default)\n"
    "  -m METHOD        the request method (default GET)\n"
    "  --body STRING    a body for every request\n"
    "  --body-file FILE the body, from a file\n"
    "  -f FILE          requests, one 'METHOD TARGET' a line, sent in turn (instead of the URL's path)\n"
    "  --timeout MS     response timeout (default 2000)\n"
    "  --requests N     stop after N requests have completed (responses and errors)\n"
    "  --latency        print the latency percentiles\n"
    "  --json           print one JSON object instead of the text report\n"
    "  -h, --help       this text\n";

struct Options {
  std::string address;
  std::uint16_t port = 80;
  std::string path = "/";
  std::string url;
  std::size_t connections = 10;
  std::size_t threads = 1;
  double seconds = 10;
  std::size_t pipeline = 1;
  std::vector<std::string> header_lines;
  std::string method = "GET";
  std::string body;
  std::string request_file;
  std::chrono::milliseconds timeout{2000};
  std::uint64_t requests = 0;  // 0: no limit
  bool latency = false;
  bool json = false;
};

template <typename T>
bool parse_number(std::string_view text, T min, T max, T* out) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return false;
  *out = value;
  return true;
}

// parse_duration: "5", "5s", "2m", "1h", "0.5".
bool parse_duration(std::string_view text, double* seconds) {
  double scale = 1;
  if (!text.empty() && (text.back() == 's' || text.back() == 'm' || text.back() == 'h')) {
    scale = text.back() == 'm' ? 60 : text.back() == 'h' ? 3600 : 1;
    text.remove_suffix(1);
  }
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !(value > 0) || value * scale > 7 * 86400) {
    return false;
  }
  *seconds = value * scale;
  return true;
}

// parse_url: http://IPv4[:port]/path. Anything else (a name, IPv6, https)
// is refused: the Client resolves no names, and the report must say
// exactly where the load went.
bool parse_url(std::string_view url, Options* o, std::string* error) {
  constexpr std::string_view kScheme = "http://";
  if (url.substr(0, kScheme.size()) != kScheme) {
    *error = "the URL must start with http:// (got \"" + std::string(url) + "\")";
    return false;
  }
  std::string_view rest = url.substr(kScheme.size());
  const std::size_t slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  o->path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string_view host = authority;
  if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    if (!parse_number<std::uint16_t>(authority.substr(colon + 1), 1, 65535, &o->port)) {
      *error = "bad port in \"" + std::string(url) + "\"";
      return false;
    }
  }
  in_addr ignored{};
  o->address = std::string(host);
  if (::inet_pton(AF_INET, o->address.c_str(), &ignored) != 1) {
    *error = "the address must be an IPv4 literal such as 127.0.0.1 (got \"" + o->address + "\")";
    return false;
  }
  o->url = std::string(url);
  return true;
}

bool read_file(const std::string& path, std::string* out, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  out->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

// parse_args: true to run; false with `error` empty for --help.
bool parse_args(int argc, char** argv, Options* o, std::string* error) {
  bool have_url = false;
  bool have_body = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") return false;
    if (arg == "--latency" || arg == "--json") {
      (arg == "--json" ? o->json : o->latency) = true;
      continue;
    }
    if (arg.empty() || arg[0] != '-') {
      if (have_url) {
        *error = "one URL only (also got \"" + std::string(arg) + "\")";
        return false;
      }
      if (!parse_url(arg, o, error)) return false;
      have_url = true;
      continue;
    }
    // A flag with a value: "-c 64", "-c64", "--timeout 100", "--timeout=100".
    std::string name(arg);
    std::string value;
    bool glued = false;
    if (arg.size() > 2 && arg[1] != '-') {
      name = std::string(arg.substr(0, 2));
      value = std::string(arg.substr(2));
      glued = true;
    } else if (const std::size_t eq = arg.find('='); arg.size() > 2 && eq != std::string_view::npos) {
      name = std::string(arg.substr(0, eq));
      value = std::string(arg.substr(eq + 1));
      glued = true;
    }
    static constexpr std::string_view kWithValue[] = {"-c", "-t",     "-d",          "-p",        "-H",        "-m",
                                                      "-f", "--body", "--body-file", "--timeout", "--requests"};
    bool known = false;
    for (std::string_view f : kWithValue) known = known || name == f;
    if (!known) {
      *error = "unknown flag " + std::string(arg);
      return false;
    }
    if (!glued) {
      if (i + 1 >= argc) {
        *error = name + " needs a value";
        return false;
      }
      value = argv[++i];
    }
    bool ok = true;
    if (name == "-c") {
      ok = parse_number<std::size_t>(value, 1, 100'000, &o->connections);
    } else if (name == "-t") {
      ok = parse_number<std::size_t>(value, 1, 1024, &o->threads);
    } else if (name == "-d") {
      ok = parse_duration(value, &o->seconds);
    } else if (name == "-p") {
      ok = parse_number<std::size_t>(value, 1, 1024, &o->pipeline);
    } else if (name == "-H") {
      ok = value.find(':') != std::string::npos && value.find(':') > 0;
      o->header_lines.push_back(value);
    } else if (name == "-m") {
      ok = !value.empty();
      o->method = value;
    } else if (name == "-f") {
      o->request_file = value;
    } else if (name == "--body" || name == "--body-file") {
      if (have_body) {
        *error = "--body and --body-file: one body only";
        return false;
      }
      have_body = true;
      if (name == "--body") {
        o->body = value;
      } else if (!read_file(value, &o->body, error)) {
        return false;
      }
    } else if (name == "--timeout") {
      std::int64_t ms = 0;
      ok = parse_number<std::int64_t>(value, 1, 3'600'000, &ms);
      o->timeout = std::chrono::milliseconds(ms);
    } else if (name == "--requests") {
      ok = parse_number<std::uint64_t>(value, 1, UINT64_MAX, &o->requests);
    }
    if (!ok) {
      *error = "bad value for " + name + ": \"" + value + "\"";
      return false;
    }
  }
  if (!have_url) {
    *error = "no URL";
    return false;
  }
  if (o->threads > o->connections) {
    *error =
        "more threads (" + std::to_string(o->threads) + ") than connections (" + std::to_string(o->connections) + ")";
    return false;
  }
  return true;
}

// Requests: what the threads send in turn, with the storage their views
// point into.
struct Requests {
  std::vector<std::string> lines;  // -f's lines, kept for the views
  std::vector<http1::Header> headers;
  std::vector<ClientRequest> list;
  std::string host;  // from -H Host, else ""
};

bool build_requests(const Options& o, Requests* r, std::string* error) {
  for (const std::string& line : o.header_lines) {
    const std::size_t colon = line.find(':');
    std::string_view name = std::string_view(line).substr(0, colon);
    std::string_view value = std::string_view(line).substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    // The Client writes Host and Content-Length itself (client.h).
    if (http1::equals_ignore_case(name, "host")) {
      r->host = std::string(value);
      continue;
    }
    if (http1::equals_ignore_case(name, "content-length")) {
      *error = "-H Content-Length: the length comes from --body";
      return false;
    }
    r->headers.push_back({name, value});
  }
  if (o.request_file.empty()) {
    r->list.push_back({o.method, o.path, r->headers, o.body});
    return true;
  }
  std::string text;
  if (!read_file(o.request_file, &text, error)) return false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) r->lines.push_back(line);
  }
  for (std::size_t i = 0; i < r->lines.size(); ++i) {
    const std::string_view line = r->lines[i];
    const std::size_t space = line.find(' ');
    if (space == 0 || space == std::string_view::npos || line.find(' ', space + 1) != std::string_view::npos ||
        space + 1 == line.size()) {
      *error =
          o.request_file + ": line " + std::to_string(i + 1) + " is not 'METHOD TARGET': \"" + std::string(line) + "\"";
      return false;
    }
    r->list.push_back({line.substr(0, space), line.substr(space + 1), r->headers, o.body});
  }
  if (r->list.empty()) {
    *error = o.request_file + " holds no request";
    return false;
  }
  return true;
}

std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// Worker: one thread's Client and its counts. Every in-flight request has
// a Slot (its send time, the completion's context); slots are taken from
// and returned to a free list sized before the run.
class Worker {
 public:
  Worker(const Options& o, const Requests& requests, std::size_t connections, std::uint64_t budget)
      : requests_(requests), budget_(budget == 0 ? UINT64_MAX : budget) {
    ClientConfig config;
    config.max_connections = connections;
    config.pipeline_depth = o.pipeline;
    config.response_timeout = o.timeout;
    client_ = std::make_unique<Client>(config);
    capacity_ = connections * o.pipeline;
    slots_ = std::make_unique<Slot[]>(capacity_);
    free_.reserve(capacity_);
    for (std::size_t i = 0; i < capacity_; ++i) {
      slots_[i].worker = this;
      free_.push_back(&slots_[i]);
    }
  }

  // add_origin: false with a message for an address the Client refuses.
  bool add_origin(const Origin& origin, std::string* error) {
    origin_ = client_->add_origin(origin, error);
    return origin_ >= 0;
  }

  // run: until `deadline`, the request budget or SIGINT; then the drain.
  void run(Clock::time_point deadline, std::chrono::milliseconds drain) {
    const bool bounded = budget_ != UINT64_MAX;
    for (;;) {
      const Clock::time_point now = Clock::now();
      if (now >= deadline || stopped_ || g_interrupted.load(std::memory_order_relaxed)) break;
      if (bounded && sent_ >= budget_ && client_->in_flight() == 0) break;
      fill();
      client_->poll(std::chrono::milliseconds(10));
    }
    stopping_ = true;
    const Clock::time_point drain_end = Clock::now() + drain;
    while (client_->in_flight() > 0 && Clock::now() < drain_end) client_->poll(std::chrono::milliseconds(10));
    end_ = Clock::now();
    bytes = client_->stats().bytes_received;
    retries = client_->stats().retries;
    connections_opened = client_->stats().connections_opened;
    // What is still in flight completes now, with kShutdown.
    client_.reset();
  }

  // The counts, read once the thread has finished.
  LatencyHistogram histogram;
  std::uint64_t responses = 0;
  std::uint64_t not_2xx_3xx = 0;
  std::uint64_t bytes = 0;
  // Requests sent again on a new connection after the server closed one
  // (RFC 9112 §9.3.2); they are not errors, but a reader should see them.
  std::uint64_t retries = 0;
  std::uint64_t connections_opened = 0;
  std::uint64_t errors[kErrorKinds] = {};
  // send() answered kConnect: connect(2) failed at once (out of
  // descriptors, say) and no open connection could take the request.
  std::uint64_t connect_failed_at_send = 0;
  std::string fatal;  // why sending stopped early, if it did
  Clock::time_point end_;

 private:
  struct Slot {
    Worker* worker = nullptr;
    Clock::time_point sent;
  };

  static void done(void* context, const ClientResponse* response, ClientError error) {
    auto* slot = static_cast<Slot*>(context);
    slot->worker->on_done(slot, response, error);
  }

  void on_done(Slot* slot, const ClientResponse* response, ClientError error) noexcept {
    if (response != nullptr) {
      const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - slot->sent).count();
      histogram.record(static_cast<std::uint64_t>(ns > 0 ? ns : 0));
      ++responses;
      const unsigned status = response->head.status;
      if (status < 200 || status >= 400) ++not_2xx_3xx;
    } else {
      ++errors[static_cast<std::size_t>(error)];
    }
    free_.push_back(slot);
    // The next request at once, unless this completion runs inside send()
    // (a request that failed there): the loop's fill() sends then.
    if (!stopping_ && !in_send_) send_one();
  }

  // send_one: false when nothing was sent (busy, budget spent, stopped).
  bool send_one() noexcept {
    if (free_.empty() || sent_ >= budget_ || stopped_) return false;
    Slot* slot = free_.back();
    free_.pop_back();
    slot->sent = Clock::now();
    in_send_ = true;
    const ClientError e = client_->send(origin_, requests_.list[next_], Completion{slot, &Worker::done});
    in_send_ = false;
    if (e == ClientError::kNone) {
      ++sent_;
      if (++next_ == requests_.list.size()) next_ = 0;
      return true;
    }
    free_.push_back(slot);
    if (e == ClientError::kBusy) return false;
    if (e == ClientError::kConnect) {
      ++connect_failed_at_send;
      return false;
    }
    // The request itself is refused (too large, invalid): it always will be.
    ++errors[static_cast<std::size_t>(e)];
    fatal = "send refused request " + std::to_string(next_ + 1) + ": " + std::string(to_string(e));
    stopped_ = true;
    return false;
  }

  // fill: sends until every connection is at its pipeline depth.
  void fill() noexcept {
    for (std::size_t i = 0; i < capacity_ && send_one(); ++i) {
    }
  }

  const Requests& requests_;
  std::unique_ptr<Client> client_;
  int origin_ = -1;
  std::size_t capacity_ = 0;
  std::unique_ptr<Slot[]> slots_;
  std::vector<Slot*> free_;
  std::uint64_t budget_;
  std::uint64_t sent_ = 0;
  std::size_t next_ = 0;
  bool in_send_ = false;
  bool stopping_ = false;
  bool stopped_ = false;
};

double user_seconds(const rusage& u) {
  return static_cast<double>(u.ru_utime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec) / 1e6;
}
double system_seconds(const rusage& u) {
  return static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) / 1e6;
}

// wrk's units: 1.23ms, 456.00us, 2.00s.
std::string time_text(double ns) {
  char text[32];
  if (ns < 1e6) {
    std::snprintf(text, sizeof text, "%.2fus", ns / 1e3);
  } else if (ns < 1e9) {
    std::snprintf(text, sizeof text, "%.2fms", ns / 1e6);
  } else {
    std::snprintf(text, sizeof text, "%.2fs", ns / 1e9);
  }
  return text;
}
std::string bytes_text(double b) {
  static constexpr const char* kUnits[] = {"B", "KB", "MB", "GB", "TB"};
  std::size_t u = 0;
  while (b >= 1024 && u + 1 < std::size(kUnits)) b /= 1024, ++u;
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%s", b, kUnits[u]);
  return text;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

int run(int argc, char** argv) {
  Options o;
  std::string error;
  if (!parse_args(argc, argv, &o, &error)) {
    if (error.empty()) {
      std::fputs(kUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "load: %s\n%s", error.c_str(), kUsage);
    return kUsageError;
  }
  Requests requests;
  if (!build_requests(o, &requests, &error)) {
    std::fprintf(stderr, "load: %s\n", error.c_str());
    return kUsageError;
  }

  // Everything the run needs, before it starts.
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t i = 0; i < o.threads; ++i) {
    const std::size_t share = o.connections / o.threads + (i < o.connections % o.threads ? 1 : 0);
    const std::uint64_t budget = o.requests == 0 ? 0 : o.requests / o.threads + (i < o.requests % o.threads ? 1 : 0);
    if (o.requests != 0 && budget == 0) continue;  // fewer requests than threads
    workers.push_back(std::make_unique<Worker>(o, requests, share, budget));
    if (!workers.back()->add_origin({o.address, o.port, requests.host}, &error)) {
      std::fprintf(stderr, "load: %s\n", error.c_str());
      return kUsageError;
    }
  }
  std::signal(SIGINT, [](int) { g_interrupted.store(true); });

  if (!o.json) {
    std::printf("Running %s test @ %s\n", time_text(o.seconds * 1e9).c_str(), o.url.c_str());
    std::printf("  %zu threads and %zu connections, pipeline depth %zu\n", o.threads, o.connections, o.pipeline);
    std::fflush(stdout);
  }

  std::latch ready(static_cast<std::ptrdiff_t>(workers.size()));
  std::latch go(1);
  Clock::time_point start;
  std::vector<std::thread> threads;
  for (auto& w : workers) {
    threads.emplace_back([&, worker = w.get()] {
      ready.count_down();
      go.wait();
      worker->run(start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds)),
                  o.timeout);
    });
  }
  ready.wait();
  rusage before{};
  ::getrusage(RUSAGE_SELF, &before);
  start = Clock::now();
  go.count_down();
  for (auto& t : threads) t.join();
  rusage after{};
  ::getrusage(RUSAGE_SELF, &after);

  // The totals.
  LatencyHistogram latency;
  std::uint64_t responses = 0, not_2xx_3xx = 0, bytes = 0, connect_failed_at_send = 0, retries = 0,
                connections_opened = 0;
  std::uint64_t errors[kErrorKinds] = {};
  Clock::time_point end = start;
  for (auto& w : workers) {
    latency.merge(w->histogram);
    responses += w->responses;
    not_2xx_3xx += w->not_2xx_3xx;
    bytes += w->bytes;
    retries += w->retries;
    connections_opened += w->connections_opened;
    connect_failed_at_send += w->connect_failed_at_send;
    for (std::size_t k = 0; k < kErrorKinds; ++k) errors[k] += w->errors[k];
    if (w->end_ > end) end = w->end_;
    if (!w->fatal.empty()) std::fprintf(stderr, "load: %s\n", w->fatal.c_str());
  }
  std::uint64_t error_total = connect_failed_at_send;
  for (std::uint64_t e : errors) error_total += e;
  const double seconds = std::chrono::duration<double>(end - start).count();
  const double rps = seconds > 0 ? static_cast<double>(responses) / seconds : 0;
  const double user = user_seconds(after) - user_seconds(before);
  const double sys = system_seconds(after) - system_seconds(before);
  const double cpu = user + sys;
  const double cpu_us_per_request = responses > 0 ? cpu * 1e6 / static_cast<double>(responses) : 0;
  static constexpr double kPercentiles[] = {50, 75, 90, 99, 99.9};
  static constexpr const char* kPercentileNames[] = {"50", "75", "90", "99", "99.9"};

  if (o.json) {
    std::string errors_json;
    for (std::size_t k = 0; k < kErrorKinds; ++k) {
      if (errors[k] == 0) continue;
      errors_json += (errors_json.empty() ? "" : ", ") + json_string(to_string(static_cast<ClientError>(k))) + ": " +
                     std::to_string(errors[k]);
    }
    if (connect_failed_at_send > 0) {
      errors_json += std::string(errors_json.empty() ? "" : ", ") +
                     "\"connect failed at send\": " + std::to_string(connect_failed_at_send);
    }
    std::string percentiles;
    for (std::size_t i = 0; i < std::size(kPercentiles); ++i) {
      char item[64];
      std::snprintf(item, sizeof item, "%s\"p%s\": %.3f", i ? ", " : "", kPercentileNames[i],
                    static_cast<double>(latency.percentile(kPercentiles[i])) / 1e3);
      percentiles += item;
    }
    std::printf(
        "{\"url\": %s, \"threads\": %zu, \"connections\": %zu, \"pipeline\": %zu, \"duration_s\": %.6f, "
        "\"responses\": %llu, \"errors\": %llu, \"errors_by_kind\": {%s}, \"non_2xx_3xx\": %llu, "
        "\"retries\": %llu, \"connections_opened\": %llu, \"requests_per_s\": %.3f, \"bytes\": %llu, "
        "\"bytes_per_s\": %.3f, "
        "\"latency_us\": {\"mean\": %.3f, \"stdev\": %.3f, \"max\": %.3f, %s}, "
        "\"cpu_user_s\": %.6f, \"cpu_sys_s\": %.6f, \"cpu_us_per_request\": %.4f}\n",
        json_string(o.url).c_str(), o.threads, o.connections, o.pipeline, seconds,
        static_cast<unsigned long long>(responses), static_cast<unsigned long long>(error_total), errors_json.c_str(),
        static_cast<unsigned long long>(not_2xx_3xx), static_cast<unsigned long long>(retries),
        static_cast<unsigned long long>(connections_opened), rps, static_cast<unsigned long long>(bytes),
        seconds > 0 ? static_cast<double>(bytes) / seconds : 0, latency.mean() / 1e3, latency.stddev() / 1e3,
        static_cast<double>(latency.max()) / 1e3, percentiles.c_str(), user, sys, cpu_us_per_request);
  } else {
    std::printf("  Thread Stats   Avg      Stdev     Max\n");
    std::printf("    Latency   %8s  %8s  %8s\n", time_text(latency.mean()).c_str(), time_text(latency.stddev()).c_str(),
                time_text(static_cast<double>(latency.max())).c_str());
    if (o.latency) {
      std::printf("  Latency Distribution\n");
      for (std::size_t i = 0; i < std::size(kPercentiles); ++i) {
        std::printf("  %5s%%  %s\n", kPercentileNames[i],
                    time_text(static_cast<double>(latency.percentile(kPercentiles[i]))).c_str());
      }
    }
    std::printf("  %llu requests in %s, %s read\n", static_cast<unsigned long long>(responses),
                time_text(seconds * 1e9).c_str(), bytes_text(static_cast<double>(bytes)).c_str());
    if (error_total > 0) {
      std::printf("  Errors:");
      const char* sep = " ";
      for (std::size_t k = 0; k < kErrorKinds; ++k) {
        if (errors[k] == 0) continue;
        std::printf("%s%s %llu", sep, std::string(to_string(static_cast<ClientError>(k))).c_str(),
                    static_cast<unsigned long long>(errors[k]));
        sep = ", ";
      }
      if (connect_failed_at_send > 0) {
        std::printf("%sconnect failed at send %llu", sep, static_cast<unsigned long long>(connect_failed_at_send));
      }
      std::printf("\n");
    }
    if (not_2xx_3xx > 0)
      std::printf("  Non-2xx or 3xx responses: %llu\n", static_cast<unsigned long long>(not_2xx_3xx));
    if (retries > 0) {
      std::printf("  Retried after the server closed a connection: %llu (%llu connections opened)\n",
                  static_cast<unsigned long long>(retries), static_cast<unsigned long long>(connections_opened));
    }
    std::printf("Requests/sec: %10.2f\n", rps);
    std::printf("Transfer/sec: %10s\n", bytes_text(seconds > 0 ? static_cast<double>(bytes) / seconds : 0).c_str());
    std::printf("Generator CPU: %.3f us/request (user %.3fs, sys %.3fs)\n", cpu_us_per_request, user, sys);
  }
  return responses == 0 ? 1 : 0;
}

}  // namespace
}  // namespace shockwave::bench

int main(int argc, char** argv) {
  try {
    return shockwave::bench::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "load: %s\n", e.what());
    return 1;
  }
}
