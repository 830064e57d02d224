// The adapter registries: every parser the conformance tools can name.

#include "conformance/adapter.h"

#include "conformance/adapters/beast_adapter.h"
#include "conformance/adapters/exec_adapter.h"
#include "conformance/adapters/llhttp_adapter.h"
#include "conformance/adapters/picohttpparser_adapter.h"
#include "conformance/adapters/shockwave_adapter.h"

namespace shockwave::conformance {
namespace {

// Shockwave's profiles: strict, and each leniency of options.h alone.
struct ShockwaveProfile {
  std::string_view name;
  http1::ParserOptions (*options)();
};
constexpr ShockwaveProfile kShockwaveProfiles[] = {
    {"shockwave", [] { return http1::ParserOptions{}; }},
    {"shockwave-lenient-bare_lf",
     [] {
       http1::ParserOptions o;
       o.leniency.bare_lf = true;
       return o;
     }},
    {"shockwave-lenient-obs_fold",
     [] {
       http1::ParserOptions o;
       o.leniency.obs_fold = true;
       return o;
     }},
};

}  // namespace

std::unique_ptr<ParserAdapter> make_adapter(std::string_view name) {
  for (const ShockwaveProfile& p : kShockwaveProfiles) {
    if (p.name == name) return make_shockwave_adapter(p.name, p.options());
  }
  if (name == "picohttpparser") return make_picohttpparser_adapter();
  // "exec:CMD": an external program (exec_adapter.h); not listed by
  // adapter_names, since CMD is anything.
  if (name.starts_with("exec:") && name.size() > 5) return make_exec_adapter(std::string(name.substr(5)));
  return make_llhttp_adapter(name);
}

std::vector<std::string_view> adapter_names() {
  std::vector<std::string_view> names;
  for (const ShockwaveProfile& p : kShockwaveProfiles) names.push_back(p.name);
  for (std::string_view n : llhttp_profile_names()) names.push_back(n);
  names.push_back("picohttpparser");
  return names;
}

// Responses: the strict profile of ours, and each peer once.
std::unique_ptr<ResponseAdapter> make_response_adapter(std::string_view name) {
  if (name == "shockwave") return make_shockwave_response_adapter(name);
  if (name == "llhttp") return make_llhttp_response_adapter();
  if (name == "picohttpparser") return make_picohttpparser_response_adapter();
  if (name == "beast") return make_beast_response_adapter();
  if (name.starts_with("exec:") && name.size() > 5) return make_exec_adapter(std::string(name.substr(5)));
  return nullptr;
}

std::vector<std::string_view> response_adapter_names() { return {"shockwave", "llhttp", "picohttpparser", "beast"}; }

}  // namespace shockwave::conformance
