// response_split_fuzzer: RFC 9112 §2.2 as a property, for responses:
// however a server's bytes are split into reads, ResponseParser's outcome
// is the one-read outcome.
//
// Input: byte 0 = options; bits 0-2: how many schedule bytes follow (0-7),
// bits 3-4: the profile (strict, lenient bare_lf, lenient obs_fold, strict).
// Byte 1: the methods of the requests the responses answer, two bits each
// from bit 0, four requests (GET, HEAD, CONNECT, POST; the last repeats, as
// conformance/adapter.h's answered_method says). Bytes 2-3: the end of the
// first of two reads. Then the schedule: each byte b is a read of b+1
// bytes, repeating until the input is delivered. The rest is what the
// server sent before closing the connection (make_corpus --prefix=4).
//
// The one-read outcome is the shockwave response adapter's (conformance/
// model.h, the canonical model). Each split run feeds a ResponseParser read
// by read, the bytes in a GuardedBuffer (server/http1/testing) whose not yet
// received part is poisoned for ASan, calls finish() where the bytes end,
// and builds the outcome by the ResponseAdapter contract (conformance/
// adapter.h). The runs: two reads at the chosen offset, one byte per read,
// and the schedule (when there is one).

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "conformance/adapter.h"
#include "conformance/adapters/shockwave_adapter.h"
#include "conformance/case.h"
#include "conformance/model.h"
#include "server/http1/error.h"
#include "server/http1/options.h"
#include "server/http1/response.h"
#include "server/http1/response_parser.h"
#include "server/http1/testing/guarded_buffer.h"

namespace {

namespace conf = shockwave::conformance;
namespace http1 = shockwave::http1;

// The shockwave adapter's profiles (conformance/adapter.cc).
struct Profile {
  const char* name;
  bool bare_lf;
  bool obs_fold;
  http1::ParserOptions options() const {
    http1::ParserOptions o;
    o.leniency.bare_lf = bare_lf;
    o.leniency.obs_fold = obs_fold;
    return o;
  }
};
constexpr Profile kProfiles[4] = {
    {"shockwave", false, false},
    {"shockwave-lenient-bare_lf", true, false},
    {"shockwave-lenient-obs_fold", false, true},
    {"shockwave", false, false},
};

constexpr std::array<std::string_view, 4> kMethods = {"GET", "HEAD", "CONNECT", "POST"};

// Reads says how many bytes each read delivers.
struct Reads {
  std::size_t first = 0;                   // two reads: the first ends here (0: not this run)
  std::span<const std::uint8_t> schedule;  // otherwise b+1 bytes per schedule byte; empty: 1
  std::size_t size(std::size_t index) const {
    if (first != 0) return index == 0 ? first : SIZE_MAX;
    if (schedule.empty()) return 1;
    return schedule[index % schedule.size()] + 1u;
  }
};

conf::ParseOutcome parse_in_reads(std::string_view bytes, const http1::ParserOptions& options,
                                  std::span<const std::string> requests, const Reads& reads) {
  conf::ParseOutcome out;
  if (bytes.empty()) return out;
  http1::testing::GuardedBuffer buffer(bytes.size());
  buffer.set_visible(0);
  // As many field slots as the adapter has, so kTooManyFields falls alike.
  std::array<http1::Header, 128> fields{};
  http1::ResponseParser parser(fields, options);
  std::size_t start = 0, received = 0, read = 0, finals = 0;
  bool done = false;
  // step parses what has arrived of the next response; true when another
  // response may follow in what has arrived.
  // The first response begins an exchange (answers()); after an interim
  // one only reset(), so the next answers the same request and the
  // parser counts the run of interim responses.
  parser.answers(shockwave::http1::request_kind(conf::answered_method(requests, 0)));
  auto step = [&](bool at_end) {
    const std::span<char> rest(buffer.data() + start, received - start);
    http1::ParseStatus status = parser.parse(rest);
    // The server closed the connection where the bytes end.
    if (status == http1::ParseStatus::kIncomplete && at_end) status = parser.finish(rest);
    if (status == http1::ParseStatus::kIncomplete) return false;
    done = true;
    if (status == http1::ParseStatus::kError) {
      const http1::Error e = parser.error();
      if (e == http1::Error::kIncompleteResponse) {
        out.incomplete = true;  // RFC 9112 §8: closed inside a response
      } else {
        out.error = conf::Error{http1::response_error_status(e), std::string(http1::error_reason(e))};
      }
      return false;
    }
    const http1::ResponseHead& head = parser.head();
    out.messages.push_back(conf::to_message(parser));
    start += parser.consumed();
    out.consumed = start;
    if (!head.keep_alive || head.tunnel) {
      out.messages.back().keep_alive = false;  // the contract's spelling of a tunnel
      return false;                            // nothing after it is HTTP/1.1
    }
    const bool interim = head.interim();  // reset() clears the head
    parser.reset();
    if (!interim) parser.answers(shockwave::http1::request_kind(conf::answered_method(requests, ++finals)));
    done = false;
    return start < received;
  };
  while (!done && received < bytes.size()) {
    std::size_t n = reads.size(read++);
    if (n > bytes.size() - received) n = bytes.size() - received;
    buffer.set_visible(received + n);
    std::memcpy(buffer.data() + received, bytes.data() + received, n);
    received += n;
    while (step(received == bytes.size())) {
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const std::size_t schedule_size = data[0] & 7u;
  if (size < 4 + schedule_size) return 0;
  const Profile& profile = kProfiles[(data[0] >> 3) & 3u];
  std::vector<std::string> requests;
  for (std::size_t i = 0; i < 4; ++i) requests.emplace_back(kMethods[(data[1] >> (2 * i)) & 3u]);
  const std::size_t split_seed = static_cast<std::size_t>(data[2]) << 8 | data[3];
  const std::span<const std::uint8_t> schedule(data + 4, schedule_size);
  const std::string_view input(reinterpret_cast<const char*>(data) + 4 + schedule_size, size - 4 - schedule_size);

  static std::unique_ptr<conf::ResponseAdapter> adapters[4] = {
      conf::make_shockwave_response_adapter(kProfiles[0].name, kProfiles[0].options()),
      conf::make_shockwave_response_adapter(kProfiles[1].name, kProfiles[1].options()),
      conf::make_shockwave_response_adapter(kProfiles[2].name, kProfiles[2].options()),
      conf::make_shockwave_response_adapter(kProfiles[3].name, kProfiles[3].options())};
  const conf::ParseOutcome one_read = adapters[&profile - kProfiles]->parse(input, requests);

  struct Run {
    const char* name;
    Reads reads;
  };
  std::vector<Run> runs;
  // Two reads: the first ends strictly inside the input.
  if (input.size() >= 2) runs.push_back({"two reads", Reads{1 + split_seed % (input.size() - 1), {}}});
  runs.push_back({"one byte per read", Reads{}});
  if (!schedule.empty()) runs.push_back({"schedule", Reads{0, schedule}});
  for (const Run& run : runs) {
    const conf::ParseOutcome split = parse_in_reads(input, profile.options(), requests, run.reads);
    if (split == one_read) continue;
    std::fprintf(stderr, "%s (%s): outcome in reads (%s) differs from one read on %s\n  one read: %s\n  in reads: %s\n",
                 profile.name, requests[0].c_str(), run.name, conf::escape(input).c_str(),
                 conf::to_json(one_read).c_str(), conf::to_json(split).c_str());
    std::abort();
  }
  return 0;
}
