// picohttpparser compiled from H2O's sources with -msse4.2, when
// bench/fetch_picohttpparser.sh has fetched them (see
// third_party/picohttpparser_sse42.bzl); its phr_* functions are renamed
// shockwave_sse42_phr_* by the generated header.

#include "picohttpparser_sse42.h"

#include "bench/picohttpparser_runner.h"

namespace shockwave::bench {

#if SHOCKWAVE_PICOHTTPPARSER_SSE42

static_assert(sizeof(PhrField) == sizeof(phr_header) &&
                  offsetof(phr_header, value_len) == offsetof(PhrField, value_len),
              "PhrField must have phr_header's layout");
static_assert(sizeof(PhrDecoder) == sizeof(phr_chunked_decoder) &&
                  offsetof(phr_chunked_decoder, _state) == offsetof(PhrDecoder, state),
              "PhrDecoder must have phr_chunked_decoder's layout");

namespace {
int parse_request(const char* buf, std::size_t len, const char** method, std::size_t* method_len, const char** path,
                  std::size_t* path_len, int* minor_version, PhrField* headers, std::size_t* num_headers,
                  std::size_t last_len) {
  return phr_parse_request(buf, len, method, method_len, path, path_len, minor_version,
                           reinterpret_cast<phr_header*>(headers), num_headers, last_len);
}
int parse_response(const char* buf, std::size_t len, int* minor_version, int* status, const char** msg,
                   std::size_t* msg_len, PhrField* headers, std::size_t* num_headers, std::size_t last_len) {
  return phr_parse_response(buf, len, minor_version, status, msg, msg_len, reinterpret_cast<phr_header*>(headers),
                            num_headers, last_len);
}
ssize_t decode_chunked(PhrDecoder* decoder, char* buf, std::size_t* bufsz) {
  return phr_decode_chunked(reinterpret_cast<phr_chunked_decoder*>(decoder), buf, bufsz);
}
}  // namespace

const PicoBuild& pico_sse42_build() {
  static const PicoBuild build{
      .available = true,
      .label = SHOCKWAVE_PICOHTTPPARSER_SSE42_BUILD,
      .parse_request = parse_request,
      .parse_response = parse_response,
      .decode_chunked = decode_chunked,
  };
  return build;
}

#else

const PicoBuild& pico_sse42_build() {
  static const PicoBuild build{
      .available = false,
      .label = SHOCKWAVE_PICOHTTPPARSER_SSE42_BUILD,
      .parse_request = nullptr,
      .parse_response = nullptr,
      .decode_chunked = nullptr,
  };
  return build;
}

#endif

}  // namespace shockwave::bench
