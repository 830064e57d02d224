#include "server/observe/peer_address.h"

#include <netinet/in.h>

#include <cstring>

namespace shockwave::observe {
namespace {

std::size_t write_decimal_byte(std::uint8_t value, char* out) noexcept {
  std::size_t n = 0;
  if (value >= 100) out[n++] = static_cast<char>('0' + value / 100);
  if (value >= 10) out[n++] = static_cast<char>('0' + value / 10 % 10);
  out[n++] = static_cast<char>('0' + value % 10);
  return n;
}

std::size_t write_ipv4(const std::uint8_t* bytes, char* out) noexcept {
  std::size_t n = 0;
  for (int i = 0; i < 4; ++i) {
    if (i > 0) out[n++] = '.';
    n += write_decimal_byte(bytes[i], out + n);
  }
  return n;
}

// RFC 5952 §4.1: hex digits without leading zeros.
std::size_t write_group(unsigned group, char* out) noexcept {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t n = 0;
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned digit = (group >> shift) & 0xF;
    if (digit == 0 && !started && shift > 0) continue;
    started = true;
    out[n++] = kHex[digit];
  }
  return n;
}

std::size_t write_ipv6(const std::uint8_t* bytes, char* out) noexcept {
  unsigned groups[8];
  for (int i = 0; i < 8; ++i) groups[i] = static_cast<unsigned>(bytes[2 * i] << 8 | bytes[2 * i + 1]);

  // RFC 5952 §5: ::ffff:0:0/96, the IPv4-mapped addresses, end in dotted
  // decimal.
  const bool mapped =
      groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0 && groups[5] == 0xFFFF;
  if (mapped) {
    std::memcpy(out, "::ffff:", 7);
    return 7 + write_ipv4(bytes + 12, out + 7);
  }

  // RFC 5952 §4.2: "::" replaces the longest run of zero groups, the first
  // on a tie, and never a single one.
  int best_start = -1, best_length = 1;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_length) best_start = i, best_length = j - i;
    i = j;
  }

  std::size_t n = 0;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out[n++] = ':';
      out[n++] = ':';
      i += best_length - 1;
      continue;
    }
    // A group right after "::" needs no separator of its own.
    if (i > 0 && i != best_start + best_length) out[n++] = ':';
    n += write_group(groups[i], out + n);
  }
  return n;
}

}  // namespace

PeerAddress PeerAddress::ipv4(const std::uint8_t (&address)[4]) noexcept {
  PeerAddress peer;
  peer.family = Family::kIpv4;
  std::memcpy(peer.bytes, address, 4);
  return peer;
}

PeerAddress PeerAddress::ipv6(const std::uint8_t (&address)[16]) noexcept {
  PeerAddress peer;
  peer.family = Family::kIpv6;
  std::memcpy(peer.bytes, address, 16);
  return peer;
}

PeerAddress PeerAddress::from_sockaddr(const sockaddr* address, socklen_t length) noexcept {
  PeerAddress peer;
  if (address == nullptr || length < static_cast<socklen_t>(sizeof(sa_family_t))) return peer;
  // memcpy, not a cast: the caller's storage need not be aligned for the
  // family's struct.
  if (address->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) {
    sockaddr_in in;
    std::memcpy(&in, address, sizeof in);
    peer.family = Family::kIpv4;
    std::memcpy(peer.bytes, &in.sin_addr, 4);
  } else if (address->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6))) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof in6);
    peer.family = Family::kIpv6;
    std::memcpy(peer.bytes, &in6.sin6_addr, 16);
  }
  return peer;
}

std::size_t format_peer(const PeerAddress& peer, char* out) noexcept {
  switch (peer.family) {
    case PeerAddress::Family::kIpv4:
      return write_ipv4(peer.bytes, out);
    case PeerAddress::Family::kIpv6:
      return write_ipv6(peer.bytes, out);
    case PeerAddress::Family::kUnknown:
      break;
  }
  out[0] = '-';
  return 1;
}

}  // namespace shockwave::observe
