#ifndef SHOCKWAVE_SERVER_FLAGS_H_
#define SHOCKWAVE_SERVER_FLAGS_H_

// Command-line flags of the shockwave binary: one per Config field.

#include <string>

#include "server/config.h"

namespace shockwave {

enum class FlagsResult { kRun, kHelp, kError };

// What the binary serves, beyond Config: the demo endpoints, or with
// --echo every request answered with what the server parsed (server/echo.h).
struct BinaryOptions {
  bool echo = false;
  std::string root;  // --root DIR: serve the files beneath DIR
};

// parse_flags fills *config from argv (`--name VALUE` or `--name=VALUE`),
// and *binary from the flags that are not Config's (--echo, --root; without
// `binary` they are unknown). kError leaves a message in *error.
FlagsResult parse_flags(int argc, const char* const* argv, Config* config, std::string* error,
                        BinaryOptions* binary = nullptr);

// usage is the --help text.
std::string usage();

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_FLAGS_H_
