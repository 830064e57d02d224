#ifndef SHOCKWAVE_BENCH_PICOHTTPPARSER_RUNNER_H_
#define SHOCKWAVE_BENCH_PICOHTTPPARSER_RUNNER_H_

// picohttpparser used the way H2O's HTTP/1 server (lib/http1.c) uses it:
// phr_parse_request fills field views into fixed storage (as large as the
// other runners'), then the caller does the rest itself, as every
// picohttpparser user must: finds Content-Length, Transfer-Encoding and
// Connection among the fields, decides framing and keep-alive, and decodes a
// chunked body in place with phr_decode_chunked (consume_trailer = 1). Host
// is not checked (H2O does not either). See harness.h for the Runner contract.
//
// Two builds, each reached through a table of function pointers (one
// indirect call per phr_* call, the same for both):
//  - libh2o: the phr_* functions exported by Debian's libh2o.so.0.13, built
//    without SSE4.2 (scalar), called through the PLT;
//  - sse42: picohttpparser.c from the same h2o version's source package,
//    compiled with -msse4.2 (third_party/picohttpparser_sse42.bzl), when
//    bench/fetch_picohttpparser.sh has put the sources in its cache; else the
//    benchmark is skipped as unavailable.

#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "bench/requests.h"

namespace shockwave::bench {

// The layouts of picohttpparser's struct phr_header and struct
// phr_chunked_decoder (picohttpparser.h; the SSE4.2 build checks them).
struct PhrField {
  const char* name;
  std::size_t name_len;
  const char* value;
  std::size_t value_len;
};
struct PhrDecoder {
  std::size_t bytes_left_in_chunk;
  char consume_trailer;
  char hex_count;
  char state;
};

// PicoBuild: one build of picohttpparser and its label.
struct PicoBuild {
  bool available;
  const char* label;  // which build, with its flags; or why it is unavailable
  int (*parse_request)(const char* buf, std::size_t len, const char** method, std::size_t* method_len,
                       const char** path, std::size_t* path_len, int* minor_version, PhrField* headers,
                       std::size_t* num_headers, std::size_t last_len);
  ssize_t (*decode_chunked)(PhrDecoder* decoder, char* buf, std::size_t* bufsz);
};

const PicoBuild& pico_libh2o_build();  // picohttpparser_libh2o.cc
const PicoBuild& pico_sse42_build();   // picohttpparser_sse42.cc

class PicoRunner {
 public:
  static constexpr std::size_t kFieldCapacity = 32;

  explicit PicoRunner(const PicoBuild& build) noexcept : build_(build) {}
  PicoRunner(const PicoRunner&) = delete;
  PicoRunner& operator=(const PicoRunner&) = delete;

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchRequest& req);
  std::string label() const { return build_.label; }

 private:
  // What one parse delivers to its caller.
  struct Message {
    std::string_view method;
    std::string_view target;
    int minor_version = 0;
    std::array<PhrField, kFieldCapacity> fields;
    std::size_t field_count = 0;
    bool chunked = false;
    bool keep_alive = false;
    std::string_view body;
  };
  // parse_one parses the request at the start of `input` and advances it
  // past that request; false on an error or an incomplete request.
  bool parse_one(std::span<char>& input) noexcept;

  const PicoBuild& build_;
  Message message_;
};

struct PicoLibh2oRunner : PicoRunner {
  PicoLibh2oRunner() noexcept : PicoRunner(pico_libh2o_build()) {}
};

struct PicoSse42Runner : PicoRunner {
  PicoSse42Runner() noexcept : PicoRunner(pico_sse42_build()) {}
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_PICOHTTPPARSER_RUNNER_H_
