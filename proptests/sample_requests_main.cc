// sample_requests OUT_DIR [--n=N] [--seed=S] [--prefix=K] [--llhttp-compatible] [--mutants]
// writes N generated requests (proptests/generators.h), deterministic in S,
// into OUT_DIR, one file each named gen-S-I: seeds for the fuzzers' corpora
// from the same generators the properties use. --prefix=K prepends K zero
// bytes (for fuzz targets whose first bytes select options); --mutants
// writes requests with one RFC rule broken instead (gen_mutant).
//   ./bazelw run //proptests:sample_requests -- $PWD/fuzz/corpus/differential_llhttp_fuzzer --n=100 --llhttp-compatible

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "proptests/generators.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: sample_requests OUT_DIR [--n=N] [--seed=S] [--prefix=K] [--llhttp-compatible] [--mutants]\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::size_t n = 100;
  std::uint64_t seed = 1;
  std::size_t prefix = 0;
  bool mutants = false;
  shockwave::proptests::RequestSpace space;
  for (int i = 2; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--n=")) {
      n = std::stoul(std::string(arg.substr(4)));
    } else if (arg.starts_with("--seed=")) {
      seed = std::stoull(std::string(arg.substr(7)));
    } else if (arg.starts_with("--prefix=")) {
      prefix = std::stoul(std::string(arg.substr(9)));
    } else if (arg == "--llhttp-compatible") {
      space.llhttp_compatible = true;
    } else if (arg == "--mutants") {
      mutants = true;
    } else {
      std::fprintf(stderr, "sample_requests: unknown argument %s\n", argv[i]);
      return 2;
    }
  }
  std::vector<std::string> inputs;
  if (mutants) {
    for (const auto& m : shockwave::proptests::sample_mutants(n, seed)) inputs.push_back(m.bytes);
  } else {
    for (const auto& r : shockwave::proptests::sample_requests(n, seed, space)) inputs.push_back(serialize(r));
  }
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const std::string path = dir + "/gen-" + std::to_string(seed) + "-" + std::to_string(i);
    std::ofstream out(path, std::ios::binary);
    out << std::string(prefix, '\0') << inputs[i];
    if (!out) {
      std::fprintf(stderr, "sample_requests: cannot write %s\n", path.c_str());
      return 1;
    }
  }
  std::printf("sample_requests: %zu inputs written to %s\n", inputs.size(), dir.c_str());
  return 0;
}
