package io.planperfect.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressRulesTest {

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1, loopback", "127.255.0.9, loopback", "10.1.2.3, private", "172.16.0.1, private",
      "172.31.255.255, private", "192.168.0.1, private", "169.254.169.254, link_local", "100.64.0.1, cgnat",
      "100.127.255.254, cgnat", "224.0.0.1, multicast", "239.255.255.250, multicast", "0.0.0.0, unspecified",
      "0.1.2.3, unspecified", "255.255.255.255, broadcast", "240.0.0.1, reserved", "192.0.2.1, documentation",
      "198.51.100.7, documentation", "203.0.113.9, documentation", "198.18.0.1, benchmarking",
      "::1, loopback", "::, unspecified", "fd00::1, private", "fc00::1, private", "fe80::1, link_local",
      "fec0::1, site_local", "ff02::1, multicast", "2001:db8::1, documentation", "2001:0:4136:e378::1, teredo",
      "::ffff:127.0.0.1, loopback", "::ffff:a9fe:a9fe, link_local", "::127.0.0.1, ipv6_embedded_loopback",
      "::10.0.0.1, ipv6_embedded_private", "2002:a9fe:a9fe::, ipv6_embedded_link_local",
      "2002:7f00:1::5, ipv6_embedded_loopback", "64:ff9b::a9fe:a9fe, ipv6_embedded_link_local",
      "64:ff9b::10.0.0.1, ipv6_embedded_private"})
  void every_internal_class_is_refused_by_its_rule(String address, String rule) throws Exception {
    assertThat(AddressRules.refusal(InetAddress.getByName(address))).contains(rule);
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "2606:4700::1111",
      "2002:5db8:d822::1", "64:ff9b::808:808"})
  void public_addresses_pass(String address) throws Exception {
    assertThat(AddressRules.refusal(InetAddress.getByName(address))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"2130706433", "017700000001", "0x7f000001", "0177.0.0.1", "0x7f.1", "0x7f.0.0.1", "127.1",
      "10.0.258", "127.000.000.001", "127.0.0.1.", "0x7F.0x0.0x0.0x1", "00127.0.0.1"})
  void odd_ipv4_spellings_are_recognised(String host) {
    assertThat(HostSpelling.isOddIpv4(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "8.8.8.8", "example.com", "1.example", "0x.example.com", "a1b2.c3"})
  void ordinary_hosts_are_not_odd_spellings(String host) {
    assertThat(HostSpelling.isOddIpv4(host)).isFalse();
  }

  @Test
  void the_allow_list_takes_blocks_addresses_and_host_names() throws Exception {
    AllowList allow = AllowList.parse("10.1.0.0/16, 127.0.0.1 intranet.Example, fd00::/8");
    assertThat(allow.allowsAddress(InetAddress.getByName("10.1.200.3"))).isTrue();
    assertThat(allow.allowsAddress(InetAddress.getByName("10.2.0.1"))).isFalse();
    assertThat(allow.allowsAddress(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(allow.allowsAddress(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(allow.allowsAddress(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(allow.allowsHost("INTRANET.example")).isTrue();
  }

  @Test
  void a_malformed_allow_entry_is_refused_naming_the_variable() {
    assertThatThrownBy(() -> FetchPolicy.from(new io.planperfect.config.EnvReader(
        java.util.Map.of("PLANPERFECT_FETCH_ALLOW", "10.0.0.0/99"))))
        .hasMessageContaining("PLANPERFECT_FETCH_ALLOW");
    assertThatThrownBy(() -> AllowList.parse("0x7f.1")).hasMessageContaining("0x7f.1");
  }

  @Test
  void robots_txt_picks_our_group_longest_match_and_allow_on_a_tie() {
    RobotsTxt robots = RobotsTxt.parse("""
        User-agent: *
        Disallow: /

        User-agent: PlanPerfectBot
        Disallow: /private
        Allow: /private/open
        Disallow: /*.pdf$
        """, FetchPolicy.ROBOTS_TOKEN);
    assertThat(robots.allows("/")).isTrue();
    assertThat(robots.allows("/private/x")).isFalse();
    assertThat(robots.allows("/private/open/page")).isTrue();
    assertThat(robots.allows("/files/a.pdf")).isFalse();
    assertThat(robots.allows("/files/a.pdf?x=1")).isTrue();
    assertThat(RobotsTxt.parse("User-agent: *\nDisallow: /admin\n", FetchPolicy.ROBOTS_TOKEN).allows("/admin/x")).isFalse();
  }
}
