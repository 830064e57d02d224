#ifndef SHOCKWAVE_SERVER_ROUTER_H_
#define SHOCKWAVE_SERVER_ROUTER_H_

// Router: a RequestHandler (handler.h) that picks a route by method and
// path pattern (route_pattern.h), so Server<Router> works as is.
//
//   void user(const Request& request, const RouteParams& params, ResponseWriter& response) {
//     response.body(params.get("id"));
//   }
//   Router router;
//   router.get("/users/:id", user)
//       .get("/static/*", [](const Request&, const RouteParams& p, ResponseWriter& w) { w.body(p.wildcard()); })
//       .post("/users", users);        // an object with handle(request, params, response)
//   if (!router.error().empty()) ...   // a bad pattern or a conflicting route, at start-up
//
// A route's handler is a plain function (a lambda without captures) or an
// object with handle(const Request&, const RouteParams&, ResponseWriter&),
// and optionally the members handler.h describes, each with the params
// after the request: plan_body(q, p), on_body(q, p, slice),
// resume(q, p, value, w), abandon(q, p). The router forwards them to the
// route the request matches (matched again for each call: the request is
// the same, and matching allocates nothing),
// which the router calls through a function pointer (handler.h's Dispatch,
// one level down): no std::function, no virtual call. Registering
// allocates; handling a request allocates nothing. Register everything
// before Server::start: the table is read, never written, by the event
// loops.
//
// Per request, in this order:
//   - the path (Request::path(): no query; percent-encoding left as is) is
//     matched against the patterns, the most specific first (a literal
//     segment beats a parameter, a parameter beats "*"); none: 404. Only
//     the patterns whose first segment can match the path's are tried, so
//     the time grows with the routes sharing that segment, not the table.
//   - a route for the method (methods are case-sensitive, RFC 9110 §9.1),
//     else the path's any() route, is called.
//   - HEAD without a route of its own calls the GET route (RFC 9110 §9.3.2);
//     the ResponseWriter sends GET's header section and no content.
//   - OPTIONS without a route of its own: 200, Allow, no content (RFC 9110
//     §9.3.7).
//   - any other method: 405 with Allow (RFC 9110 §15.5.6).
// Allow lists the methods the path's routes serve, in the order they were
// registered, with HEAD after GET; OPTIONS, answered on every routed path,
// is not advertised. `OPTIONS *` never reaches a handler: the server answers
// it with Config::allow (server/net/connection.cc); called directly with
// "*", the router finds no route (404).

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "server/handler.h"
#include "server/route_pattern.h"

namespace shockwave {

using RouteFunction = void (*)(const Request& request, const RouteParams& params, ResponseWriter& response);

// RouteTarget: an object the router calls by reference (it must outlive
// the router's use).
template <typename T>
concept RouteTarget = requires(T& t, const Request& request, const RouteParams& params, ResponseWriter& response) {
  t.handle(request, params, response);
};
template <typename T>
concept RouteStreamsBodies = requires(T& t, const Request& request, const RouteParams& params, std::string_view s) {
  { t.plan_body(request, params) } -> std::same_as<BodyPlan>;
  { t.on_body(request, params, s) } -> std::convertible_to<std::size_t>;
};
template <typename T>
concept RouteResumes = requires(T& t, const Request& request, const RouteParams& params, std::uint64_t v,
                                ResponseWriter& response) {
  t.resume(request, params, v, response);
};
template <typename T>
concept RouteAbandons = requires(T& t, const Request& request, const RouteParams& params) {
  t.abandon(request, params);
};

class Router {
 public:
  // route adds a route; the first bad pattern, bad method or conflict is
  // kept in error() and that route is not added.
  // The method is a token (RFC 9110 §9.1), matched case-sensitively.
  Router& route(std::string_view method, std::string_view pattern, RouteFunction function) {
    return add(method, /*any=*/false, pattern, Target{nullptr, function, nullptr});
  }
  template <RouteTarget T>
  Router& route(std::string_view method, std::string_view pattern, T& target) {
    return add(method, /*any=*/false, pattern, target_of(target));
  }

  Router& get(std::string_view pattern, RouteFunction function) { return route("GET", pattern, function); }
  Router& post(std::string_view pattern, RouteFunction function) { return route("POST", pattern, function); }
  Router& put(std::string_view pattern, RouteFunction function) { return route("PUT", pattern, function); }
  template <RouteTarget T>
  Router& get(std::string_view pattern, T& target) {
    return route("GET", pattern, target);
  }
  template <RouteTarget T>
  Router& post(std::string_view pattern, T& target) {
    return route("POST", pattern, target);
  }
  template <RouteTarget T>
  Router& put(std::string_view pattern, T& target) {
    return route("PUT", pattern, target);
  }
  // any: every method the path has no route of its own for (OPTIONS and
  // HEAD included); its path answers no 405.
  Router& any(std::string_view pattern, RouteFunction function) {
    return add({}, /*any=*/true, pattern, Target{nullptr, function, nullptr});
  }
  template <RouteTarget T>
  Router& any(std::string_view pattern, T& target) {
    return add({}, /*any=*/true, pattern, target_of(target));
  }

  // error: why a route was refused (the first one), or "".
  const std::string& error() const noexcept { return error_; }

  // handle answers one request (RequestHandler); allocates nothing.
  void handle(const Request& request, ResponseWriter& response) const noexcept;
  // The optional members (handler.h), forwarded to the matched route's;
  // a route without them: the whole body, 500 on resume, nothing on abandon.
  BodyPlan plan_body(const Request& head) const noexcept;
  std::size_t on_body(const Request& head, std::string_view slice) const noexcept;
  void resume(const Request& request, std::uint64_t value, ResponseWriter& response) const noexcept;
  void abandon(const Request& request) const noexcept;

 private:
  // Target: a plain function, or an object and the function that calls it.
  struct Target {
    void* object = nullptr;
    RouteFunction function = nullptr;
    void (*call)(void* object, const Request&, const RouteParams&, ResponseWriter&) = nullptr;
    // The optional members of an object target; null when it has none.
    BodyPlan (*plan_body)(void* object, const Request&, const RouteParams&) = nullptr;
    std::size_t (*on_body)(void* object, const Request&, const RouteParams&, std::string_view) = nullptr;
    void (*resume)(void* object, const Request&, const RouteParams&, std::uint64_t, ResponseWriter&) = nullptr;
    void (*abandon)(void* object, const Request&, const RouteParams&) = nullptr;

    explicit operator bool() const { return object != nullptr || function != nullptr; }
    void operator()(const Request& q, const RouteParams& p, ResponseWriter& w) const {
      if (object != nullptr) return call(object, q, p, w);
      function(q, p, w);
    }
  };
  struct MethodRoute {
    std::string method;
    Target target;
  };
  // Resource: one pattern and everything registered on it.
  struct Resource {
    RoutePattern pattern;
    std::vector<MethodRoute> methods;  // registration order
    Target any;
    std::string allow;  // the Allow field's value for 405 and OPTIONS
  };

  template <RouteTarget T>
  static Target target_of(T& target) {
    Target t{&target, nullptr, [](void* o, const Request& q, const RouteParams& p, ResponseWriter& w) {
               static_cast<T*>(o)->handle(q, p, w);
             }};
    if constexpr (RouteStreamsBodies<T>) {
      t.plan_body = [](void* o, const Request& q, const RouteParams& p) { return static_cast<T*>(o)->plan_body(q, p); };
      t.on_body = [](void* o, const Request& q, const RouteParams& p, std::string_view s) -> std::size_t {
        return static_cast<T*>(o)->on_body(q, p, s);
      };
    }
    if constexpr (RouteResumes<T>) {
      t.resume = [](void* o, const Request& q, const RouteParams& p, std::uint64_t v, ResponseWriter& w) {
        static_cast<T*>(o)->resume(q, p, v, w);
      };
    }
    if constexpr (RouteAbandons<T>) {
      t.abandon = [](void* o, const Request& q, const RouteParams& p) { static_cast<T*>(o)->abandon(q, p); };
    }
    return t;
  }

  // add registers a route for `method`, or with `any` for every method.
  Router& add(std::string_view method, bool any, std::string_view pattern, const Target& target);
  const Resource* find(std::string_view path, RouteParams& params) const noexcept;
  // route: the target a request goes to (its path's, by method, HEAD by
  // GET), or null; *resource is its path's resource, or null (404).
  const Target* route(const Request& request, RouteParams& params, const Resource** resource) const noexcept;

  // index rebuilds by_first_, by_size_ and params_begin_ after resources_ changed.
  void index();
  static std::size_t size_slot(std::size_t size) noexcept { return size < kSizeSlots - 1 ? size : kSizeSlots - 1; }

  std::vector<Resource> resources_;  // most specific first (RoutePattern::more_specific)
  // The index find() uses: a path can match only the resources whose
  // pattern begins with its first segment as a literal, and those that
  // begin with a parameter or "*". The first sort before the second
  // (more_specific compares the kinds first), so trying one group, then
  // the other, keeps the order: the first match is still the most specific.
  // by_first_ has one entry per resource of the first group, ordered by
  // literal (shorter first, then by bytes), equal literals in resources_'
  // order. A candidate found there has its first segment compared already:
  // it is matched from the second (RoutePattern::match_after_first), so the
  // index costs a request hardly more than the old linear scan's first try.
  struct FirstLiteral {
    std::string literal;
    std::uint32_t resource;  // its index in resources_
  };
  std::vector<FirstLiteral> by_first_;
  // by_size_[n]: where by_first_'s literals of n bytes begin (n up to
  // kSizeSlots - 2; longer ones share the last slot): a lookup starts among
  // the literals of the path's first segment's length, usually a few, which
  // it scans; more than 8, it searches.
  static constexpr std::size_t kSizeSlots = 33;
  std::uint32_t by_size_[kSizeSlots + 1] = {};
  std::size_t params_begin_ = 0;  // resources_[params_begin_...]: a parameter or "*" first
  std::string error_;
};

}  // namespace shockwave

#endif  // SHOCKWAVE_SERVER_ROUTER_H_
