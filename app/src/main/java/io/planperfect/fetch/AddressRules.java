package io.planperfect.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a fetch may connect to: every address is refused by the first block below that
 * holds it, and an IPv6 address that carries an IPv4 one (mapped, compatible, 6to4, NAT64) is judged
 * by the IPv4 address it carries. The rule's name is what a refusal reports.
 */
final class AddressRules {
  private record Block(String rule, Cidr cidr) {}

  private static final List<Block> BLOCKS = List.of(
      block("unspecified", "0.0.0.0/8"),
      block("private", "10.0.0.0/8"),
      block("cgnat", "100.64.0.0/10"),
      block("loopback", "127.0.0.0/8"),
      block("link_local", "169.254.0.0/16"),
      block("private", "172.16.0.0/12"),
      block("reserved", "192.0.0.0/24"),
      block("documentation", "192.0.2.0/24"),
      block("private", "192.168.0.0/16"),
      block("benchmarking", "198.18.0.0/15"),
      block("documentation", "198.51.100.0/24"),
      block("documentation", "203.0.113.0/24"),
      block("multicast", "224.0.0.0/4"),
      block("broadcast", "255.255.255.255/32"),
      block("reserved", "240.0.0.0/4"),
      block("unspecified", "::/128"),
      block("loopback", "::1/128"),
      block("teredo", "2001::/32"),
      block("documentation", "2001:db8::/32"),
      block("private", "fc00::/7"),
      block("link_local", "fe80::/10"),
      block("site_local", "fec0::/10"),
      block("multicast", "ff00::/8"));

  private AddressRules() {}

  /** The rule that refuses this address, or empty when it may be reached. */
  static Optional<String> refusal(InetAddress address) {
    Optional<Inet4Address> carried = carriedIpv4(address);
    if (carried.isPresent()) {
      return refusal(carried.get()).map(rule -> "ipv6_embedded_" + rule);
    }
    for (Block block : BLOCKS) {
      if (block.cidr().contains(address)) {
        return Optional.of(block.rule());
      }
    }
    return Optional.empty();
  }

  /**
   * The IPv4 address inside an IPv6 one: IPv4-mapped {@code ::ffff:a.b.c.d} (Java usually hands these
   * over as IPv4 already), IPv4-compatible {@code ::a.b.c.d}, 6to4 {@code 2002:aabb:ccdd::} and NAT64
   * {@code 64:ff9b::a.b.c.d}.
   */
  static Optional<Inet4Address> carriedIpv4(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return Optional.empty();
    }
    byte[] b = address.getAddress();
    if (zeros(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return ipv4(b, 12);
    }
    if (zeros(b, 0, 12) && !(zeros(b, 12, 15) && (b[15] == 0 || b[15] == 1))) {
      return ipv4(b, 12);
    }
    if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
      return ipv4(b, 2);
    }
    if (b[0] == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && zeros(b, 4, 12)) {
      return ipv4(b, 12);
    }
    return Optional.empty();
  }

  private static boolean zeros(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static Optional<Inet4Address> ipv4(byte[] bytes, int offset) {
    try {
      byte[] v4 = {bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]};
      return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Block block(String rule, String cidr) {
    return new Block(rule, Cidr.parse(cidr));
  }
}
