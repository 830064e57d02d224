#ifndef SHOCKWAVE_CONFORMANCE_CHAINS_TAP_H_
#define SHOCKWAVE_CONFORMANCE_CHAINS_TAP_H_

// Tap: the wire between a proxy and an origin, recorded.
//
// A proxy under test is configured to forward to 127.0.0.1:PORT, where the
// tap listens. Each connection the proxy opens is relayed, octet for octet
// and in both directions, to the origin the tap currently points at, and
// both byte streams are kept. So the judge sees exactly what the proxy
// forwarded (the raw bytes the origin received) and everything the origin
// answered, including answers the proxy never passed on: the evidence of a
// desync, whatever origin is behind it (it only has to speak the echo
// contract for its parse to be readable).
//
// One background thread relays; take() hands over what was recorded since
// the last take() and closes those connections, so that nothing one case
// left open (a proxy's idle keep-alive connection) carries into the next.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "conformance/live/live.h"

namespace shockwave::conformance::chains {

class Tap {
 public:
  // One connection the proxy opened, as far as it went.
  struct Connection {
    std::string to_origin;    // what the proxy sent (the origin received all of it)
    std::string from_origin;  // what the origin answered (the proxy received all of it)
    bool origin_closed = false;
    bool proxy_closed = false;
    std::string origin_error;  // could not connect to the origin ("" if it could)
    // How much of from_origin had arrived when mark() was called: what the
    // origin answered while the client was still listening. Octets after it
    // came too late for the proxy to relay them (npos: no mark).
    std::size_t from_origin_by_mark = std::string::npos;
    // How much of from_origin had arrived when the proxy ended its side of
    // the connection: later octets answer that end (npos: it did not end).
    std::size_t from_origin_by_proxy_end = std::string::npos;
  };

  // listen binds 127.0.0.1:port (0: the kernel picks) and starts relaying;
  // nullptr with *error set when it cannot.
  static std::unique_ptr<Tap> listen(std::uint16_t port, std::string* error);
  ~Tap();
  Tap(const Tap&) = delete;
  Tap& operator=(const Tap&) = delete;

  std::uint16_t port() const { return port_; }

  // set_origin: where connections accepted from now on are relayed.
  void set_origin(const live::Server& origin);

  // mark notes, on every connection so far, how much the origin has
  // answered: call it when the client stops listening.
  void mark();

  // take waits until no octet has moved for `quiet` (at most `limit`), then
  // returns every connection accepted since the last take, in accept order,
  // and closes them.
  std::vector<Connection> take(std::chrono::milliseconds quiet, std::chrono::milliseconds limit);

 private:
  struct Pair;
  Tap() = default;
  void run();
  void accept_one();

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::mutex mu_;
  std::vector<std::unique_ptr<Pair>> pairs_;        // guarded by mu_
  std::unique_ptr<live::Server> origin_;            // guarded by mu_
  std::uint64_t generation_ = 0;                    // guarded by mu_; take() bumps it
  std::chrono::steady_clock::time_point activity_;  // guarded by mu_: last octet moved
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace shockwave::conformance::chains

#endif  // SHOCKWAVE_CONFORMANCE_CHAINS_TAP_H_
