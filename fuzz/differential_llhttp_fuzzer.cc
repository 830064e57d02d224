// differential_llhttp_fuzzer: the same bytes through our strict parser and
// llhttp, compared in the canonical model (conformance/model.h). The first
// input byte selects llhttp's profile (conformance/adapters/llhttp_adapter.h:
// strict "llhttp" or one lenient flag); the rest is the request bytes. Any
// disagreement aborts, unless llhttp_differences.cc lists it, for that
// profile, with its RFC reason.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/adapters/llhttp_adapter.h"
#include "conformance/adapters/shockwave_adapter.h"
#include "conformance/case.h"
#include "conformance/model.h"
#include "fuzz/llhttp_differences.h"

using shockwave::conformance::ParserAdapter;

namespace {

// The adapters live for the whole run, held from static storage (where
// LeakSanitizer sees them as reachable).
constexpr std::size_t kMaxProfiles = 8;
struct Peers {
  std::unique_ptr<ParserAdapter> ours;
  std::unique_ptr<ParserAdapter> profiles[kMaxProfiles];  // llhttp_profile_names() order, "llhttp" first
  std::size_t count = 0;
};

const Peers& peers() {
  static Peers p;
  if (p.ours == nullptr) {
    // The two adapters directly, not the registry: no other parser to link.
    p.ours = shockwave::conformance::make_shockwave_adapter("shockwave");
    for (std::string_view name : shockwave::conformance::llhttp_profile_names()) {
      if (p.count < kMaxProfiles) p.profiles[p.count++] = shockwave::conformance::make_llhttp_adapter(name);
    }
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Peers& p = peers();
  ParserAdapter* theirs = p.profiles[data[0] % p.count].get();
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const auto a = p.ours->parse(input);
  const auto b = theirs->parse(input);
  if (a == b) return 0;
  if (shockwave::fuzz::classify(theirs->name(), input, a, b) != nullptr) return 0;
  std::fprintf(stderr, "unexplained disagreement (%.*s) on %s\n  shockwave: %s\n  %.*s: %s\n",
               static_cast<int>(theirs->name().size()), theirs->name().data(),
               shockwave::conformance::escape(input).c_str(), shockwave::conformance::to_json(a).c_str(),
               static_cast<int>(theirs->name().size()), theirs->name().data(),
               shockwave::conformance::to_json(b).c_str());
  std::abort();
}
