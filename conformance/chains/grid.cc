#include "conformance/chains/grid.h"

#include <mutex>
#include <thread>

namespace shockwave::conformance::chains {

void run_grid(std::vector<Proxy>& proxies, const std::vector<Origin>& origins, const ChainOptions& options,
              ChainReport* report, const std::function<void(const ChainCell&, std::size_t)>& progress) {
  report->cells.clear();
  for (const Proxy& p : proxies) {
    for (const Origin& o : origins) {
      report->cells.push_back(ChainCell{p.name, o.name, std::vector<ChainResult>(report->cases.size())});
    }
  }
  std::mutex progress_mu;
  for (std::size_t k = 0; k < origins.size(); ++k) {
    std::vector<std::thread> threads;
    for (std::size_t p = 0; p < proxies.size(); ++p) {
      threads.emplace_back([&, p, k] {
        Proxy& proxy = proxies[p];
        proxy.tap->set_origin(origins[k].address);
        ChainCell& cell = report->cells[p * origins.size() + k];
        for (std::size_t i = 0; i < report->cases.size(); ++i) {
          const Case& c = report->cases[i];
          ChainObservation o = observe_chain(proxy.address, *proxy.tap, c, options);
          cell.results[i] = result_of(o, judge_chain(c, o));
          if (progress) {
            std::lock_guard<std::mutex> lock(progress_mu);
            progress(cell, i);
          }
        }
      });
    }
    for (std::thread& t : threads) t.join();
  }
}

}  // namespace shockwave::conformance::chains
