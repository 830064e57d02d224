// update_expected: runs every conformance case through every registered
// adapter except "shockwave" (which must pass them all; conformance_test
// checks) and writes each adapter's verdicts to <out>/<adapter>.txt, the
// files conformance_test compares with (format: case.h, format_verdicts);
// and the same for the response cases (<cases>/responses) and the response
// adapters, into <out>/responses/<adapter>.txt.
//
//   ./bazelw run //conformance:update_expected [-- --cases=DIR --out=DIR --explain
//                                                 --requests|--responses ADAPTER...]
//
// --explain also prints why each case that is not "pass" got its verdict.
// --requests or --responses: that side only (ADAPTER names its adapters;
// without either, both sides, and ADAPTER names request adapters).
// Defaults: conformance/cases and conformance/expected of the workspace
// `bazel run` was started in, every registered peer adapter.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/case.h"

namespace {

using namespace shockwave::conformance;

int usage() {
  std::fputs("usage: update_expected [--cases=DIR] [--out=DIR] [--explain] [--requests|--responses] [ADAPTER...]\n",
             stderr);
  return 2;
}

// Side: one kind of case and its adapters.
struct Side {
  std::string cases_dir, out_dir, shown_cases;
  std::vector<std::string> names;
  // parser returns the function that parses a case with adapter `name`,
  // or nothing when there is no such adapter.
  std::function<std::function<ParseOutcome(const Case&)>(const std::string&)> parser;
};

// write_side writes the verdicts of every adapter of `side`; false on an error.
bool write_side(const Side& side, bool explain) {
  std::string error;
  auto cases = load_cases(side.cases_dir, &error);
  if (!cases) {
    std::fprintf(stderr, "update_expected: %s\n", error.c_str());
    return false;
  }
  std::error_code ec;
  std::filesystem::create_directories(side.out_dir, ec);
  for (const std::string& name : side.names) {
    auto parse = side.parser(name);
    if (!parse) {
      std::fprintf(stderr, "update_expected: no adapter \"%s\"\n", name.c_str());
      return false;
    }
    CaseVerdicts verdicts;
    int counts[3] = {0, 0, 0};
    for (const Case& c : *cases) {
      std::string why;
      const Verdict v = judge(c, parse(c), &why);
      ++counts[static_cast<int>(v)];
      if (explain && v != Verdict::kPass) {
        if (why.size() > 400) why = why.substr(0, 400) + "...";
        std::printf("%s: %s %s: %s\n", name.c_str(), c.id.c_str(), std::string(verdict_name(v)).c_str(), why.c_str());
      }
      verdicts.emplace_back(c.id, v);
    }
    const std::string path = side.out_dir + "/" + name + ".txt";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << format_verdicts(name, verdicts, side.shown_cases);
    if (!out.flush()) {
      std::fprintf(stderr, "update_expected: cannot write %s\n", path.c_str());
      return false;
    }
    std::printf("%-36s pass %4d  allowed %4d  fail %4d  -> %s\n", name.c_str(), counts[0], counts[1], counts[2],
                path.c_str());
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const std::string root = ws ? std::string(ws) + "/" : std::string();
  std::string cases_dir = root + "conformance/cases";
  std::string out_dir = root + "conformance/expected";
  std::vector<std::string> names;
  bool explain = false, requests = true, responses = true;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--explain") {
      explain = true;
    } else if (arg == "--requests") {
      responses = false;
    } else if (arg == "--responses") {
      requests = false;
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
  if (!requests && !responses) return usage();
  if (!names.empty() && requests && responses) responses = false;  // names are request adapters

  Side request_side{cases_dir, out_dir, "conformance/cases", names, [](const std::string& name) {
                      std::function<ParseOutcome(const Case&)> parse;
                      std::shared_ptr<ParserAdapter> a = make_adapter(name);
                      if (a) parse = [a](const Case& c) { return a->parse(c.input); };
                      return parse;
                    }};
  Side response_side{cases_dir + "/responses", out_dir + "/responses", "conformance/cases/responses", names,
                     [](const std::string& name) {
                       std::function<ParseOutcome(const Case&)> parse;
                       std::shared_ptr<ResponseAdapter> a = make_response_adapter(name);
                       if (a) parse = [a](const Case& c) { return a->parse(c.input, c.requests); };
                       return parse;
                     }};
  if (names.empty()) {
    for (std::string_view n : adapter_names()) {
      if (n != "shockwave") request_side.names.emplace_back(n);
    }
    for (std::string_view n : response_adapter_names()) {
      if (n != "shockwave") response_side.names.emplace_back(n);
    }
  }
  if (requests && !write_side(request_side, explain)) return 1;
  if (responses && !write_side(response_side, explain)) return 1;
  return 0;
}
