#ifndef SHOCKWAVE_BENCH_PARSED_H_
#define SHOCKWAVE_BENCH_PARSED_H_

// Parsed (ParsedResponse): what a runner's parser reported for one request
// (response), in one shape for every parser, and mismatch(), the one
// comparison against the facts of requests.h (responses.h) that every
// runner's check() makes before timing.

#include <cstddef>
#include <string>
#include <string_view>

#include "bench/requests.h"
#include "bench/responses.h"

namespace shockwave::bench {

struct Parsed {
  std::string_view method;
  std::string_view target;
  bool http11 = false;
  bool keep_alive = false;
  std::size_t field_count = 0;
  std::string_view first_field_name;
  std::string_view first_field_value;
  bool chunked = false;
  std::string body;  // joined, when the parser hands it out in pieces
};

// mismatch: "" when `got` is what `want` describes, else what differs.
inline std::string mismatch(const Parsed& got, const BenchRequest& want) {
  if (got.method != want.method) return "method " + std::string(got.method);
  if (got.target != want.target) return "target " + std::string(got.target);
  if (!got.http11) return "not HTTP/1.1";
  if (!got.keep_alive) return "not keep-alive";
  if (got.field_count != want.field_count) return std::to_string(got.field_count) + " fields";
  if (got.first_field_name != want.first_field_name || got.first_field_value != want.first_field_value) {
    return "first field " + std::string(got.first_field_name) + ": " + std::string(got.first_field_value);
  }
  if (got.chunked != want.chunked) return "chunked framing not as expected";
  if (got.body != want.body) return "body of " + std::to_string(got.body.size()) + " bytes differs";
  return "";
}

struct ParsedResponse {
  int status = 0;
  std::string_view reason;
  bool http11 = false;
  bool keep_alive = false;
  std::size_t field_count = 0;
  std::string_view first_field_name;
  std::string_view first_field_value;
  std::string_view last_field_name;
  std::string_view last_field_value;
  bool chunked = false;
  std::string body;  // joined, when the parser hands it out in pieces
};

inline std::string mismatch(const ParsedResponse& got, const BenchResponse& want) {
  if (got.status != want.status) return "status " + std::to_string(got.status);
  if (got.reason != want.reason) return "reason " + std::string(got.reason);
  if (!got.http11) return "not HTTP/1.1";
  if (!got.keep_alive) return "not keep-alive";
  if (got.field_count != want.field_count) return std::to_string(got.field_count) + " fields";
  if (got.first_field_name != want.first_field_name || got.first_field_value != want.first_field_value) {
    return "first field " + std::string(got.first_field_name) + ": " + std::string(got.first_field_value);
  }
  if (got.last_field_name != want.last_field_name || got.last_field_value != want.last_field_value) {
    return "last field " + std::string(got.last_field_name) + ": " + std::string(got.last_field_value);
  }
  if (got.chunked != want.chunked) return "chunked framing not as expected";
  if (got.body != want.body) return "body of " + std::to_string(got.body.size()) + " bytes differs";
  return "";
}

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_PARSED_H_
