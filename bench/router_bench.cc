// router_bench: the time Router takes to choose a route (Router::plan_body
// routes a request without writing a response), on tables the size of a
// small, a medium and a large API, for a path that matches a literal route,
// one that matches a parameter route, and one that matches none (404).
//
//   ./bazelw run -c opt //bench:router_bench -- --benchmark_repetitions=5
//
// The tables: "/rN", "/rN/items/:id", "/rN/items/:id/parts/*" for N in
// 0..routes/3, then "/:tenant/status"; every route is a GET.

#include <benchmark/benchmark.h>

#include <string>

#include "server/handler.h"
#include "server/http1/request.h"
#include "server/router.h"

namespace shockwave::bench {
namespace {

struct Chosen {
  int calls = 0;
  void handle(const Request&, const RouteParams&, ResponseWriter&) {}
  BodyPlan plan_body(const Request&, const RouteParams&) {
    ++calls;
    return BodyPlan::whole();
  }
  std::size_t on_body(const Request&, const RouteParams&, std::string_view s) { return s.size(); }
};

void BM_Route(benchmark::State& state, const char* which) {
  const int groups = static_cast<int>(state.range(0)) / 3;
  Chosen chosen;
  Router router;
  for (int i = 0; i < groups; ++i) {
    const std::string base = "/r" + std::to_string(i);
    for (const std::string& p : {base, base + "/items/:id", base + "/items/:id/parts/*"}) router.get(p, chosen);
  }
  router.get("/:tenant/status", chosen);
  if (!router.error().empty()) return state.SkipWithError(router.error().c_str());

  const std::string last = "/r" + std::to_string(groups - 1);
  const std::string path = std::string(which) == "literal" ? last
                           : std::string(which) == "param" ? last + "/items/42"
                                                           : "/nowhere/at/all";
  http1::RequestHead head;
  head.method = "GET";
  head.target = path;
  const Request request{head, {}, {}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(router.plan_body(request));
  }
  const int expected_calls = std::string(which) == "miss" ? 0 : static_cast<int>(state.iterations());
  if (chosen.calls != expected_calls) state.SkipWithError("the route chosen is not the one expected");
}

BENCHMARK_CAPTURE(BM_Route, literal, "literal")->Arg(9)->Arg(60)->Arg(300);
BENCHMARK_CAPTURE(BM_Route, param, "param")->Arg(9)->Arg(60)->Arg(300);
BENCHMARK_CAPTURE(BM_Route, miss, "miss")->Arg(9)->Arg(60)->Arg(300);

}  // namespace
}  // namespace shockwave::bench
