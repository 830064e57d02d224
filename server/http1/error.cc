#include "server/http1/error.h"

namespace shockwave::http1 {
namespace {

struct ErrorInfo {
  int status;
  std::string_view reason;
  std::string_view name;
};

constexpr ErrorInfo kErrors[] = {
#define SHOCKWAVE_HTTP1_ERROR_INFO(name, status, reason) {status, reason, std::string_view(#name).substr(1)},
    SHOCKWAVE_HTTP1_ERRORS(SHOCKWAVE_HTTP1_ERROR_INFO)
#undef SHOCKWAVE_HTTP1_ERROR_INFO
};

constexpr const ErrorInfo& info(Error e) noexcept {
  auto i = static_cast<unsigned>(e);
  return i < std::size(kErrors) ? kErrors[i] : kErrors[0];
}

}  // namespace

int error_status(Error e) noexcept { return info(e).status; }
std::string_view error_reason(Error e) noexcept { return info(e).reason; }
std::string_view error_name(Error e) noexcept { return info(e).name; }

}  // namespace shockwave::http1
