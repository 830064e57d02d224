#ifndef SHOCKWAVE_TESTING_PORTS_H_
#define SHOCKWAVE_TESTING_PORTS_H_

// Ports for tests that need a connection to fail.

#include <cstdint>

namespace shockwave::testing {

// closed_port: a loopback port nothing listens on, found by binding one and
// closing it (another process may take it again, but not for the instant a
// test needs; 0 if no socket could be bound).
std::uint16_t closed_port();

}  // namespace shockwave::testing

#endif  // SHOCKWAVE_TESTING_PORTS_H_
