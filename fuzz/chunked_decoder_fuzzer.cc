// chunked_decoder_fuzzer: any bytes as a chunked body (RFC 9112 §7.1),
// decoded one-shot and again fed in pieces whose sizes come from the input's
// first byte; both must agree (status, error, decoded bytes, wire size,
// trailers). Decoded bytes stay within the input; errors map to a status.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "server/http1/chunked_decoder.h"
#include "server/http1/error.h"

namespace {

using shockwave::http1::ChunkedDecoder;
using shockwave::http1::Error;
using shockwave::http1::Header;
using shockwave::http1::ParseStatus;

struct Result {
  ParseStatus status;
  Error error;
  std::string decoded;
  std::size_t consumed = 0;
  std::string trailers;
  bool operator==(const Result&) const = default;
};

// decode feeds input in steps of `step` bytes (0: all at once).
Result decode(std::string_view input, std::size_t step) {
  std::unique_ptr<char[]> owned(new char[input.size() ? input.size() : 1]);
  std::memcpy(owned.get(), input.data(), input.size());
  std::array<Header, 16> storage;
  ChunkedDecoder decoder(storage);
  ParseStatus status = ParseStatus::kIncomplete;
  std::size_t fed = step == 0 ? input.size() : 0;
  for (;;) {
    if (step != 0) fed = fed + step < input.size() ? fed + step : input.size();
    status = decoder.decode(std::span<char>(owned.get(), fed));
    FUZZ_CHECK(decoder.decoded_size() <= fed);
    if (status != ParseStatus::kIncomplete || fed == input.size()) break;
  }
  Result r{status, decoder.error(), {}, 0, {}};
  if (status == ParseStatus::kError) {
    FUZZ_CHECK(decoder.error() != Error::kNone);
    int s = shockwave::http1::error_status(decoder.error());
    FUZZ_CHECK(s == 400 || s == 413 || s == 431 || s == 501);
    return r;
  }
  r.decoded.assign(owned.get(), decoder.decoded_size());
  if (status == ParseStatus::kComplete) {
    r.consumed = decoder.consumed();
    FUZZ_CHECK(r.consumed <= input.size() && r.decoded.size() <= r.consumed);
    const char* begin = owned.get();
    for (const Header& h : decoder.trailers()) {
      FUZZ_CHECK(h.name.data() >= begin && h.name.data() + h.name.size() <= begin + input.size());
      FUZZ_CHECK(h.value.empty() ||
                 (h.value.data() >= begin && h.value.data() + h.value.size() <= begin + input.size()));
      r.trailers.append(h.name).append(":").append(h.value).append("\n");
    }
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t step = data[0] % 16 + 1;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  Result whole = decode(input, 0);
  Result pieces = decode(input, step);
  // Fed in pieces, a body can only end the same way as fed whole; an
  // incomplete whole stays incomplete.
  FUZZ_CHECK(whole.status == pieces.status);
  FUZZ_CHECK(whole.error == pieces.error);
  if (whole.status == ParseStatus::kComplete) FUZZ_CHECK(whole == pieces);
  return 0;
}
