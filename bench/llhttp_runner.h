#ifndef SHOCKWAVE_BENCH_LLHTTP_RUNNER_H_
#define SHOCKWAVE_BENCH_LLHTTP_RUNNER_H_

// llhttp (8.1, default = strict settings) used the way a zero-copy server
// (HTTP_REQUEST) or client (HTTP_RESPONSE) uses it: callbacks record views of
// the method and target (or the reason phrase), every field name and value,
// and the body pieces into fixed storage (as large as the field storage given
// to our parsers; more fields is an error, like our 431), and note the
// framing facts and the status code at headers-complete. This is the work our
// RequestParser and ResponseParser do for their callers, so the comparison is
// like for like; llhttp hands out a chunked body in pieces (the runner only
// records their views, it does not join them). See harness.h for the Runner
// contract.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "bench/requests.h"
#include "bench/responses.h"
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
  std::string_view reason;  // responses
  std::array<Field, kFieldCapacity> fields;
  std::size_t field_count = 0;
  bool in_value = false;  // the last field callback was for a value
  std::array<std::string_view, 16> body_pieces;
  std::size_t body_piece_count = 0;
  std::uint64_t body_size = 0;
  // From headers-complete.
  std::uint8_t version_major = 0;
  std::uint8_t version_minor = 0;
  int status = 0;  // responses
  std::uint64_t content_length = 0;
  bool keep_alive = false;
  bool chunked = false;
  // Across the whole input.
  std::size_t messages_begun = 0;
  std::size_t messages_completed = 0;
};

class LlhttpRunner {
 public:
  // type: HTTP_REQUEST (the default) or HTTP_RESPONSE.
  explicit LlhttpRunner(llhttp_type_t type = HTTP_REQUEST) noexcept;
  LlhttpRunner(const LlhttpRunner&) = delete;
  LlhttpRunner& operator=(const LlhttpRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchRequest& req);
  std::string check(std::span<char> input, const BenchResponse& resp);
  std::string label() const;

 private:
  // run_checked parses `input` once for check(): "" when every byte belongs
  // to one of `count` complete messages, else what went wrong.
  std::string run_checked(std::span<char> input, std::size_t count);

  llhttp_settings_t settings_;
  llhttp_t parser_;
  LlhttpMessage message_;
};

// The same runner in HTTP_RESPONSE mode: parses responses (to GET).
struct LlhttpResponseRunner : LlhttpRunner {
  LlhttpResponseRunner() noexcept : LlhttpRunner(HTTP_RESPONSE) {}
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_LLHTTP_RUNNER_H_
