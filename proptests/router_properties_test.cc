// The router picks, for any path, the most specific of the patterns that
// match it (router.h), and finds none when none does: checked against the
// definition itself (every pattern tried with RoutePattern::match, the
// winner chosen with RoutePattern::more_specific), for generated route
// tables and paths over a small alphabet, so that literals, parameters,
// wildcards, empty segments and the root meet often. The router itself
// tries only the patterns its first-segment index leaves (router.cc).

#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "server/handler.h"
#include "server/http1/request.h"
#include "server/route_pattern.h"
#include "server/router.h"

namespace shockwave::proptests {
namespace {

// Route: a target that says it was chosen, and with which parameters,
// when the router asks it how to take a body (no writer needed).
struct Route {
  int id = 0;
  int* chosen = nullptr;
  RouteParams* params = nullptr;
  void handle(const Request&, const RouteParams&, ResponseWriter&) {}
  BodyPlan plan_body(const Request&, const RouteParams& p) {
    *chosen = id;
    *params = p;
    return BodyPlan::whole();
  }
  std::size_t on_body(const Request&, const RouteParams&, std::string_view s) { return s.size(); }
};

// pick_pattern and pick_path draw inside the property (rc::gen's `*`).
std::string pick_pattern() {
  static const char* const kSegments[] = {"a", "b", "ab", "", "*"};
  const int segments = *rc::gen::inRange(1, 5);
  std::string pattern;
  for (int i = 0; i < segments; ++i) {
    const int kind = *rc::gen::inRange(0, 7);
    // 5 and 6: a parameter, named by its position so that names never repeat.
    pattern += '/';
    pattern += kind < 5 ? std::string(kSegments[kind]) : ":p" + std::to_string(i);
  }
  return pattern;
}

std::string pick_path() {
  static const char* const kSegments[] = {"a", "b", "ab", "", "c"};
  const int segments = *rc::gen::inRange(1, 5);
  std::string path;
  for (int i = 0; i < segments; ++i) path += "/" + std::string(kSegments[*rc::gen::inRange(0, 5)]);
  return path;
}

RC_GTEST_PROP(RouterProperties, ChoosesTheMostSpecificMatchingPattern, ()) {
  std::vector<std::string> texts(static_cast<std::size_t>(*rc::gen::inRange(1, 40)));
  for (std::string& text : texts) text = pick_pattern();
  std::vector<std::string> paths(static_cast<std::size_t>(*rc::gen::inRange(1, 16)));
  for (std::string& path : paths) path = pick_path();

  // The table: each valid pattern of a new shape (the router refuses the others).
  std::vector<RoutePattern> patterns;
  for (const std::string& text : texts) {
    std::optional<RoutePattern> p = RoutePattern::compile(text, nullptr);
    if (!p) continue;
    bool taken = false;
    for (const RoutePattern& q : patterns) taken = taken || q.same_shape(*p);
    if (!taken) patterns.push_back(std::move(*p));
  }
  int chosen = -1;
  RouteParams got;
  std::deque<Route> routes;  // stable addresses: the router holds them
  Router router;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    routes.push_back(Route{static_cast<int>(i), &chosen, &got});
    router.get(patterns[i].text(), routes.back());
  }
  RC_ASSERT(router.error().empty());

  for (const std::string& path : paths) {
    // The definition: of the patterns that match, the one no other is more specific than.
    int expected = -1;
    RouteParams want, scratch;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      if (!patterns[i].match(path, scratch)) continue;
      if (expected < 0 || RoutePattern::more_specific(patterns[i], patterns[static_cast<std::size_t>(expected)])) {
        expected = static_cast<int>(i);
        want = scratch;
      }
    }
    http1::RequestHead head;
    head.method = "GET";
    head.target = path;
    chosen = -1;
    router.plan_body(Request{head, {}, {}});
    RC_ASSERT(chosen == expected);
    if (expected < 0) continue;
    RC_ASSERT(got.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      RC_ASSERT(got.name(i) == want.name(i));
      RC_ASSERT(got.value(i) == want.value(i));
    }
  }
}

}  // namespace
}  // namespace shockwave::proptests
