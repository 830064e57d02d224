// make_corpus CASES OUT_DIR [--prefix=N]: writes each conformance case's
// input into OUT_DIR, one file per case named after its id ('/' -> '__').
// --prefix=N prepends N zero bytes (for targets whose first bytes select
// options, e.g. request_parser_fuzzer's split position).
//   ./bazelw run //fuzz:make_corpus -- $PWD/conformance/cases $PWD/fuzz/corpus/x

#include <cstdio>
#include <fstream>
#include <string>

#include "conformance/case.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: make_corpus CASES_DIR OUT_DIR [--prefix=N]\n");
    return 2;
  }
  std::string prefix;
  if (argc > 3 && std::string(argv[3]).rfind("--prefix=", 0) == 0) {
    prefix.assign(static_cast<std::size_t>(std::stoi(std::string(argv[3]).substr(9))), '\0');
  }
  std::string error;
  auto cases = shockwave::conformance::load_cases(argv[1], &error);
  if (!cases) {
    std::fprintf(stderr, "make_corpus: %s\n", error.c_str());
    return 1;
  }
  int written = 0;
  for (const auto& c : *cases) {
    std::string name = c.id;
    for (char& ch : name) {
      if (ch == '/') ch = '_';
    }
    std::ofstream out(std::string(argv[2]) + "/" + name, std::ios::binary);
    out << prefix << c.input;
    if (!out) {
      std::fprintf(stderr, "make_corpus: cannot write %s\n", name.c_str());
      return 1;
    }
    ++written;
  }
  std::printf("make_corpus: %d seeds written to %s\n", written, argv[2]);
  return 0;
}
