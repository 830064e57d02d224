#ifndef SHOCKWAVE_SERVER_NET_CONNECTION_RIG_H_
#define SHOCKWAVE_SERVER_NET_CONNECTION_RIG_H_

// ConnectionRig: one Connection and what a worker hands it (its environment,
// its buffers, its wake-up cell), for the tests, fuzzers and benchmarks that
// drive the state machine by hand over an Io of their own.

#include <cstdint>
#include <memory>
#include <span>

#include "server/config.h"
#include "server/exchange.h"
#include "server/handler.h"
#include "server/net/connection.h"

namespace shockwave::net {

class ConnectionRig {
 public:
  ConnectionRig(Dispatch dispatch, const Io* io) noexcept;
  ConnectionRig(const ConnectionRig&) = delete;
  ConnectionRig& operator=(const ConnectionRig&) = delete;

  // open sizes the buffers from `config` and opens the connection on
  // descriptor 3 (the Io decides what it means); again, a fresh one on the
  // same environment. Each buffer is its own exact-size heap block, so that
  // ASan sees an access past one.
  void open();
  // deliver hands the connection its woken tickets, as the worker does after
  // the event that queued them; none after one has closed it.
  Connection::Status deliver() noexcept;
  std::span<char> input() const noexcept { return {in_.get(), in_size_}; }

  Config config;      // change it before open()
  ConnectionEnv env;  // a fixed Date line and clock; the caller moves time, stats, shutdown
  detail::Mailbox mailbox;
  detail::Cell cell;
  Connection connection;

 private:
  std::unique_ptr<char[]> in_, out_;
  std::unique_ptr<http1::Header[]> fields_;
  std::size_t in_size_ = 0;
};

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_CONNECTION_RIG_H_
