#include "conformance/chains/grid.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

namespace shockwave::conformance::chains {

void run_grid(std::vector<Proxy>& proxies, const std::vector<Origin>& origins, const ChainOptions& options,
              ChainReport* report, const std::function<void(const ChainCell&, std::size_t)>& progress) {
  // The instances of each proxy name, names in order of first appearance.
  std::vector<std::vector<Proxy*>> instances;
  for (Proxy& p : proxies) {
    auto same = std::find_if(instances.begin(), instances.end(),
                             [&](const std::vector<Proxy*>& group) { return group[0]->name == p.name; });
    if (same == instances.end()) {
      instances.push_back({&p});
    } else {
      same->push_back(&p);
    }
  }
  report->cells.clear();
  for (const std::vector<Proxy*>& group : instances) {
    for (const Origin& o : origins) {
      report->cells.push_back(ChainCell{group[0]->name, o.name, std::vector<ChainResult>(report->cases.size())});
    }
  }
  std::mutex progress_mu;
  // One thread per instance in use; each runs its origins in turn.
  std::vector<std::thread> threads;
  for (std::size_t g = 0; g < instances.size(); ++g) {
    const std::size_t used = std::min(instances[g].size(), origins.size());
    for (std::size_t w = 0; w < used; ++w) {
      threads.emplace_back([&, g, w, used] {
        Proxy& proxy = *instances[g][w];
        for (std::size_t k = w; k < origins.size(); k += used) {
          proxy.tap->set_origin(origins[k].address);
          ChainCell& cell = report->cells[g * origins.size() + k];
          for (std::size_t i = 0; i < report->cases.size(); ++i) {
            const Case& c = report->cases[i];
            const auto start = std::chrono::steady_clock::now();
            ChainObservation o = observe_chain(proxy.address, *proxy.tap, c, options);
            cell.results[i] = result_of(o, judge_chain(c, o));
            cell.results[i].elapsed =
                std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
            if (progress) {
              std::lock_guard<std::mutex> lock(progress_mu);
              progress(cell, i);
            }
          }
        }
      });
    }
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace shockwave::conformance::chains
