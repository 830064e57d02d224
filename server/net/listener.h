#ifndef SHOCKWAVE_SERVER_NET_LISTENER_H_
#define SHOCKWAVE_SERVER_NET_LISTENER_H_

// Listening sockets: one per event loop, all bound to the same address and
// port with SO_REUSEPORT so the kernel spreads connections across loops.

#include <cstdint>
#include <string>

namespace shockwave::net {

// open_listener returns a non-blocking listening socket bound to
// address:port with SO_REUSEPORT, or -errno (and a message in *error).
// check_free first makes sure no one else holds the port: SO_REUSEPORT
// alone would share it with another server. The first of a server's
// listeners checks; the others join it.
int open_listener(const std::string& address, std::uint16_t port, bool check_free, std::string* error);

// bound_port returns the local port of a bound socket (for port 0).
std::uint16_t bound_port(int fd);

}  // namespace shockwave::net

#endif  // SHOCKWAVE_SERVER_NET_LISTENER_H_
