#include "server/flags.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
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
  // shown is the flag's value in a Config, for --help's defaults (read from
  // Config itself, so the help text cannot drift from the real defaults).
  std::function<std::string(const Config&)> shown;
};

template <typename T>
Flag number_flag(string_view name, string_view help, T min, T max, T Config::*field) {
  return {name, "N", help, [=](string_view v, Config* c) { return parse_number(v, min, max, &(c->*field)); },
          [=](const Config& c) { return std::to_string(c.*field); }};
}

Flag limit_flag(string_view name, string_view help, std::uint64_t min, std::uint64_t max,
                std::uint64_t (*get)(const Config&), void (*assign)(Config*, std::uint64_t)) {
  return {name, "BYTES", help,
          [=](string_view v, Config* c) {
            std::uint64_t n;
            if (!parse_number<std::uint64_t>(v, min, max, &n)) return false;
            assign(c, n);
            return true;
          },
          [=](const Config& c) { return std::to_string(get(c)); }};
}

Flag seconds_flag(string_view name, string_view help, std::chrono::milliseconds Config::*field) {
  return {name, "SECONDS", help,
          [=](string_view v, Config* c) {
            double seconds;
            auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
            if (ec != std::errc() || end != v.data() + v.size() || !(seconds > 0) || seconds > 86400) return false;
            c->*field = std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
            return true;
          },
          [=](const Config& c) {
            char text[32];
            std::snprintf(text, sizeof text, "%g", static_cast<double>((c.*field).count()) / 1000);
            return std::string(text);
          }};
}

const std::vector<Flag>& flags() {
  static const std::vector<Flag> kFlags = {
      {"address", "IP", "address to listen on",
       [](string_view v, Config* c) { return !v.empty() && (c->address = std::string(v), true); },
       [](const Config& c) { return c.address; }},
      number_flag<std::uint16_t>("port", "port to listen on (0 picks one)", 0, 65535, &Config::port),
      number_flag<unsigned>("threads", "event loops, one per thread", 1, 1024, &Config::threads),
      {"io", "auto|epoll|uring", "event-loop backend (auto: io_uring where the kernel allows it, else epoll)",
       [](string_view v, Config* c) {
         if (v == "auto") {
           c->io = IoBackend::kAuto;
         } else if (v == "epoll") {
           c->io = IoBackend::kEpoll;
         } else if (v == "uring") {
           c->io = IoBackend::kUring;
         } else {
           return false;
         }
         return true;
       },
       [](const Config& c) { return std::string(io_name(c.io)); }},
      number_flag<std::size_t>("max-connections", "open connections at most, all threads", 1, 10'000'000,
                               &Config::max_connections),
      number_flag<std::size_t>("max-fields", "header and trailer fields per request", 1, 100'000, &Config::max_fields),
      number_flag<std::size_t>("max-requests-per-connection", "then Connection: close", 1,
                               std::numeric_limits<std::size_t>::max(), &Config::max_requests_per_connection),
      limit_flag(
          "max-body", "request body bytes, else 413", 0, 1ull << 32,
          [](const Config& c) -> std::uint64_t { return c.limits.max_body; },
          [](Config* c, std::uint64_t n) { c->limits.max_body = n; }),
      limit_flag(
          "max-request-line", "request-line bytes, else 414", 16, 1 << 20,
          [](const Config& c) -> std::uint64_t { return c.limits.max_request_line; },
          [](Config* c, std::uint64_t n) { c->limits.max_request_line = n; }),
      limit_flag(
          "max-header-bytes", "header section bytes, else 431", 16, 1 << 24,
          [](const Config& c) -> std::uint64_t { return c.limits.max_field_section; },
          [](Config* c, std::uint64_t n) { c->limits.max_field_section = n; }),
      limit_flag(
          "write-buffer", "response bytes queued per connection", 512, 1 << 30,
          [](const Config& c) -> std::uint64_t { return c.write_buffer_size; },
          [](Config* c, std::uint64_t n) { c->write_buffer_size = n; }),
      seconds_flag("header-timeout", "whole request head, from its first byte", &Config::header_timeout),
      seconds_flag("body-timeout", "between request body reads", &Config::body_timeout),
      seconds_flag("idle-timeout", "keep-alive wait for the next request", &Config::idle_timeout),
      seconds_flag("write-timeout", "between response write progress", &Config::write_timeout),
      seconds_flag("shutdown-timeout", "graceful shutdown's hard deadline", &Config::shutdown_timeout),
      seconds_flag("deferred-timeout", "a deferred response or paused body, else 503", &Config::deferred_timeout),
      {"stats", "", "count requests, connections, errors and bytes (GET /metrics, and printed at exit)",
       [](string_view v, Config* c) { return v.empty() && (c->enable_stats = true); }, nullptr},
      {"access-log", "FILE", "log every response to FILE (appended; - is stderr); off by default",
       [](string_view v, Config* c) { return !v.empty() && (c->access_log = std::string(v), true); }, nullptr},
      {"access-log-format", "combined|json", "the access log's lines: NCSA combined, or JSON objects",
       [](string_view v, Config* c) {
         if (v == "combined") {
           c->access_log_format = AccessLogFormat::kCombined;
         } else if (v == "json") {
           c->access_log_format = AccessLogFormat::kJson;
         } else {
           return false;
         }
         return true;
       },
       [](const Config& c) {
         return std::string(c.access_log_format == AccessLogFormat::kJson ? "json" : "combined");
       }},
  };
  return kFlags;
}

}  // namespace

std::string usage() {
  std::string text =
      "usage: shockwave [flags]\n"
      "Serves /plaintext, /json, /echo, /upload, /delay/:ms and / over HTTP/1.1 (or, with --echo, what it parsed;\n"
      "with --root DIR, the files beneath DIR).\n"
      "SIGINT or SIGTERM shuts down gracefully.\n\n";
  const Config defaults;
  for (const Flag& f : flags()) {
    std::string left = "  --" + std::string(f.name) + (f.value_name.empty() ? "" : " " + std::string(f.value_name));
    if (left.size() < 34) left.resize(34, ' ');
    text += left + " " + std::string(f.help);
    if (f.shown) text += " (default " + f.shown(defaults) + ")";
    text += "\n";
  }
  text +=
      "  --echo                           answer every request 200 with the JSON of what the server parsed\n"
      "                                   (X-Echo: canonical-json/1, conformance/README.md), not the endpoints\n"
      "  --root DIR                       serve the files beneath DIR (GET and HEAD; ranges, validators, 304),\n"
      "                                   not the endpoints; a path ending in / serves its index.html\n";
  text += "  --help                             this text\n";
  return text;
}

FlagsResult parse_flags(int argc, const char* const* argv, Config* config, std::string* error, BinaryOptions* binary) {
  for (int i = 1; i < argc; ++i) {
    string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") return FlagsResult::kHelp;
    if (arg == "--echo" && binary != nullptr) {
      binary->echo = true;
      continue;
    }
    if (binary != nullptr && (arg == "--root" || arg.starts_with("--root="))) {
      if (arg == "--root") {
        if (i + 1 == argc) {
          *error = "--root needs a value";
          return FlagsResult::kError;
        }
        binary->root = argv[++i];
      } else {
        binary->root = std::string(arg.substr(7));
      }
      if (binary->root.empty()) {
        *error = "bad value for --root: ''";
        return FlagsResult::kError;
      }
      continue;
    }
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
