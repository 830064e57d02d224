// update_expected: runs every conformance case through every registered
// adapter except "shockwave" (which must pass them all; conformance_test
// checks) and writes each adapter's verdicts to <out>/<adapter>.txt, the
// files conformance_test compares with (format: case.h, format_verdicts).
//
//   ./bazelw run //conformance:update_expected [-- --cases=DIR --out=DIR --explain ADAPTER...]
//
// --explain also prints why each case that is not "pass" got its verdict.
// Defaults: conformance/cases and conformance/expected of the workspace
// `bazel run` was started in, every registered peer adapter.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/case.h"

namespace {

using namespace shockwave::conformance;

int usage() {
  std::fputs("usage: update_expected [--cases=DIR] [--out=DIR] [--explain] [ADAPTER...]\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const std::string root = ws ? std::string(ws) + "/" : std::string();
  std::string cases_dir = root + "conformance/cases";
  std::string out_dir = root + "conformance/expected";
  std::vector<std::string> names;
  bool explain = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--explain") {
      explain = true;
    } else if (arg.starts_with("--cases=")) {
      cases_dir = arg.substr(8);
    } else if (arg.starts_with("--out=")) {
      out_dir = arg.substr(6);
    } else if (arg.starts_with("-")) {
      return usage();
    } else {
      names.emplace_back(arg);
    }
  }
  if (names.empty()) {
    for (std::string_view n : adapter_names()) {
      if (n != "shockwave") names.emplace_back(n);
    }
  }

  std::string error;
  auto cases = load_cases(cases_dir, &error);
  if (!cases) {
    std::fprintf(stderr, "update_expected: %s\n", error.c_str());
    return 1;
  }
  for (const std::string& name : names) {
    auto adapter = make_adapter(name);
    if (!adapter) {
      std::fprintf(stderr, "update_expected: no adapter \"%s\"\n", name.c_str());
      return 1;
    }
    CaseVerdicts verdicts;
    int counts[3] = {0, 0, 0};
    for (const Case& c : *cases) {
      std::string why;
      const Verdict v = judge(c, adapter->parse(c.input), &why);
      ++counts[static_cast<int>(v)];
      if (explain && v != Verdict::kPass) {
        if (why.size() > 400) why = why.substr(0, 400) + "...";
        std::printf("%s: %s %s: %s\n", name.c_str(), c.id.c_str(), std::string(verdict_name(v)).c_str(), why.c_str());
      }
      verdicts.emplace_back(c.id, v);
    }
    const std::string path = out_dir + "/" + name + ".txt";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << format_verdicts(name, verdicts);
    if (!out.flush()) {
      std::fprintf(stderr, "update_expected: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("%-36s pass %4d  allowed %4d  fail %4d  -> %s\n", name.c_str(), counts[0], counts[1], counts[2],
                path.c_str());
  }
  return 0;
}
