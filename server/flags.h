#ifndef SHOCKWAVE_SERVER_FLAGS_H_
#define SHOCKWAVE_SERVER_FLAGS_H_

// Command-line flags of the shockwave binary: one per Config field.

#include <string>

#include "server/config.h"

namespace shockwave {

enum class FlagsResult { kRun, kHelp, kError };

// parse_flags fills *config from argv (`--name VALUE` or `--name=VALUE`).
// kError leaves a message in *error.
FlagsResult parse_flags(int argc, const char* const* argv, Config* config, std::string* error);

// usage is the --help text.
std::string usage();

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_FLAGS_H_
