#ifndef SHOCKWAVE_BENCH_LLHTTP_RUNNER_H_
#define SHOCKWAVE_BENCH_LLHTTP_RUNNER_H_

// llhttp (8.1, default = strict settings, HTTP_REQUEST) used the way a
// zero-copy server uses it: callbacks record views of the method, target,
// every field name and value, and the body pieces into fixed storage (as
// large as the field storage given to our parser; more fields is an error,
// like our 431), and note the framing facts at headers-complete. This is the
// work our RequestParser does for its caller, so the comparison is like for
// like. See harness.h for the Runner contract.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "bench/requests.h"
#include "llhttp.h"

namespace shockwave::bench {

inline constexpr std::size_t kFieldCapacity = 32;

// What the callbacks record for the current message.
struct LlhttpMessage {
  struct Field {
    std::string_view name;
    std::string_view value;
  };
  std::string_view method;
  std::string_view target;
  std::array<Field, kFieldCapacity> fields;
  std::size_t field_count = 0;
  bool in_value = false;  // the last field callback was for a value
  std::array<std::string_view, 16> body_pieces;
  std::size_t body_piece_count = 0;
  std::uint64_t body_size = 0;
  // From headers-complete.
  std::uint8_t version_major = 0;
  std::uint8_t version_minor = 0;
  std::uint64_t content_length = 0;
  bool keep_alive = false;
  bool chunked = false;
  // Across the whole input.
  std::size_t messages_begun = 0;
  std::size_t messages_completed = 0;
};

class LlhttpRunner {
 public:
  LlhttpRunner() noexcept;
  LlhttpRunner(const LlhttpRunner&) = delete;
  LlhttpRunner& operator=(const LlhttpRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchRequest& req);
  std::string label() const;

 private:
  llhttp_settings_t settings_;
  llhttp_t parser_;
  LlhttpMessage message_;
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_LLHTTP_RUNNER_H_
