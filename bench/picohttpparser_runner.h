#ifndef SHOCKWAVE_BENCH_PICOHTTPPARSER_RUNNER_H_
#define SHOCKWAVE_BENCH_PICOHTTPPARSER_RUNNER_H_

// picohttpparser used the way H2O's HTTP/1 server (lib/http1.c) and client
// (lib/common/http1client.c) use it: phr_parse_request (phr_parse_response)
// fills field views into fixed storage (as large as the other runners'), then
// the caller does the rest itself, as every picohttpparser user must: finds
// Content-Length, Transfer-Encoding and Connection among the fields, decides
// framing and keep-alive, and decodes a chunked body in place with
// phr_decode_chunked (consume_trailer = 1). Host is not checked (H2O does not
// either). For responses the runner also gives 1xx, 204 and 304 no body, as
// ours does; a response with neither Content-Length nor chunked (a body
// delimited by close) is reported as a failure, not parsed: no benchmark
// response has one. See harness.h for the Runner contract.
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
#include "bench/responses.h"

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
  int (*parse_response)(const char* buf, std::size_t len, int* minor_version, int* status, const char** msg,
                        std::size_t* msg_len, PhrField* headers, std::size_t* num_headers, std::size_t last_len);
  ssize_t (*decode_chunked)(PhrDecoder* decoder, char* buf, std::size_t* bufsz);
};

const PicoBuild& pico_libh2o_build();  // picohttpparser_libh2o.cc
const PicoBuild& pico_sse42_build();   // picohttpparser_sse42.cc

// What the request and response runners share: the build, what one parse
// delivers, and the caller's work after the head.
class PicoRunnerBase {
 public:
  static constexpr std::size_t kFieldCapacity = 32;

  PicoRunnerBase(const PicoRunnerBase&) = delete;
  PicoRunnerBase& operator=(const PicoRunnerBase&) = delete;
  std::string label() const { return build_.label; }

 protected:
  explicit PicoRunnerBase(const PicoBuild& build) noexcept : build_(build) {}

  // What one parse delivers to its caller.
  struct Message {
    std::string_view method;  // requests
    std::string_view target;  // requests
    int status = 0;           // responses
    std::string_view reason;  // responses
    int minor_version = 0;
    std::array<PhrField, kFieldCapacity> fields;
    std::size_t field_count = 0;
    bool chunked = false;
    bool keep_alive = false;
    std::string_view body;
  };
  // take_body: after a head of `head` bytes at the start of `input` with
  // message_.field_count fields, decides framing and keep-alive, takes the
  // body (none when !may_have_body) and advances `input` past the message;
  // false on an error or an incomplete message.
  bool take_body(std::span<char>& input, std::size_t head, bool may_have_body) noexcept;

  const PicoBuild& build_;
  Message message_;
};

class PicoRunner : public PicoRunnerBase {
 public:
  explicit PicoRunner(const PicoBuild& build) noexcept : PicoRunnerBase(build) {}

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchRequest& req);

 private:
  // parse_one parses the request at the start of `input` and advances it
  // past that request; false on an error or an incomplete request.
  bool parse_one(std::span<char>& input) noexcept;
};

// The response side (to GET: a body unless 1xx, 204 or 304).
class PicoResponseRunner : public PicoRunnerBase {
 public:
  explicit PicoResponseRunner(const PicoBuild& build) noexcept : PicoRunnerBase(build) {}

  std::size_t parse_all(std::span<char> input) noexcept;
  std::string check(std::span<char> input, const BenchResponse& resp);

 private:
  bool parse_one(std::span<char>& input) noexcept;
};

struct PicoLibh2oRunner : PicoRunner {
  PicoLibh2oRunner() noexcept : PicoRunner(pico_libh2o_build()) {}
};

struct PicoSse42Runner : PicoRunner {
  PicoSse42Runner() noexcept : PicoRunner(pico_sse42_build()) {}
};

struct PicoLibh2oResponseRunner : PicoResponseRunner {
  PicoLibh2oResponseRunner() noexcept : PicoResponseRunner(pico_libh2o_build()) {}
};

struct PicoSse42ResponseRunner : PicoResponseRunner {
  PicoSse42ResponseRunner() noexcept : PicoResponseRunner(pico_sse42_build()) {}
};

}  // namespace shockwave::bench

#endif  // SHOCKWAVE_BENCH_PICOHTTPPARSER_RUNNER_H_
