#include "server/client/client.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <ctime>
#include <stdexcept>

#include "server/client/loop.h"
#include "server/client/pool.h"
#include "server/client/request_encoding.h"

namespace shockwave {
namespace {

std::int64_t monotonic_ms() noexcept {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

// Timeouts are checked at most this often (and on every poll that waits).
constexpr std::int64_t kSweepIntervalMs = 50;

}  // namespace

std::string_view to_string(ClientError error) noexcept {
  switch (error) {
    case ClientError::kNone:
      return "ok";
    case ClientError::kBusy:
      return "busy";
    case ClientError::kRequestTooLarge:
      return "request too large";
    case ClientError::kUnknownOrigin:
      return "unknown origin";
    case ClientError::kInvalidRequest:
      return "invalid request";
    case ClientError::kConnect:
      return "connect failed";
    case ClientError::kConnectTimeout:
      return "connect timeout";
    case ClientError::kResponseTimeout:
      return "response timeout";
    case ClientError::kClosed:
      return "connection closed";
    case ClientError::kInvalidResponse:
      return "invalid response";
    case ClientError::kResponseTooLarge:
      return "response too large";
    case ClientError::kUnexpectedData:
      return "unexpected data";
    case ClientError::kShutdown:
      return "client shut down";
  }
  return "unknown";
}

std::string_view ClientResponse::header(std::string_view name) const noexcept {
  for (const http1::Header& h : head.headers) {
    if (http1::equals_ignore_case(h.name, name)) return h.value;
  }
  return {};
}

Client::Client(const ClientConfig& config) : config_(config), loop_(std::make_unique<client_detail::Loop>()) {
  if (loop_->epoll_fd < 0) throw std::runtime_error("epoll_create1 failed");
  if (config_.max_connections == 0 || config_.pipeline_depth == 0 || config_.read_buffer_size == 0 ||
      config_.write_buffer_size == 0 || config_.max_fields == 0) {
    throw std::invalid_argument("ClientConfig: connections, pipeline depth, buffers and fields must be > 0");
  }
  now_ms_ = monotonic_ms();
}

Client::~Client() {
  for (auto& pool : pools_) pool->shut_down();
}

int Client::add_origin(const Origin& origin, std::string* error) {
  sockaddr_storage address{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (::inet_pton(AF_INET, origin.address.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(origin.port);
    len = sizeof(sockaddr_in);
  } else if (::inet_pton(AF_INET6, origin.address.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(origin.port);
    len = sizeof(sockaddr_in6);
  } else {
    if (error != nullptr) *error = "not an IP address literal: \"" + origin.address + "\"";
    return -1;
  }
  std::string host = origin.host;
  if (host.empty()) {
    host = address.ss_family == AF_INET6 ? "[" + origin.address + "]" : origin.address;
    host += ":" + std::to_string(origin.port);
  }
  if (!client_detail::valid_field_value(host)) {
    if (error != nullptr) *error = "the Host value holds a control character";
    return -1;
  }
  const int id = static_cast<int>(pools_.size());
  pools_.push_back(std::make_unique<client_detail::Pool>(*this, id, address, len, std::move(host)));
  return id;
}

ClientError Client::send(int origin, const ClientRequest& request, Completion completion) noexcept {
  if (origin < 0 || static_cast<std::size_t>(origin) >= pools_.size()) return ClientError::kUnknownOrigin;
  now_ms_ = monotonic_ms();
  return pools_[static_cast<std::size_t>(origin)]->send(request, completion);
}

std::size_t Client::poll(std::chrono::milliseconds timeout) noexcept {
  const std::size_t before = completed_;
  const int n = ::epoll_wait(loop_->epoll_fd, loop_->events.data(), static_cast<int>(loop_->events.size()),
                             static_cast<int>(timeout.count()));
  now_ms_ = monotonic_ms();
  for (int i = 0; i < n; ++i) {
    const std::uint64_t data = loop_->events[static_cast<std::size_t>(i)].data.u64;
    const std::size_t pool = static_cast<std::size_t>(data >> 32);
    if (pool < pools_.size()) {
      pools_[pool]->on_event(static_cast<std::size_t>(data & 0xffffffffu),
                             loop_->events[static_cast<std::size_t>(i)].events);
    }
  }
  if (n <= 0 || now_ms_ >= next_sweep_ms_) {
    next_sweep_ms_ = now_ms_ + kSweepIntervalMs;
    for (auto& pool : pools_) pool->sweep(now_ms_);
  }
  return completed_ - before;
}

std::size_t Client::open_connections() const noexcept {
  std::size_t n = 0;
  for (const auto& pool : pools_) n += pool->open_connections();
  return n;
}

}  // namespace shockwave
