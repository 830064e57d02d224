#include "server/router.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "server/http1/char_class.h"

namespace shockwave {
namespace {

void plain_text(ResponseWriter& response, int status, std::string_view text) {
  response.status(status);
  response.header("Content-Type", "text/plain");
  response.body(text);
}

}  // namespace

Router& Router::add(std::string_view method, bool any, std::string_view pattern, const Target& target) {
  std::string why;
  auto refuse = [&](std::string reason) -> Router& {
    if (error_.empty()) error_ = std::move(reason);
    return *this;
  };
  if (!any && !http1::chars::is_token(method)) {
    return refuse("route " + std::string(pattern) + ": method \"" + std::string(method) +
                  "\" is not a token (RFC 9110 §9.1)");
  }
  const std::string label = (any ? std::string("any") : std::string(method)) + " " + std::string(pattern);
  if (!target) return refuse("route " + label + ": no handler");
  std::optional<RoutePattern> compiled = RoutePattern::compile(pattern, &why);
  if (!compiled) return refuse(why);

  auto same = std::find_if(resources_.begin(), resources_.end(),
                           [&](const Resource& r) { return r.pattern.same_shape(*compiled); });
  if (same == resources_.end()) {
    // Kept sorted, so the first match of a request is the most specific.
    auto at = std::upper_bound(
        resources_.begin(), resources_.end(), *compiled,
        [](const RoutePattern& p, const Resource& r) { return RoutePattern::more_specific(p, r.pattern); });
    same = resources_.insert(at, Resource{std::move(*compiled), {}, {}, {}});
    index();  // the resources moved: their indexes with them
  } else if (same->pattern.text() != pattern) {
    // One resource, one set of parameter names: "/u/:id" and "/u/:name"
    // would give a handler names its pattern does not have.
    return refuse("route " + label + ": the same paths as \"" + same->pattern.text() + "\"");
  }

  Resource& resource = *same;
  if (any) {
    if (resource.any) return refuse("route " + label + ": registered twice");
    resource.any = target;
    return *this;
  }
  for (const MethodRoute& m : resource.methods) {
    if (m.method == method) return refuse("route " + label + ": registered twice");
  }
  resource.methods.push_back({std::string(method), target});

  // Allow (RFC 9110 §10.2.1): the routes' methods, with the HEAD that a GET
  // route answers too.
  const bool own_head = std::any_of(resource.methods.begin(), resource.methods.end(),
                                    [](const MethodRoute& m) { return m.method == "HEAD"; });
  resource.allow.clear();
  for (const MethodRoute& m : resource.methods) {
    if (!resource.allow.empty()) resource.allow += ", ";
    resource.allow += m.method;
    if (m.method == "GET" && !own_head) resource.allow += ", HEAD";
  }
  return *this;
}

namespace {

// shorter_first orders first literals for the index (router.h).
bool shorter_first(std::string_view a, std::string_view b) noexcept {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

void Router::index() {
  by_first_.clear();
  params_begin_ = resources_.size();
  for (std::size_t i = 0; i < resources_.size(); ++i) {
    const std::optional<std::string_view> literal = resources_[i].pattern.first_literal();
    if (!literal) {
      params_begin_ = std::min(params_begin_, i);
      continue;
    }
    // After its equals: they keep resources_' order.
    auto at = std::upper_bound(by_first_.begin(), by_first_.end(), *literal,
                               [](std::string_view l, const FirstLiteral& f) { return shorter_first(l, f.literal); });
    by_first_.insert(at, {std::string(*literal), static_cast<std::uint32_t>(i)});
  }
  std::size_t e = 0;
  for (std::size_t slot = 0; slot <= kSizeSlots; ++slot) {
    while (e < by_first_.size() && size_slot(by_first_[e].literal.size()) < slot) ++e;
    by_size_[slot] = static_cast<std::uint32_t>(e);
  }
}

const Router::Resource* Router::find(std::string_view path, RouteParams& params) const noexcept {
  // Anything but an origin-form path ("*" of OPTIONS *) matches nothing.
  if (path.empty() || path.front() != '/') return nullptr;
  const std::size_t first_end = std::min(path.find('/', 1), path.size());
  const std::string_view first = path.substr(1, first_end - 1);
  // The literals of the path's first segment's length; few, usually.
  const std::size_t slot = size_slot(first.size());
  auto at = by_first_.begin() + by_size_[slot];
  const auto end = by_first_.begin() + by_size_[slot + 1];
  if (end - at > 8) {
    at = std::lower_bound(at, end, first,
                          [](const FirstLiteral& f, std::string_view l) { return shorter_first(f.literal, l); });
  } else {
    while (at != end && at->literal != first) ++at;
  }
  for (; at != end && at->literal == first; ++at) {
    const Resource& r = resources_[at->resource];
    if (r.pattern.match_after_first(path, first_end, params)) return &r;
  }
  for (std::size_t i = params_begin_; i < resources_.size(); ++i) {
    if (resources_[i].pattern.match(path, params)) return &resources_[i];
  }
  return nullptr;
}

const Router::Target* Router::route(const Request& request, RouteParams& params,
                                    const Resource** resource) const noexcept {
  *resource = find(request.path(), params);
  if (*resource == nullptr) return nullptr;
  const std::string_view method = request.method();
  const Target* get = nullptr;
  for (const MethodRoute& m : (*resource)->methods) {
    if (m.method == method) return &m.target;
    if (m.method == "GET") get = &m.target;
  }
  if ((*resource)->any) return &(*resource)->any;
  // RFC 9110 §9.3.2: HEAD is GET without the content, which the writer
  // leaves out (ResponseContext::head_request).
  if (method == "HEAD" && get != nullptr) return get;
  return nullptr;
}

void Router::handle(const Request& request, ResponseWriter& response) const noexcept {
  RouteParams params;
  const Resource* resource = nullptr;
  if (const Target* target = route(request, params, &resource)) return (*target)(request, params, response);
  if (resource == nullptr) return plain_text(response, 404, "not found\n");
  if (request.method() == "OPTIONS") {
    // RFC 9110 §9.3.7: what the resource allows; no content, so the writer's
    // Content-Length: 0 is the one the section asks for.
    response.header("Allow", resource->allow);
    return;
  }
  // RFC 9110 §15.5.6: "The origin server MUST generate an Allow header field
  // in a 405 response".
  response.status(405);
  response.header("Allow", resource->allow);
  response.header("Content-Type", "text/plain");
  response.body("method not allowed\n");
}

BodyPlan Router::plan_body(const Request& head) const noexcept {
  RouteParams params;
  const Resource* resource = nullptr;
  const Target* target = route(head, params, &resource);
  if (target == nullptr || target->plan_body == nullptr) return BodyPlan::whole();
  return target->plan_body(target->object, head, params);
}

std::size_t Router::on_body(const Request& head, std::string_view slice) const noexcept {
  RouteParams params;
  const Resource* resource = nullptr;
  const Target* target = route(head, params, &resource);
  // Only a route whose plan_body streamed gets here.
  if (target == nullptr || target->on_body == nullptr) return slice.size();
  return target->on_body(target->object, head, params, slice);
}

void Router::resume(const Request& request, std::uint64_t value, ResponseWriter& response) const noexcept {
  RouteParams params;
  const Resource* resource = nullptr;
  const Target* target = route(request, params, &resource);
  if (target == nullptr || target->resume == nullptr) return plain_text(response, 500, "deferred without resume\n");
  target->resume(target->object, request, params, value, response);
}

void Router::abandon(const Request& request) const noexcept {
  RouteParams params;
  const Resource* resource = nullptr;
  const Target* target = route(request, params, &resource);
  if (target != nullptr && target->abandon != nullptr) target->abandon(target->object, request, params);
}

}  // namespace shockwave
