// picohttpparser as Debian ships it: the phr_* functions exported by
// libh2o.so.0.13 (scalar build; no package ships the header, so the three
// prototypes used are declared here with the layouts of PhrField/PhrDecoder).

#include <sys/types.h>

#include <cstddef>

#include "bench/picohttpparser_runner.h"

extern "C" {
int phr_parse_request(const char* buf, std::size_t len, const char** method, std::size_t* method_len, const char** path,
                      std::size_t* path_len, int* minor_version, shockwave::bench::PhrField* headers,
                      std::size_t* num_headers, std::size_t last_len);
int phr_parse_response(const char* buf, std::size_t len, int* minor_version, int* status, const char** msg,
                       std::size_t* msg_len, shockwave::bench::PhrField* headers, std::size_t* num_headers,
                       std::size_t last_len);
ssize_t phr_decode_chunked(shockwave::bench::PhrDecoder* decoder, char* buf, std::size_t* bufsz);
}

namespace shockwave::bench {

const PicoBuild& pico_libh2o_build() {
  static const PicoBuild build{
      .available = true,
      .label = "libh2o.so.0.13 (Debian h2o 2.2.5, scalar: built without SSE4.2)",
      .parse_request = phr_parse_request,
      .parse_response = phr_parse_response,
      .decode_chunked = phr_decode_chunked,
  };
  return build;
}

}  // namespace shockwave::bench
