#ifndef SHOCKWAVE_BENCH_PARSED_H_
#define SHOCKWAVE_BENCH_PARSED_H_

// Parsed: what a runner's parser reported for one request, in one shape for
// every parser, and mismatch(), the one comparison against the facts of
// requests.h that every runner's check() makes before timing.

#include <cstddef>
#include <string>
#include <string_view>

#include "bench/requests.h"

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

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_PARSED_H_
