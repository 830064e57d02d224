// PeerAddress: taken from a sockaddr, written as canonical text (RFC 5952
// for IPv6), checked by hand on the cases RFC 5952 names and against
// glibc's inet_ntop on generated addresses.

#include "server/observe/peer_address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>

namespace shockwave::observe {
namespace {

std::string text(const PeerAddress& peer) {
  char out[kMaxPeerText];
  return std::string(out, format_peer(peer, out));
}

PeerAddress v6(const char* literal) {
  std::uint8_t bytes[16];
  EXPECT_EQ(inet_pton(AF_INET6, literal, bytes), 1) << literal;
  return PeerAddress::ipv6(bytes);
}

TEST(PeerAddressTest, Ipv4IsDottedDecimal) {
  EXPECT_EQ(text(PeerAddress::ipv4({192, 0, 2, 1})), "192.0.2.1");
  EXPECT_EQ(text(PeerAddress::ipv4({0, 0, 0, 0})), "0.0.0.0");
  EXPECT_EQ(text(PeerAddress::ipv4({255, 255, 255, 255})), "255.255.255.255");
  EXPECT_EQ(text(PeerAddress::ipv4({10, 100, 9, 99})), "10.100.9.99");
}

TEST(PeerAddressTest, UnknownIsADash) { EXPECT_EQ(text(PeerAddress{}), "-"); }

// RFC 5952 §4: the canonical text of each rule's example.
TEST(PeerAddressTest, Ipv6IsCanonical) {
  EXPECT_EQ(text(v6("2001:0db8:0000:0000:0000:0000:0000:0001")), "2001:db8::1");  // §4.1, §4.2.1
  EXPECT_EQ(text(v6("2001:db8:0:1:1:1:1:1")), "2001:db8:0:1:1:1:1:1");            // §4.2.2: one zero group stays
  EXPECT_EQ(text(v6("2001:0:0:1:0:0:0:1")), "2001:0:0:1::1");                     // §4.2.3: the longest run
  EXPECT_EQ(text(v6("2001:db8:0:0:1:0:0:1")), "2001:db8::1:0:0:1");               // §4.2.3: the first on a tie
  EXPECT_EQ(text(v6("2001:DB8::AbCd")), "2001:db8::abcd");                        // §4.3: lower case
  EXPECT_EQ(text(v6("::")), "::");
  EXPECT_EQ(text(v6("::1")), "::1");
  EXPECT_EQ(text(v6("1::")), "1::");
  EXPECT_EQ(text(v6("fe80:0:0:0:1::")), "fe80::1:0:0:0");       // a tie at the end: the first
  EXPECT_EQ(text(v6("::ffff:192.0.2.1")), "::ffff:192.0.2.1");  // §5
}

TEST(PeerAddressTest, LongestTextFitsKMaxPeerText) {
  const std::string s = text(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  EXPECT_EQ(s, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(s.size(), kMaxPeerText);
}

// Differential: glibc's inet_ntop follows RFC 5952 too, except that it
// writes the deprecated IPv4-compatible form (::192.0.2.1) for addresses
// whose first 96 bits are zero; those are left out.
TEST(PeerAddressTest, AgreesWithInetNtop) {
  std::mt19937 random(5952);
  for (int i = 0; i < 200000; ++i) {
    std::uint8_t bytes[16];
    for (int g = 0; g < 8; ++g) {
      // Mostly zero groups, so that runs of every length and position occur.
      const unsigned value = random() % 3 == 0 ? static_cast<unsigned>(random() & 0xFFFF) : 0u;
      const unsigned group = random() % 16 == 0 ? (value & 0xF) : value;
      bytes[2 * g] = static_cast<std::uint8_t>(group >> 8);
      bytes[2 * g + 1] = static_cast<std::uint8_t>(group);
    }
    if (i % 50 == 0) std::memcpy(bytes, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
    bool compatible = true;
    for (int b = 0; b < 12; ++b) compatible = compatible && bytes[b] == 0;
    if (compatible) continue;
    char expected[INET6_ADDRSTRLEN];
    ASSERT_NE(inet_ntop(AF_INET6, bytes, expected, sizeof expected), nullptr);
    ASSERT_EQ(text(PeerAddress::ipv6(bytes)), expected);
  }
}

TEST(PeerAddressTest, FromSockaddr) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(8080);
  ASSERT_EQ(inet_pton(AF_INET, "203.0.113.7", &in.sin_addr), 1);
  EXPECT_EQ(text(PeerAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&in), sizeof in)), "203.0.113.7");

  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  ASSERT_EQ(inet_pton(AF_INET6, "2001:db8::42", &in6.sin6_addr), 1);
  EXPECT_EQ(text(PeerAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof in6)), "2001:db8::42");

  // Too short for its family, another family, none at all: unknown.
  EXPECT_EQ(PeerAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&in6), sizeof in).family,
            PeerAddress::Family::kUnknown);
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  EXPECT_EQ(PeerAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&un), sizeof un).family,
            PeerAddress::Family::kUnknown);
  EXPECT_EQ(PeerAddress::from_sockaddr(nullptr, 0).family, PeerAddress::Family::kUnknown);
}

}  // namespace
}  // namespace shockwave::observe
