// differential_llhttp_response_fuzzer: the same server bytes through our
// strict ResponseParser and llhttp in HTTP_RESPONSE mode, compared in the
// canonical model (conformance/model.h) through the two response adapters
// (conformance/adapter.h: responses back to back, the end of the input is
// the server closing the connection). llhttp learns that a response answers
// HEAD (or CONNECT) the way its API has it: on_headers_complete returns 1
// (2 for a 2xx to CONNECT). Any disagreement aborts, unless
// llhttp_response_differences.cc lists it with its RFC reason.
//
// Input: byte 0 = the methods of the requests the responses answer, two
// bits each from bit 0, four requests (GET, HEAD, CONNECT, POST; the last
// repeats); the rest is what the server sent (make_corpus --prefix=1).

#include <array>
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
#include "fuzz/llhttp_response_differences.h"

namespace {

namespace conf = shockwave::conformance;

constexpr std::array<std::string_view, 4> kMethods = {"GET", "HEAD", "CONNECT", "POST"};

// The adapters live for the whole run, held from static storage (where
// LeakSanitizer sees them as reachable).
struct Peers {
  std::unique_ptr<conf::ResponseAdapter> ours = conf::make_shockwave_response_adapter("shockwave");
  std::unique_ptr<conf::ResponseAdapter> theirs = conf::make_llhttp_response_adapter();
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static Peers peers;
  std::vector<std::string> requests;
  for (std::size_t i = 0; i < 4; ++i) requests.emplace_back(kMethods[(data[0] >> (2 * i)) & 3u]);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  const conf::ParseOutcome a = peers.ours->parse(input, requests);
  const conf::ParseOutcome b = peers.theirs->parse(input, requests);
  if (a == b) return 0;
  if (shockwave::fuzz::classify_response(input, requests, a, b) != nullptr) return 0;
  std::fprintf(
      stderr,
      "unexplained disagreement (llhttp responses, requests %s %s %s %s) on %s\n  shockwave: %s\n  llhttp:    %s\n",
      requests[0].c_str(), requests[1].c_str(), requests[2].c_str(), requests[3].c_str(), conf::escape(input).c_str(),
      conf::to_json(a).c_str(), conf::to_json(b).c_str());
  std::abort();
}
