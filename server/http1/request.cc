#include "server/http1/request.h"

#include "server/http1/char_class.h"

namespace shockwave::http1 {

bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (chars::to_lower(a[i]) != chars::to_lower(b[i])) return false;
  }
  return true;
}

}  // namespace shockwave::http1
