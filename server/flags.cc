#include "server/flags.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <string_view>

namespace shockwave {
namespace {

using std::string_view;

template <typename T>
bool parse_number(string_view text, T min, T max, T* out) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return false;
  *out = value;
  return true;
}

struct Flag {
  string_view name;
  string_view value_name;
  string_view help;
  // set returns false when the value is not acceptable.
  std::function<bool(string_view, Config*)> set;
};

template <typename T>
Flag number_flag(string_view name, string_view help, T min, T max, T Config::*field) {
  return {name, "N", help, [=](string_view v, Config* c) { return parse_number(v, min, max, &(c->*field)); }};
}

Flag limit_flag(string_view name, string_view help, std::uint64_t min, std::uint64_t max,
                std::function<void(Config*, std::uint64_t)> assign) {
  return {name, "BYTES", help, [=](string_view v, Config* c) {
            std::uint64_t n;
            if (!parse_number<std::uint64_t>(v, min, max, &n)) return false;
            assign(c, n);
            return true;
          }};
}

Flag seconds_flag(string_view name, string_view help, std::chrono::milliseconds Config::*field) {
  return {name, "SECONDS", help, [=](string_view v, Config* c) {
            double seconds;
            auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
            if (ec != std::errc() || end != v.data() + v.size() || !(seconds > 0) || seconds > 86400) return false;
            c->*field = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
            return true;
          }};
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> kFlags = {
      {"address", "IP", "address to listen on (default 127.0.0.1)",
       [](string_view v, Config* c) { return !v.empty() && (c->address = std::string(v), true); }},
      number_flag<std::uint16_t>("port", "port to listen on (default 8080; 0 picks one)", 0, 65535, &Config::port),
      number_flag<unsigned>("threads", "event loops, one per thread (default 1)", 1, 1024, &Config::threads),
      {"io", "epoll|uring", "event-loop backend (default epoll)",
       [](string_view v, Config* c) {
         if (v == "epoll") {
           c->io = IoBackend::kEpoll;
         } else if (v == "uring") {
           c->io = IoBackend::kUring;
         } else {
           return false;
         }
         return true;
       }},
      number_flag<std::size_t>("max-connections", "open connections at most, all threads (default 1024)", 1,
                               10'000'000, &Config::max_connections),
      number_flag<std::size_t>("max-fields", "header and trailer fields per request (default 100)", 1, 100'000,
                               &Config::max_fields),
      number_flag<std::size_t>("max-requests-per-connection", "then Connection: close (default 10000)", 1,
                               std::numeric_limits<std::size_t>::max(), &Config::max_requests_per_connection),
      limit_flag("max-body", "request body bytes, else 413 (default 65536)", 0, 1ull << 32,
                 [](Config* c, std::uint64_t n) { c->limits.max_body = n; }),
      limit_flag("max-request-line", "request-line bytes, else 414 (default 8192)", 16, 1 << 20,
                 [](Config* c, std::uint64_t n) { c->limits.max_request_line = n; }),
      limit_flag("max-header-bytes", "header section bytes, else 431 (default 16384)", 16, 1 << 24,
                 [](Config* c, std::uint64_t n) { c->limits.max_field_section = n; }),
      limit_flag("write-buffer", "response bytes queued per connection (default 65536)", 512, 1 << 30,
                 [](Config* c, std::uint64_t n) { c->write_buffer_size = n; }),
      seconds_flag("header-timeout", "whole request head, from its first byte (default 10)", &Config::header_timeout),
      seconds_flag("body-timeout", "between request body reads (default 10)", &Config::body_timeout),
      seconds_flag("idle-timeout", "keep-alive wait for the next request (default 60)", &Config::idle_timeout),
      seconds_flag("write-timeout", "between response write progress (default 10)", &Config::write_timeout),
      seconds_flag("shutdown-timeout", "graceful shutdown's hard deadline (default 5)", &Config::shutdown_timeout),
      {"stats", "", "count requests, connections, errors and bytes (printed at exit)",
       [](string_view v, Config* c) { return v.empty() && (c->enable_stats = true); }},
  };
  return kFlags;
}

}  // namespace

std::string usage() {
  std::string text =
      "usage: shockwave [flags]\n"
      "Serves /plaintext, /json, /echo and / over HTTP/1.1. SIGINT or SIGTERM shuts down gracefully.\n\n";
  for (const Flag& f : flags()) {
    std::string left = "  --" + std::string(f.name) + (f.value_name.empty() ? "" : " " + std::string(f.value_name));
    if (left.size() < 34) left.resize(34, ' ');
    text += left + " " + std::string(f.help) + "\n";
  }
  text += "  --help                             this text\n";
  return text;
}

FlagsResult parse_flags(int argc, const char* const* argv, Config* config, std::string* error) {
  for (int i = 1; i < argc; ++i) {
    string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return FlagsResult::kHelp;
    if (arg.substr(0, 2) != "--") {
      *error = "unexpected argument: " + std::string(arg);
      return FlagsResult::kError;
    }
    arg.remove_prefix(2);
    string_view name = arg.substr(0, arg.find('='));
    const Flag* flag = nullptr;
    for (const Flag& f : flags()) {
      if (f.name == name) flag = &f;
    }
    if (flag == nullptr) {
      *error = "unknown flag: --" + std::string(name);
      return FlagsResult::kError;
    }
    string_view value;
    if (name.size() < arg.size()) {
      value = arg.substr(name.size() + 1);
    } else if (!flag->value_name.empty()) {
      if (i + 1 == argc) {
        *error = "--" + std::string(name) + " needs a value";
        return FlagsResult::kError;
      }
      value = argv[++i];
    }
    if (!flag->set(value, config)) {
      *error = "bad value for --" + std::string(name) + ": '" + std::string(value) + "'";
      return FlagsResult::kError;
    }
  }
  return FlagsResult::kRun;
}

}  // namespace shockwave
