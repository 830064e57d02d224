// httpconform: runs the RFC 9112 conformance cases against parsers (built-in
// adapters or any program speaking the canonical JSON) and live servers, or
// the response cases against response parsers (--responses), and reports
// pass / allowed / fail per case as text, JSON or an HTML matrix.

#include <fnmatch.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/adapters/exec_adapter.h"
#include "conformance/case.h"
#include "conformance/catalogue.h"
#include "conformance/chains/grid.h"
#include "conformance/live/live.h"
#include "conformance/report.h"

namespace {

namespace conf = shockwave::conformance;
namespace fs = std::filesystem;

constexpr int kUsageError = 2;

void usage(std::FILE* to) {
  std::fputs(
      "usage: httpconform [--parser=NAME]... [--exec=CMD]... [--server=HOST:PORT]...\n"
      "                   [--cases=PATH] [--case=GLOB]... [--format=text|json|html]\n"
      "                   [--output=FILE] [--timeout=SECONDS] [--hold=SECONDS]\n"
      "\n"
      "Runs the RFC 9112 conformance cases against each implementation named and\n"
      "reports, per case, pass (the outcome the strict profile takes), allowed\n"
      "(another outcome the RFC allows) or fail. Without an implementation flag,\n"
      "--parser=shockwave.\n"
      "\n"
      "  --parser=NAME       a built-in parser adapter; repeatable or a comma list.\n"
      "                      \"all\" selects every one of:\n",
      to);
  for (std::string_view name : conf::adapter_names()) {
    std::fprintf(to, "                        %.*s\n", static_cast<int>(name.size()), name.data());
  }
  std::fputs(
      "  --responses         judge response parsers instead, on the response cases\n"
      "                      (conformance/cases/responses/; --parser and --exec only):\n"
      "                      the bytes are what a server sent before it closed the\n"
      "                      connection. --parser=all then selects every one of:\n",
      to);
  for (std::string_view name : conf::response_adapter_names()) {
    std::fprintf(to, "                        %.*s\n", static_cast<int>(name.size()), name.data());
  }
  std::fputs(
      "  --exec=[NAME=]CMD   your parser: CMD runs under /bin/sh -c once per case, reads\n"
      "                      the raw request bytes on stdin and prints the canonical JSON\n"
      "                      outcome on stdout (see conformance/README.md); NAME labels it\n"
      "                      in the report; repeatable. A CMD the shell cannot find or\n"
      "                      run is refused before any case runs. HTTPCONFORM_MESSAGES\n"
      "                      in its environment is \"requests\", or \"responses\" with\n"
      "                      --responses, and then HTTPCONFORM_REQUESTS lists the\n"
      "                      methods the responses answer (\"GET HEAD\")\n"
      "  --server=[NAME=]HOST:PORT\n"
      "                      your server, over TCP: each case's bytes on a new\n"
      "                      connection, the responses judged ([::1]:PORT for IPv6;\n"
      "                      NAME labels it in the report); repeatable. Only the\n"
      "                      address given is contacted. A server speaking the echo\n"
      "                      contract (X-Echo, see conformance/README.md) is also\n"
      "                      held to every per-message expectation.\n"
      "  --cases=PATH        a directory of *.cases files, or one file (default: the\n"
      "                      cases shipped with httpconform)\n"
      "  --case=GLOB         only cases whose id matches (fnmatch, e.g. 'smuggling/*');\n"
      "                      repeatable or a comma list\n"
      "  --format=FORMAT     text (default), json or html (a self-contained matrix)\n"
      "  --output=FILE       write the report to FILE instead of stdout; repeatable,\n"
      "                      each FILE ending in .txt, .json or .html gets that format\n"
      "                      (others get --format), all from the same run\n"
      "  --baseline=[NAME=]FILE\n"
      "                      known deviations (conformance/README.md, \"Baselines\"):\n"
      "                      a failure FILE lists is reported, but does not fail the\n"
      "                      run; for every implementation, or the one named NAME\n"
      "  --junit=FILE        also write JUnit XML (testsuites/testsuite/testcase/failure)\n"
      "                      for CI; known deviations are <skipped>\n"
      "  --write-baseline=FILE  write the baseline that accepts this run's failures\n"
      "                      (one implementation; edit in the reasons, then check it in)\n"
      "  --jobs=N            run N cases at once (default 1): N parser processes for\n"
      "                      --exec, N connections for --server\n"
      "  --timeout=SECONDS   per case: a server's answer (default 2), an --exec run\n"
      "                      (default 5)\n"
      "  --hold=SECONDS      --server: how long an incomplete request stays quiet\n"
      "                      before \"still waiting\" is the verdict (default: the\n"
      "                      whole --timeout)\n"
      "\n"
      "Chain mode (conformance/chains/README.md): each case through a proxy to an\n"
      "origin that speaks the echo contract, judged consistent, normalised, refused\n"
      "or desync by comparing what the proxy relayed with what the origin read.\n"
      "  --via=[NAME=]HOST:PORT+TAP\n"
      "                      a proxy at HOST:PORT, configured to forward to\n"
      "                      127.0.0.1:TAP, where httpconform listens and relays\n"
      "                      to the origin, recording both directions; repeatable\n"
      "                      (the proxies run side by side; a NAME given again is\n"
      "                      another instance of that proxy, for another origin)\n"
      "  --origin=[NAME=]HOST:PORT\n"
      "                      an echo origin; repeatable (each proxy in front of\n"
      "                      each origin: in turn, or on instances side by side);\n"
      "                      needs --via\n"
      "  --about=NAME=TEXT   what proxy or origin NAME is (version, configuration),\n"
      "                      shown in the report\n"
      "  --help              this text\n"
      "\n"
      "Exit status: 0 when every implementation passes every selected case (pass or\n"
      "allowed) or fails only where its baseline lists the case, 1 when any other\n"
      "case fails (the new failures are listed on stderr), 2 for bad arguments,\n"
      "unusable cases or baselines. Chain mode: 0 without a desync or a case\n"
      "without verdict, else 1.\n",
      to);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "httpconform: %s\n\n", message.c_str());
  usage(stderr);
  return kUsageError;
}

int setup_error(const std::string& message) {
  std::fprintf(stderr, "httpconform: %s\n", message.c_str());
  return kUsageError;
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  while (true) {
    std::size_t comma = s.find(',');
    if (!s.substr(0, comma).empty()) out.emplace_back(s.substr(0, comma));
    if (comma == std::string_view::npos) return out;
    s.remove_prefix(comma + 1);
  }
}

// runfiles_roots: where files shipped with the binary may be (bazel run,
// bazel test, or the binary run from bazel-bin), in the order to try.
std::vector<std::string> runfiles_roots(const char* argv0) {
  std::vector<std::string> roots;
  for (const char* env : {"RUNFILES_DIR", "TEST_SRCDIR"}) {
    if (const char* v = std::getenv(env); v && *v) roots.push_back(v);
  }
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) roots.push_back(self.string() + ".runfiles");
  roots.push_back(std::string(argv0) + ".runfiles");
  return roots;
}

// default_cases finds the cases shipped in the runfiles, else
// conformance/cases below the current directory.
std::string default_cases(const char* argv0) {
  std::error_code ec;
  for (const std::string& root : runfiles_roots(argv0)) {
    fs::path p = fs::path(root) / "shockwave" / "conformance" / "cases";
    if (fs::is_directory(p, ec)) return fs::absolute(p, ec).string();
  }
  fs::path local = fs::absolute("conformance/cases", ec);
  return local.string();
}

// shipped_file finds a file shipped in the runfiles; "" when there is none.
std::string shipped_file(const char* argv0, const std::string& relative) {
  std::error_code ec;
  for (const std::string& root : runfiles_roots(argv0)) {
    fs::path p = fs::path(root) / "shockwave" / relative;
    if (fs::is_regular_file(p, ec)) return fs::absolute(p, ec).string();
  }
  return "";
}

// rule_levels reads the catalogue's level of each rule id; empty when the
// catalogue is not shipped (the report then shows no levels).
std::map<std::string, std::string> rule_levels(const char* argv0) {
  std::map<std::string, std::string> out;
  const std::string path = shipped_file(argv0, "docs/requirements.md");
  if (path.empty()) return out;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  std::string error;
  auto catalogue = conf::parse_catalogue(text.str(), &error);
  if (!catalogue) return out;
  for (const conf::CatalogueRow& row : catalogue->rows) out[row.id] = row.level;
  return out;
}

// parallel_for runs work(worker, i) for every i < n on `jobs` threads (the
// calling one included); each i exactly once, results stay in case order.
void parallel_for(std::size_t n, std::size_t jobs, const std::function<void(std::size_t, std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  auto worker = [&](std::size_t w) {
    for (std::size_t i = next++; i < n; i = next++) work(w, i);
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < std::min(jobs, n); ++w) threads.emplace_back(worker, w);
  worker(0);
  for (std::thread& t : threads) t.join();
}

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

bool parse_seconds(std::string_view v, std::chrono::milliseconds* out) {
  std::string s(v);
  char* end = nullptr;
  errno = 0;
  double seconds = std::strtod(s.c_str(), &end);
  if (s.empty() || errno != 0 || end != s.c_str() + s.size() || !(seconds > 0) || seconds > 3600) return false;
  *out = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  return true;
}

// name_and_value splits "[NAME=]VALUE"; NAME defaults to `fallback`.
std::pair<std::string, std::string> name_and_value(const std::string& spec, const std::string& fallback) {
  std::size_t eq = spec.find('=');
  if (eq == std::string::npos) return {fallback.empty() ? spec : fallback, spec};
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

// write_file writes `text` to `path`; false (errno set) when it cannot.
bool write_file(const std::string& path, const std::string& text) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) return false;
  bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  return std::fclose(out) == 0 && written;
}

// run_chains: chain mode (conformance/chains/chain.h) over the selected cases.
int run_chains(const std::vector<std::string>& vias, const std::vector<std::string>& origin_specs,
               const std::vector<std::string>& abouts, std::optional<std::chrono::milliseconds> timeout,
               std::optional<std::chrono::milliseconds> hold, conf::Report cases, const std::string& format,
               const std::vector<std::string>& outputs) {
  namespace chains = conf::chains;
  chains::ChainOptions options;
  // A proxy adds a hop, and large bodies pass twice: 5 s unless told.
  options.live.timeout = timeout.value_or(std::chrono::milliseconds(5000));
  // An incomplete request through a proxy: half a second of quiet shows
  // both still waiting (each proxy answers within milliseconds otherwise).
  options.live.hold = hold.value_or(std::chrono::milliseconds(500));
  std::vector<chains::Proxy> proxies;
  for (const std::string& spec : vias) {
    auto [name, value] = name_and_value(spec, "");
    std::size_t plus = value.rfind('+');
    if (plus == std::string::npos) return usage_error("--via=" + spec + ": needs HOST:PORT+TAP");
    const std::string tap_text = value.substr(plus + 1);
    char* end = nullptr;
    long tap_port = std::strtol(tap_text.c_str(), &end, 10);
    if (tap_text.empty() || *end != '\0' || tap_port < 1 || tap_port > 65535) {
      return usage_error("--via=" + spec + ": TAP must be a port number");
    }
    if (name == spec) name = value.substr(0, plus);
    std::string error;
    auto address = conf::live::Server::resolve(value.substr(0, plus), &error);
    if (!address) return usage_error("--via=" + spec + ": " + error);
    auto tap = chains::Tap::listen(static_cast<std::uint16_t>(tap_port), &error);
    if (!tap) return setup_error("--via=" + spec + ": the tap " + error);
    int fd = address->connect(options.live.timeout, &error);
    if (fd < 0) return setup_error("--via=" + spec + ": " + error);
    ::close(fd);
    proxies.push_back(chains::Proxy{name, std::move(*address), std::move(tap)});
  }
  std::vector<chains::Origin> origins;
  for (const std::string& spec : origin_specs) {
    auto [name, value] = name_and_value(spec, "");
    std::string error;
    auto address = conf::live::Server::resolve(value, &error);
    if (!address) return usage_error("--origin=" + spec + ": " + error);
    int fd = address->connect(options.live.timeout, &error);
    if (fd < 0) return setup_error("--origin=" + spec + ": " + error);
    ::close(fd);
    origins.push_back(chains::Origin{name, std::move(*address)});
  }
  chains::ChainReport report;
  report.generated = cases.generated;
  report.source = cases.source;
  report.cases = std::move(cases.cases);
  for (const std::string& a : abouts) report.about.push_back(name_and_value(a, ""));
  const std::size_t total = report.cases.size() * proxies.size() * origins.size();
  std::size_t done = 0;
  const bool tty = ::isatty(STDERR_FILENO);
  chains::run_grid(proxies, origins, options, &report, [&](const chains::ChainCell&, std::size_t) {
    ++done;
    if (tty && (done % 20 == 0 || done == total)) std::fprintf(stderr, "\rhttpconform: %zu/%zu", done, total);
  });
  if (tty) std::fputc('\n', stderr);

  auto render = [&](std::string_view f) {
    return f == "json"   ? chains::render_chain_json(report)
           : f == "html" ? chains::render_chain_html(report)
                         : chains::render_chain_text(report);
  };
  if (outputs.empty()) {
    std::string text = render(format);
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
      return setup_error("writing the report: " + std::string(std::strerror(errno)));
    }
  }
  for (const std::string& path : outputs) {
    std::string f = path.ends_with(".html")   ? "html"
                    : path.ends_with(".json") ? "json"
                    : path.ends_with(".txt")  ? "text"
                                              : format;
    if (!write_file(path, render(f))) return setup_error(path + ": " + std::strerror(errno));
  }
  bool clean = true;
  for (const chains::ChainCell& cell : report.cells) {
    clean =
        clean && cell.count(chains::ChainVerdict::kDesync) == 0 && cell.count(chains::ChainVerdict::kNoVerdict) == 0;
  }
  return clean ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> parsers, execs, servers, globs, outputs, baselines, vias, origins, abouts;
  std::string write_baseline, junit;
  bool responses = false;
  std::size_t jobs = 1;
  std::string cases_path, format = "text";
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::chrono::milliseconds> hold;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string_view> {
      if (arg.size() > flag.size() && arg.substr(0, flag.size()) == flag && arg[flag.size()] == '=') {
        return arg.substr(flag.size() + 1);
      }
      return std::nullopt;
    };
    if (arg == "--help" || arg == "-h") {
      usage(stdout);
      return 0;
    } else if (arg == "--responses") {
      responses = true;
    } else if (auto v = value("--parser")) {
      for (std::string& name : split_commas(*v)) parsers.push_back(std::move(name));
    } else if (auto v = value("--exec")) {
      if (v->empty()) return usage_error("--exec needs a command");
      execs.emplace_back(*v);
    } else if (auto v = value("--server")) {
      servers.emplace_back(*v);
    } else if (auto v = value("--via")) {
      vias.emplace_back(*v);
    } else if (auto v = value("--origin")) {
      origins.emplace_back(*v);
    } else if (auto v = value("--about")) {
      if (v->find('=') == std::string_view::npos) return usage_error("--about needs NAME=TEXT");
      abouts.emplace_back(*v);
    } else if (auto v = value("--cases")) {
      cases_path = *v;
    } else if (auto v = value("--case")) {
      for (std::string& g : split_commas(*v)) globs.push_back(std::move(g));
    } else if (auto v = value("--format")) {
      format = *v;
      if (format != "text" && format != "json" && format != "html") {
        return usage_error("--format must be text, json or html, not \"" + format + "\"");
      }
    } else if (auto v = value("--output")) {
      if (v->empty()) return usage_error("--output needs a file name");
      outputs.emplace_back(*v);
    } else if (auto v = value("--baseline")) {
      if (v->empty()) return usage_error("--baseline needs a file");
      baselines.emplace_back(*v);
    } else if (auto v = value("--jobs")) {
      std::string s(*v);
      char* end = nullptr;
      long n = std::strtol(s.c_str(), &end, 10);
      if (s.empty() || end != s.c_str() + s.size() || n < 1 || n > 256) return usage_error("--jobs needs 1 to 256");
      jobs = static_cast<std::size_t>(n);
    } else if (auto v = value("--junit")) {
      if (v->empty()) return usage_error("--junit needs a file name");
      junit = *v;
    } else if (auto v = value("--write-baseline")) {
      if (v->empty()) return usage_error("--write-baseline needs a file");
      write_baseline = *v;
    } else if (auto v = value("--hold")) {
      std::chrono::milliseconds t;
      if (!parse_seconds(*v, &t)) return usage_error("--hold needs seconds, e.g. 1 or 0.5");
      hold = t;
    } else if (auto v = value("--timeout")) {
      std::chrono::milliseconds t;
      if (!parse_seconds(*v, &t)) return usage_error("--timeout needs seconds, e.g. 2 or 0.5");
      timeout = t;
    } else {
      return usage_error("unknown argument \"" + std::string(arg) + "\"");
    }
  }
  if (!vias.empty() || !origins.empty()) {
    if (vias.empty() || origins.empty()) return usage_error("chain mode needs --via and --origin");
    if (!parsers.empty() || !execs.empty() || !servers.empty() || !baselines.empty() || !write_baseline.empty() ||
        !junit.empty()) {
      return usage_error("--via and --origin do not combine with --parser, --exec, --server or baselines");
    }
  }
  if (responses && (!servers.empty() || !vias.empty() || !origins.empty())) {
    return usage_error("--responses judges response parsers: --parser and --exec only");
  }
  if (parsers.empty() && execs.empty() && servers.empty() && vias.empty()) parsers.push_back("shockwave");
  if (std::find(parsers.begin(), parsers.end(), "all") != parsers.end()) {
    parsers.clear();
    for (std::string_view n : responses ? conf::response_adapter_names() : conf::adapter_names()) {
      parsers.emplace_back(n);
    }
  }

  // Paths the user gives are relative to where they ran `bazel run`.
  std::string source = cases_path;
  if (cases_path.empty()) {
    cases_path = default_cases(argv[0]);
    source = "conformance/cases";  // (not this machine's runfiles path)
    if (responses) {
      cases_path += "/" + std::string(conf::kResponseCaseDir);
      source += "/" + std::string(conf::kResponseCaseDir);
    }
  }
  if (const char* wd = std::getenv("BUILD_WORKING_DIRECTORY"); wd && *wd) {
    if (::chdir(wd) != 0) return setup_error(std::string("cd ") + wd + ": " + std::strerror(errno));
  }

  // Every implementation is checked before any case runs. Each parser run
  // makes one case runner per --jobs worker: adapters are not shared by threads.
  using CaseRunner = std::function<conf::CaseResult(const conf::Case&)>;
  struct ParserRun {
    std::string name, label;
    std::function<CaseRunner()> make;
  };
  std::vector<ParserRun> parser_runs;
  for (const std::string& name : parsers) {
    if (responses ? !conf::make_response_adapter(name) : !conf::make_adapter(name)) {
      return usage_error("unknown " + std::string(responses ? "response " : "") + "parser \"" + name + "\"");
    }
    parser_runs.push_back({name, "", [name, responses]() -> CaseRunner {
                             if (responses) {
                               std::shared_ptr<conf::ResponseAdapter> a = conf::make_response_adapter(name);
                               return [a](const conf::Case& c) { return conf::run_response_case(*a, c); };
                             }
                             std::shared_ptr<conf::ParserAdapter> a = conf::make_adapter(name);
                             return [a](const conf::Case& c) { return conf::run_parser_case(*a, c); };
                           }});
  }
  for (const std::string& spec : execs) {
    // NAME=COMMAND labels the run (NAME: letters, digits, ".", "_", "-").
    std::string cmd = spec, label;
    if (std::size_t eq = spec.find('='); eq != std::string::npos && eq > 0 &&
                                         std::all_of(spec.begin(), spec.begin() + static_cast<long>(eq), [](char ch) {
                                           return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' ||
                                                  ch == '_' || ch == '-';
                                         })) {
      label = spec.substr(0, eq);
      cmd = spec.substr(eq + 1);
      if (cmd.empty()) return usage_error("--exec=" + spec + ": no command after the name");
    }
    const std::chrono::milliseconds t = timeout.value_or(conf::kDefaultExecTimeout);
    auto exec = conf::make_exec_adapter(cmd, t);
    // A command the shell cannot find or run would fail every case with
    // "exit 127": refuse it before any case runs.
    conf::ExecResult probe = responses ? exec->run("", std::span<const std::string>()) : exec->run("");
    if (!probe.outcome &&
        (probe.failure.starts_with("exited with status 127") || probe.failure.starts_with("exited with status 126"))) {
      return setup_error(
          "--exec: cannot run \"" + cmd + "\" (" +
          (probe.failure.starts_with("exited with status 127") ? "command not found" : "not executable") +
          "; relative paths are from the directory httpconform runs in): " + probe.failure);
    }
    parser_runs.push_back({std::string(exec->name()), label, [cmd, t, responses]() -> CaseRunner {
                             std::shared_ptr<conf::ExecAdapter> a = conf::make_exec_adapter(cmd, t);
                             if (responses) return [a](const conf::Case& c) { return conf::run_response_case(*a, c); };
                             return [a](const conf::Case& c) { return conf::run_parser_case(*a, c); };
                           }});
  }
  conf::live::LiveOptions live_options;
  if (timeout) live_options.timeout = *timeout;
  if (hold) live_options.hold = *hold;
  std::vector<conf::live::Server> targets;
  std::vector<std::string> labels;
  for (const std::string& s : servers) {
    std::string_view host_port = s;
    std::string label = "server " + s;
    if (std::size_t eq = host_port.find('='); eq != std::string_view::npos) {
      label = s.substr(0, eq);
      host_port.remove_prefix(eq + 1);
      if (label.empty()) return usage_error("--server=NAME=HOST:PORT needs a NAME");
    }
    std::string error;
    auto server = conf::live::Server::resolve(host_port, &error);
    if (!server) return usage_error("--server: " + error);
    int fd = server->connect(live_options.timeout, &error);
    if (fd < 0) return setup_error("--server=" + s + ": " + error);
    ::close(fd);
    targets.push_back(std::move(*server));
    labels.push_back(label);
  }

  std::string error;
  auto all = conf::load_cases(cases_path, &error);
  if (!all) return setup_error("cannot load cases: " + error);
  conf::Report report;
  report.source = source;
  report.generated = now_utc();
  report.rule_levels = rule_levels(argv[0]);
  std::vector<std::string> all_ids;  // every loaded case, selected or not (for baselines)
  for (conf::Case& c : *all) {
    all_ids.push_back(c.id);
    bool selected = globs.empty();
    for (const std::string& g : globs) selected = selected || ::fnmatch(g.c_str(), c.id.c_str(), 0) == 0;
    if (!selected) continue;
    // Shipped cases are named as in the source tree, not by runfiles path.
    if (source == "conformance/cases") c.file = source + "/" + fs::path(c.file).filename().string();
    report.cases.push_back(std::move(c));
  }
  if (report.cases.empty()) return setup_error("no case id matches the --case patterns");
  if (!vias.empty()) {
    return run_chains(vias, origins, abouts, timeout, hold, std::move(report), format, outputs);
  }

  for (const ParserRun& p : parser_runs) {
    conf::Run run;
    run.name = p.label.empty() ? p.name : p.label;
    run.kind = p.name.starts_with("exec:") ? "exec" : "parser";
    run.results.resize(report.cases.size());
    std::vector<CaseRunner> own(jobs);
    parallel_for(report.cases.size(), jobs, [&](std::size_t worker, std::size_t i) {
      if (!own[worker]) own[worker] = p.make();
      run.results[i] = own[worker](report.cases[i]);
    });
    report.runs.push_back(std::move(run));
  }
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const conf::live::Server& server = targets[t];
    conf::Run run;
    run.name = labels[t];
    run.kind = "server";
    run.results.resize(report.cases.size());
    parallel_for(report.cases.size(), jobs, [&](std::size_t, std::size_t i) {
      const conf::Case& c = report.cases[i];
      conf::live::Observation o = conf::live::observe_case(server, c, live_options);
      conf::CaseResult r;
      r.verdict = conf::live::judge_server(c, o, &r.why);
      r.got = conf::live::describe(o);
      if (conf::live::speaks_echo(o)) r.got += " (" + std::to_string(o.echoes.size()) + " echoed)";
      if (r.verdict == conf::Verdict::kFail) r.failure = conf::live::classify_live_failure(c, o);
      run.results[i] = std::move(r);
    });
    report.runs.push_back(std::move(run));
  }

  // Baselines: --baseline=FILE for every run, --baseline=NAME=FILE for one.
  {
    const std::vector<std::string>& ids = all_ids;
    for (const std::string& spec : baselines) {
      std::string path = spec, only;
      for (const conf::Run& r : report.runs) {
        if (spec.size() > r.name.size() + 1 && spec.starts_with(r.name + "=")) {
          only = r.name;
          path = spec.substr(r.name.size() + 1);
        }
      }
      std::error_code ec;
      if (only.empty() && spec.find('=') != std::string::npos && !fs::exists(spec, ec)) {
        return usage_error("--baseline=" + spec + ": no implementation named \"" + spec.substr(0, spec.find('=')) +
                           "\"");
      }
      std::ifstream in(path, std::ios::binary);
      if (!in) return setup_error("--baseline: cannot read " + path);
      std::ostringstream text;
      text << in.rdbuf();
      std::string error;
      auto baseline = conf::parse_baseline(text.str(), &error);
      if (!baseline) return setup_error(path + ": " + error);
      if (auto unknown = conf::unknown_baseline_ids(*baseline, ids); !unknown.empty()) {
        std::string list;
        for (const std::string& u : unknown) list += "\n  " + u;
        return setup_error(path + ": no such case:" + list);
      }
      for (conf::Run& run : report.runs) {
        if (only.empty() || run.name == only) conf::apply_baseline(report, *baseline, run);
      }
    }
  }
  if (!write_baseline.empty()) {
    if (report.runs.size() != 1) return usage_error("--write-baseline takes exactly one implementation");
    std::string text = conf::format_baseline(report, report.runs[0], "recorded " + report.generated + ": ");
    if (!write_file(write_baseline, text)) return setup_error(write_baseline + ": " + std::strerror(errno));
  }

  auto render = [&](std::string_view f) {
    return f == "junit"  ? conf::render_junit(report)
           : f == "json" ? conf::render_json(report)
           : f == "html" ? conf::render_html(report)
                         : conf::render_text(report);
  };
  if (outputs.empty()) {
    std::string text = render(format);
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
      return setup_error("writing the report: " + std::string(std::strerror(errno)));
    }
  }
  if (!junit.empty()) outputs.push_back(junit);  // after stdout: --junit alone keeps the report there
  for (const std::string& path : outputs) {
    std::string f = path == junit             ? "junit"
                    : path.ends_with(".html") ? "html"
                    : path.ends_with(".json") ? "json"
                    : path.ends_with(".txt")  ? "text"
                                              : format;
    if (!write_file(path, render(f))) return setup_error(path + ": " + std::strerror(errno));
  }
  for (const conf::Run& run : report.runs) {
    if (run.new_failures() == 0 || baselines.empty()) continue;
    std::fprintf(stderr, "httpconform: %s: %d new failure(s), not in the baseline:\n", run.name.c_str(),
                 run.new_failures());
    for (std::size_t i = 0; i < run.results.size(); ++i) {
      if (run.results[i].verdict == conf::Verdict::kFail && run.results[i].known.empty()) {
        std::fprintf(stderr, "  %s\n", report.cases[i].id.c_str());
      }
    }
  }
  return conf::passed(report) ? 0 : 1;
}
