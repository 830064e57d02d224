// differential_llhttp_fuzzer: the same bytes through our strict parser and
// llhttp's strict profile, compared in the canonical model (conformance/
// model.h). Any disagreement aborts, unless llhttp_differences.cc lists it
// with its RFC reason.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "conformance/adapter.h"
#include "conformance/case.h"
#include "conformance/model.h"
#include "fuzz/llhttp_differences.h"

using shockwave::conformance::make_adapter;
using shockwave::conformance::ParserAdapter;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ParserAdapter* const ours = make_adapter("shockwave").release();
  static ParserAdapter* const theirs = make_adapter("llhttp").release();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto a = ours->parse(input);
  const auto b = theirs->parse(input);
  if (a == b) return 0;
  if (shockwave::fuzz::classify(input, a, b) != nullptr) return 0;
  std::fprintf(stderr, "unexplained disagreement on %s\n  shockwave: %s\n  llhttp:    %s\n",
               shockwave::conformance::escape(input).c_str(), shockwave::conformance::to_json(a).c_str(),
               shockwave::conformance::to_json(b).c_str());
  std::abort();
}
