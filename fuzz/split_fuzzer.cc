// split_fuzzer: RFC 9112 §2.2 as a property: however a client's bytes are
// split into reads, the parser's outcome is the one-shot outcome.
//
// Input: byte 0 = options; bits 0-2: how many schedule bytes follow (0-7),
// bits 3-4: the profile (strict, lenient bare_lf, lenient obs_fold, strict).
// Each schedule byte b is a read of b+1 bytes, the schedule repeating until
// the input is delivered; no schedule bytes: one byte per read. The rest is
// what one client sent.
//
// The one-shot outcome is the shockwave adapter's (conformance/model.h, the
// canonical model). The split run feeds a RequestParser read by read, the
// bytes in a GuardedBuffer (server/http1/testing) whose not yet received
// part is poisoned for ASan, and builds the same canonical outcome by the
// adapter contract (conformance/adapter.h): requests back to back, stop
// after an error, an incomplete request or one that closes the connection.

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
#include "server/http1/request_parser.h"
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

conf::ParseOutcome parse_in_reads(std::string_view bytes, const http1::ParserOptions& options,
                                  std::span<const std::uint8_t> schedule) {
  conf::ParseOutcome out;
  if (bytes.empty()) return out;
  shockwave::http1::testing::GuardedBuffer buffer(bytes.size());
  buffer.set_visible(0);
  // As many field slots as the adapter has, so 431 falls at the same field.
  std::array<http1::Header, 128> fields{};
  http1::RequestParser parser(fields, options);
  std::size_t start = 0, received = 0, read = 0;
  while (received < bytes.size()) {
    std::size_t n = schedule.empty() ? 1 : schedule[read++ % schedule.size()] + 1u;
    if (n > bytes.size() - received) n = bytes.size() - received;
    buffer.set_visible(received + n);
    std::memcpy(buffer.data() + received, bytes.data() + received, n);
    received += n;
    while (start < received) {
      const http1::ParseStatus status = parser.parse(std::span<char>(buffer.data() + start, received - start));
      if (status == http1::ParseStatus::kIncomplete) break;
      if (status == http1::ParseStatus::kError) {
        const http1::Error e = parser.error();
        out.error = conf::Error{http1::error_status(e), std::string(http1::error_reason(e))};
        return out;
      }
      out.messages.push_back(conf::to_message(parser));
      start += parser.consumed();
      out.consumed = start;
      if (!parser.head().keep_alive) return out;
      parser.reset();
    }
  }
  out.incomplete = start < bytes.size();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t schedule_size = data[0] & 7u;
  if (size < 1 + schedule_size) return 0;
  const std::span<const std::uint8_t> schedule(data + 1, schedule_size);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1 + schedule_size, size - 1 - schedule_size);

  static std::unique_ptr<conf::ParserAdapter> adapters[4] = {
      conf::make_shockwave_adapter(kProfiles[0].name, kProfiles[0].options()),
      conf::make_shockwave_adapter(kProfiles[1].name, kProfiles[1].options()),
      conf::make_shockwave_adapter(kProfiles[2].name, kProfiles[2].options()),
      conf::make_shockwave_adapter(kProfiles[3].name, kProfiles[3].options())};
  const Profile& profile = kProfiles[(data[0] >> 3) & 3u];
  const conf::ParseOutcome one_shot = adapters[&profile - kProfiles]->parse(input);
  const conf::ParseOutcome split = parse_in_reads(input, profile.options(), schedule);
  if (split == one_shot) return 0;
  std::fprintf(stderr, "%s: split outcome differs from one read on %s\n  one read: %s\n  split:    %s\n", profile.name,
               conf::escape(input).c_str(), conf::to_json(one_shot).c_str(), conf::to_json(split).c_str());
  std::abort();
}
