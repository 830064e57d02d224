// parse: runs one parser adapter over raw bytes and prints the canonical
// outcome (model.h) as one line of JSON. The exchange format of design
// invariant 5 in docs/invariants.md, for people and scripts. It speaks the
// exec adapter's protocol (exec_adapter.h), environment included, so it can
// stand for an external parser of requests or responses.

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/adapters/exec_adapter.h"
#include "conformance/model.h"

namespace {

using shockwave::conformance::adapter_names;
using shockwave::conformance::make_adapter;
using shockwave::conformance::make_response_adapter;
using shockwave::conformance::response_adapter_names;

constexpr int kUsageError = 2;

void usage(std::FILE* to) {
  std::fputs(
      "usage: parse [--parser=NAME] [--responses [--requests=METHODS]] [FILE|-]\n"
      "\n"
      "Parses the raw bytes of FILE (or stdin when FILE is - or absent) as the\n"
      "requests one client sent on one connection, and prints the outcome as one\n"
      "JSON object on one line. Exit status 0 whenever the JSON was printed, even\n"
      "for rejected input; 2 for bad arguments, an unknown parser or an\n"
      "unreadable file.\n"
      "\n"
      "  --parser=NAME  the parser (default: shockwave); one of:\n",
      to);
  for (std::string_view name : adapter_names())
    std::fprintf(to, "                   %.*s\n", static_cast<int>(name.size()), name.data());
  std::fputs(
      "  --responses    the bytes are the responses one server sent on one\n"
      "                 connection before closing it; NAME is then one of:\n",
      to);
  for (std::string_view name : response_adapter_names())
    std::fprintf(to, "                   %.*s\n", static_cast<int>(name.size()), name.data());
  std::fputs(
      "  --requests=METHODS  with --responses: the methods of the requests the\n"
      "                 final responses answer, in order, separated by spaces or\n"
      "                 commas (default GET; the last one repeats)\n"
      "  --help         this text\n"
      "Without flags, HTTPCONFORM_MESSAGES=responses and HTTPCONFORM_REQUESTS in\n"
      "the environment mean --responses and --requests (the exec protocol).\n",
      to);
}

int fail(const std::string& message) {
  std::fprintf(stderr, "parse: %s\n", message.c_str());
  return kUsageError;
}

// read_all reads every byte of `f`, NULs and all.
bool read_all(std::FILE* f, std::string* out) {
  char chunk[64 * 1024];
  std::size_t n;
  while ((n = std::fread(chunk, 1, sizeof chunk, f)) > 0) out->append(chunk, n);
  return !std::ferror(f);
}

// methods_of splits a list of methods at spaces and commas.
std::vector<std::string> methods_of(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const std::size_t end = list.find_first_of(" ,");
    if (end != 0) out.emplace_back(list.substr(0, end));
    if (end == std::string_view::npos) break;
    list.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  namespace conf = shockwave::conformance;
  std::string parser = "shockwave";
  bool responses = false;
  std::vector<std::string> requests;
  // The exec protocol's environment; flags override it.
  if (const char* m = std::getenv(std::string(conf::kMessagesVariable).c_str());
      m && std::string_view(m) == "responses") {
    responses = true;
    if (const char* r = std::getenv(std::string(conf::kRequestsVariable).c_str())) requests = methods_of(r);
  }
  std::string path;
  bool have_path = false;
  bool only_paths = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!only_paths && arg == "--") {
      only_paths = true;
    } else if (!only_paths && (arg == "--help" || arg == "-h")) {
      usage(stdout);
      return 0;
    } else if (!only_paths && arg == "--responses") {
      responses = true;
    } else if (!only_paths && arg.starts_with("--requests=")) {
      requests = methods_of(arg.substr(std::strlen("--requests=")));
    } else if (!only_paths && arg.starts_with("--parser=")) {
      parser = arg.substr(std::strlen("--parser="));
    } else if (!only_paths && arg.size() > 1 && arg[0] == '-') {
      usage(stderr);
      return fail("unknown flag " + std::string(arg));
    } else if (have_path) {
      return fail("more than one input file");
    } else {
      path = arg;
      have_path = true;
    }
  }

  std::unique_ptr<conf::ParserAdapter> adapter;
  std::unique_ptr<conf::ResponseAdapter> response_adapter;
  if (responses) {
    response_adapter = make_response_adapter(parser);
    if (!response_adapter) return fail("unknown response parser \"" + parser + "\" (see --help)");
  } else {
    adapter = make_adapter(parser);
    if (!adapter) return fail("unknown parser \"" + parser + "\" (see --help)");
  }

  std::string bytes;
  if (!have_path || path == "-") {
    if (!read_all(stdin, &bytes)) return fail(std::string("reading stdin: ") + std::strerror(errno));
  } else {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return fail(path + ": " + std::strerror(errno));
    bool ok = read_all(f, &bytes);
    int read_errno = errno;
    std::fclose(f);
    if (!ok) return fail(path + ": " + std::strerror(read_errno));
  }

  std::string json = conf::to_json(responses ? response_adapter->parse(bytes, requests) : adapter->parse(bytes));
  json += '\n';
  if (std::fwrite(json.data(), 1, json.size(), stdout) != json.size() || std::fflush(stdout) != 0) {
    return fail(std::string("writing stdout: ") + std::strerror(errno));
  }
  return 0;
}
