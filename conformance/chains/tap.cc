#include "conformance/chains/tap.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace shockwave::conformance::chains {

using Clock = std::chrono::steady_clock;

// Pair: one proxy connection and its origin connection. Each side's
// `pending` holds what was read from the other side and not written yet.
struct Tap::Pair {
  Connection record;
  int proxy = -1;
  int origin = -1;
  std::string to_origin_pending, to_proxy_pending;
  bool proxy_eof = false, origin_eof = false;  // that side will send nothing more

  ~Pair() {
    if (proxy >= 0) ::close(proxy);
    if (origin >= 0) ::close(origin);
  }
};

namespace {

void set_nonblocking(int fd) { ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL, 0) | O_NONBLOCK); }

// pump moves what `from` has into `pending` (and the record), then writes
// `pending` to `to`. Returns whether any octet moved; sets *eof when
// `from` ended.
bool pump(int from, int to, std::string* pending, std::string* record, bool* eof) {
  bool moved = false;
  if (!*eof) {
    char buf[65536];
    ssize_t r = ::recv(from, buf, sizeof buf, MSG_DONTWAIT);
    if (r > 0) {
      pending->append(buf, static_cast<std::size_t>(r));
      record->append(buf, static_cast<std::size_t>(r));
      moved = true;
    } else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      *eof = true;
      moved = true;
    }
  }
  if (!pending->empty()) {
    ssize_t w = ::send(to, pending->data(), pending->size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (w > 0) {
      pending->erase(0, static_cast<std::size_t>(w));
      moved = true;
    } else if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      pending->clear();  // the other side is gone; nothing more reaches it
    }
  }
  if (*eof && pending->empty()) ::shutdown(to, SHUT_WR);  // pass the end on
  return moved;
}

}  // namespace

std::unique_ptr<Tap> Tap::listen(std::uint16_t port, std::string* error) {
  std::unique_ptr<Tap> tap(new Tap());
  tap->listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (tap->listener_ < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    return nullptr;
  }
  int one = 1;
  ::setsockopt(tap->listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(tap->listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(tap->listener_, 64) != 0) {
    *error = "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(errno);
    return nullptr;
  }
  socklen_t len = sizeof a;
  ::getsockname(tap->listener_, reinterpret_cast<sockaddr*>(&a), &len);
  tap->port_ = ntohs(a.sin_port);
  set_nonblocking(tap->listener_);
  tap->activity_ = Clock::now();
  tap->thread_ = std::thread([t = tap.get()] { t->run(); });
  return tap;
}

Tap::~Tap() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  if (listener_ >= 0) ::close(listener_);
}

void Tap::set_origin(const live::Server& origin) {
  std::lock_guard<std::mutex> lock(mu_);
  origin_ = std::make_unique<live::Server>(origin);
}

// accept_one takes one connection from the proxy and connects it to the
// origin (on loopback, so connecting here does not hold the relay up long).
void Tap::accept_one() {
  int fd = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  if (fd < 0) return;
  auto pair = std::make_unique<Pair>();
  pair->proxy = fd;
  std::lock_guard<std::mutex> lock(mu_);
  if (!origin_) {
    pair->record.origin_error = "no origin set";
  } else {
    pair->origin = origin_->connect(std::chrono::milliseconds(2000), &pair->record.origin_error);
    if (pair->origin >= 0) set_nonblocking(pair->origin);
  }
  if (pair->origin < 0) {  // the proxy sees the connection close, as if the origin were down
    ::close(pair->proxy);
    pair->proxy = -1;
    pair->record.proxy_closed = pair->record.origin_closed = true;
  }
  pairs_.push_back(std::move(pair));
  activity_ = Clock::now();
}

void Tap::run() {
  while (!stop_) {
    std::vector<pollfd> fds{{listener_, POLLIN, 0}};
    std::uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(mu_);
      generation = generation_;
      for (const auto& p : pairs_) {
        fds.push_back({p->proxy, static_cast<short>(p->proxy < 0 ? 0 : POLLIN), 0});
        fds.push_back({p->origin, static_cast<short>(p->origin < 0 ? 0 : POLLIN), 0});
        if (!p->to_origin_pending.empty()) fds.back().events |= POLLOUT;
        if (!p->to_proxy_pending.empty()) fds[fds.size() - 2].events |= POLLOUT;
      }
    }
    if (::poll(fds.data(), fds.size(), 20) < 0 && errno != EINTR) return;
    if (fds[0].revents & POLLIN) accept_one();

    std::lock_guard<std::mutex> lock(mu_);
    if (generation != generation_) continue;  // take() closed what was polled
    bool moved = false;
    for (std::size_t i = 0; i < pairs_.size() && 2 + 2 * i < fds.size(); ++i) {
      Pair& p = *pairs_[i];
      if (p.proxy < 0 || p.origin < 0) continue;
      if (!fds[1 + 2 * i].revents && !fds[2 + 2 * i].revents) continue;
      moved |= pump(p.proxy, p.origin, &p.to_origin_pending, &p.record.to_origin, &p.proxy_eof);
      if (p.proxy_eof && p.record.from_origin_by_proxy_end == std::string::npos) {
        p.record.from_origin_by_proxy_end = p.record.from_origin.size();
      }
      moved |= pump(p.origin, p.proxy, &p.to_proxy_pending, &p.record.from_origin, &p.origin_eof);
      p.record.proxy_closed = p.proxy_eof;
      p.record.origin_closed = p.origin_eof;
      if (p.proxy_eof && p.origin_eof && p.to_origin_pending.empty() && p.to_proxy_pending.empty()) {
        ::close(p.proxy);
        ::close(p.origin);
        p.proxy = p.origin = -1;
      }
    }
    if (moved) activity_ = Clock::now();
  }
}

void Tap::mark() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& p : pairs_) p->record.from_origin_by_mark = p->record.from_origin.size();
}

std::vector<Tap::Connection> Tap::take(std::chrono::milliseconds quiet, std::chrono::milliseconds limit) {
  const Clock::time_point give_up = Clock::now() + limit;
  while (true) {
    Clock::time_point now = Clock::now(), quiet_since;
    {
      std::lock_guard<std::mutex> lock(mu_);
      quiet_since = activity_;
    }
    if (now - quiet_since >= quiet || now >= give_up) break;
    std::this_thread::sleep_for(std::min<Clock::duration>(quiet - (now - quiet_since), give_up - now));
  }
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Connection> out;
  for (auto& p : pairs_) out.push_back(std::move(p->record));
  pairs_.clear();  // closes both sides of each
  ++generation_;
  return out;
}

}  // namespace shockwave::conformance::chains
