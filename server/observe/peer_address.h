#ifndef SHOCKWAVE_SERVER_OBSERVE_PEER_ADDRESS_H_
#define SHOCKWAVE_SERVER_OBSERVE_PEER_ADDRESS_H_

// PeerAddress: a client's IP address as raw bytes, 17 of them, cheap to keep
// in every connection slot and to copy into every access record. It is
// taken once, when the connection is accepted (from accept4's or
// getpeername's sockaddr), and turned into text only when a line is logged:
//
//   sockaddr_storage ss;
//   socklen_t len = sizeof ss;
//   int fd = accept4(listener, reinterpret_cast<sockaddr*>(&ss), &len, flags);
//   PeerAddress peer = PeerAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&ss), len);
//   char text[kMaxPeerText];
//   std::size_t n = format_peer(peer, text);   // "192.0.2.1", "2001:db8::1", "-"
//
// The text is canonical: dotted decimal for IPv4, RFC 5952 for IPv6
// (lower-case hex, no leading zeros, the longest run of two or more zero
// groups as "::", the first such run on a tie) with an IPv4-mapped address
// as "::ffff:192.0.2.1" (RFC 5952 §5). A family that is neither (a Unix
// socket, no address) is "-", as the log formats write an unknown field.
// No allocation, no locale, no inet_ntop.

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

namespace shockwave::observe {

struct PeerAddress {
  enum class Family : std::uint8_t { kUnknown, kIpv4, kIpv6 };
  Family family = Family::kUnknown;
  std::uint8_t bytes[16] = {};  // network order; IPv4 uses the first 4

  static PeerAddress ipv4(const std::uint8_t (&address)[4]) noexcept;
  static PeerAddress ipv6(const std::uint8_t (&address)[16]) noexcept;
  // from_sockaddr: AF_INET and AF_INET6 (the port is not kept); anything
  // else, a null address or a length too short for its family is kUnknown.
  static PeerAddress from_sockaddr(const sockaddr* address, socklen_t length) noexcept;
};

// The longest text format_peer writes: eight groups of four hex digits.
inline constexpr std::size_t kMaxPeerText = 39;

// format_peer writes the address's text to `out` (room for kMaxPeerText
// bytes, not NUL-terminated) and returns its length.
std::size_t format_peer(const PeerAddress& peer, char* out) noexcept;

}  // namespace shockwave::observe

#endif  // SHOCKWAVE_SERVER_OBSERVE_PEER_ADDRESS_H_
