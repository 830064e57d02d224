// update_catalogue: rewrites the cases column of the requirement catalogue
// (docs/requirements.md) from the conformance cases, then prints what
// //conformance:catalogue_test would still report (a rule id no row has, a
// row no case names, ...), which only an edit by hand can fix.
//
//   ./bazelw run //conformance:update_catalogue [-- --cases=DIR --catalogue=FILE]
//
// Defaults: conformance/cases and docs/requirements.md of the workspace
// `bazel run` was started in. Exit status 0 when nothing is left to fix.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "conformance/case.h"
#include "conformance/catalogue.h"

int main(int argc, char** argv) {
  using namespace shockwave::conformance;
  const char* ws = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  const std::string root = ws ? std::string(ws) + "/" : std::string();
  std::string cases_dir = root + "conformance/cases";
  std::string path = root + "docs/requirements.md";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--cases=")) {
      cases_dir = arg.substr(8);
    } else if (arg.starts_with("--catalogue=")) {
      path = arg.substr(12);
    } else {
      std::fputs("usage: update_catalogue [--cases=DIR] [--catalogue=FILE]\n", stderr);
      return 2;
    }
  }
  std::string error;
  const auto cases = load_all_cases(cases_dir, &error);
  if (!cases) {
    std::fprintf(stderr, "update_catalogue: %s\n", error.c_str());
    return 1;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "update_catalogue: cannot read %s\n", path.c_str());
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  in.close();
  const auto updated = update_catalogue(text.str(), *cases, &error);
  if (!updated) {
    std::fprintf(stderr, "update_catalogue: %s: %s\n", path.c_str(), error.c_str());
    return 1;
  }
  if (*updated != text.str()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << *updated;
    if (!out.flush()) {
      std::fprintf(stderr, "update_catalogue: cannot write %s\n", path.c_str());
      return 1;
    }
    std::printf("update_catalogue: rewrote the cases columns of %s\n", path.c_str());
  } else {
    std::printf("update_catalogue: %s is up to date\n", path.c_str());
  }
  const auto catalogue = parse_catalogue(*updated, &error);
  int left = 0;
  for (const std::string& problem : check_catalogue(*catalogue, *cases)) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), problem.c_str());
    ++left;
  }
  if (left) std::fprintf(stderr, "update_catalogue: %d problem(s) to fix by hand\n", left);
  return left ? 1 : 0;
}
