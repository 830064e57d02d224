#ifndef SHOCKWAVE_CONFORMANCE_CHAINS_GRID_H_
#define SHOCKWAVE_CONFORMANCE_CHAINS_GRID_H_

// run_grid: every case through every proxy in front of every origin.
//
// Each proxy forwards to a tap of its own (tap.h), so the proxies run side
// by side, one thread each, cases one at a time per proxy (the tap tells one
// case's upstream connections from the next only by time). A proxy given
// once serves the origins in turn: its tap relays to the first origin for
// every case, then to the next. A proxy given several times (instances of
// the same name, as run_chains.sh starts one per origin) serves them side
// by side, origin k on instance k modulo the number of instances.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "conformance/case.h"
#include "conformance/chains/chain.h"
#include "conformance/chains/chain_report.h"
#include "conformance/chains/tap.h"
#include "conformance/live/live.h"

namespace shockwave::conformance::chains {

struct Proxy {
  std::string name;
  live::Server address;      // where the client sends
  std::unique_ptr<Tap> tap;  // where the proxy forwards
};

struct Origin {
  std::string name;
  live::Server address;
};

// run_grid fills report->cells (proxy-major, by the order names first appear:
// every origin behind the first proxy, then the next proxy) for report->cases. `progress`, if set, is
// called after each case with the cell and the case's index.
void run_grid(std::vector<Proxy>& proxies, const std::vector<Origin>& origins, const ChainOptions& options,
              ChainReport* report, const std::function<void(const ChainCell&, std::size_t)>& progress = nullptr);

}  // namespace shockwave::conformance::chains

#endif  // SHOCKWAVE_CONFORMANCE_CHAINS_GRID_H_
