// parse: runs one parser adapter over raw bytes and prints the canonical
// outcome (model.h) as one line of JSON. The exchange format of design
// invariant 5 in docs/invariants.md, for people and scripts.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "conformance/adapter.h"
#include "conformance/model.h"

namespace {

using shockwave::conformance::adapter_names;
using shockwave::conformance::make_adapter;

constexpr int kUsageError = 2;

void usage(std::FILE* to) {
  std::fputs(
      "usage: parse [--parser=NAME] [FILE|-]\n"
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
  std::fputs("  --help         this text\n", to);
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

}  // namespace

int main(int argc, char** argv) {
  std::string parser = "shockwave";
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

  auto adapter = make_adapter(parser);
  if (!adapter) return fail("unknown parser \"" + parser + "\" (see --help)");

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

  std::string json = shockwave::conformance::to_json(adapter->parse(bytes));
  json += '\n';
  if (std::fwrite(json.data(), 1, json.size(), stdout) != json.size() || std::fflush(stdout) != 0) {
    return fail(std::string("writing stdout: ") + std::strerror(errno));
  }
  return 0;
}
