package io.planperfect.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.testing.LocalSite;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RELIABILITY.md S1, the SSRF corpus: more than 250 URLs (addresses of every internal class, their
 * odd spellings, IPv6 forms, metadata names, names resolving inside, multi-answer names, schemes,
 * user-info and backslash tricks, internal ports, and redirects with every status to each) are all
 * refused, and the listeners on 127.0.0.2 (refused) accept nothing. Only 127.0.0.1 is allowed.
 */
class SsrfCorpusTest {
  private static final List<String> ADDRESSES = List.of(
      "10.0.0.1", "10.255.255.254", "172.16.0.1", "172.31.255.254", "192.168.0.1", "192.168.255.254",
      "127.0.0.2", "127.255.255.254", "169.254.169.254", "169.254.170.2", "100.64.0.1", "100.127.255.254",
      "0.0.0.0", "0.1.2.3", "192.0.2.10", "198.51.100.10", "203.0.113.10", "224.0.0.1", "239.255.255.250",
      "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.170");
  private static final List<String> SPELLINGS = List.of(
      "2130706434", "127.2", "0177.0.0.2", "017700000002", "0x7f.2", "0x7f000002", "0x7f.0.0.2", "127.000.000.002",
      "127.0.0.2.", "0x7F.0x00.0x00.0x02", "10.0.258", "167772161", "0xa.0.0.1", "012.0.0.1", "2852039166",
      "0xa9fea9fe", "0251.0376.0251.0376", "169.254.43518", "3232235521", "0xc0a80001");
  private static final List<String> IPV6 = List.of(
      "[::1]", "[::]", "[fd00::1]", "[fc00::2]", "[fe80::1]", "[fe80::1%25eth0]", "[fec0::1]", "[ff02::1]",
      "[::ffff:127.0.0.2]", "[::ffff:7f00:2]", "[0:0:0:0:0:ffff:127.0.0.2]", "[::ffff:169.254.169.254]",
      "[::ffff:a9fe:a9fe]", "[::127.0.0.2]", "[::169.254.169.254]", "[2002:a9fe:a9fe::]", "[2002:7f00:2::1]",
      "[64:ff9b::a9fe:a9fe]", "[64:ff9b::127.0.0.2]", "[2001:0:4136:e378:8000:63bf:3fff:fdd2]", "[2001:db8::1]",
      "[fd00:ec2::254]");
  private static final List<String> TRICKS = List.of(
      "http://user:pass@127.0.0.1:%d/", "http://127.0.0.1:%d@127.0.0.2:%d/", "http://127.0.0.2\\@127.0.0.1:%d/",
      "http://127.0.0.2\\\\127.0.0.1:%d/", "http://%%31%%32%%37%%2e%%30%%2e%%30%%2e%%32:%d/", "http://127%%2e0%%2e0%%2e2:%d/",
      "http://127\u30020\u30020\u30022:%d/", "http://127\uff0e0\uff0e0\uff0e2:%d/", "http://127\uff610\uff610\uff612:%d/",
      "HTTP://127.0.0.2:%d/", "http://127.0.0.2:%d#@127.0.0.1/", "http://127.0.0.2:%d?@127.0.0.1/");
  private static final List<String> SCHEMES = List.of(
      "file:///etc/passwd", "gopher://127.0.0.1:6379/_INFO", "ftp://127.0.0.1/", "jar:http://127.0.0.1!/x",
      "data:text/html,<h1>x</h1>", "dict://127.0.0.1:11211/", "ldap://127.0.0.1/", "javascript:alert(1)");
  private static final List<Integer> PORTS = List.of(22, 25, 5432, 6379, 11211);
  private static final List<Integer> REDIRECT_CODES = List.of(301, 302, 303, 307, 308);

  private LocalSite site;
  private LocalSite inside;
  private TestResolver names;
  private GuardedFetcher fetcher;

  @BeforeEach
  void start() throws Exception {
    site = LocalSite.start();
    inside = LocalSite.startOn("127.0.0.2");
    names = new TestResolver()
        .name("localhost", "127.0.0.2").name("metadata.google.internal", "169.254.169.254")
        .name("metadata", "169.254.169.254").name("instance-data", "169.254.169.254")
        .name("metadata.azure.internal", "169.254.169.254").name("fd00-ec2.internal", "fd00:ec2::254")
        .name("private.test", "10.0.0.5").name("inside.test", "127.0.0.2").name("cgnat.test", "100.64.1.1")
        .name("v6.test", "fd12::1").name("linklocal6.test", "fe80::2").name("mapped.test", "::ffff:10.1.1.1")
        .name("multi.test", "127.0.0.1", "10.0.0.9").name("multi6.test", "127.0.0.1", "fd00::9")
        .name("multi-meta.test", "127.0.0.1", "169.254.169.254")
        .name("allowed.test", "127.0.0.1").name("also-allowed.test", "127.0.0.1");
    fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1/32")), names);
  }

  @AfterEach
  void stop() throws Exception {
    site.close();
    inside.close();
  }

  @Test
  void every_url_of_the_corpus_is_refused_and_no_refused_listener_sees_a_connection() {
    List<String> direct = directCorpus();
    List<String> redirected = new ArrayList<>();
    List<String> targets = new ArrayList<>(direct.subList(0, 40));
    targets.addAll(SCHEMES);
    int n = 0;
    for (String target : targets) {
      for (int code : REDIRECT_CODES) {
        String path = "/r" + n++;
        site.redirect(path, code, target);
        redirected.add(site.url(path));
      }
    }
    site.redirect("/chain0", 301, "/chain1");
    for (int hop = 1; hop < 5; hop++) {
      site.redirect("/chain" + hop, REDIRECT_CODES.get(hop), hop == 4 ? inside.url("/") : "/chain" + (hop + 1));
    }
    redirected.add(site.url("/chain0"));

    int refused = 0;
    for (String url : direct) {
      refused += refusedWithoutConnecting(url) ? 1 : 0;
    }
    assertThat(fetcher.connectAttempts()).as("connections begun for direct URLs").isZero();
    long redirectHops = 0;
    for (String url : redirected) {
      refused += refused(url) ? 1 : 0;
    }
    redirectHops = site.accepted();
    int total = direct.size() + redirected.size();
    System.out.printf("S1 SSRF corpus: %d URLs (%d direct, %d via redirects), %d refused, connects to refused"
        + " listeners: %d, connects begun for direct URLs: 0, connects to the allowed redirector: %d%n",
        total, direct.size(), redirected.size(), refused, inside.accepted(), redirectHops);
    assertThat(total).isGreaterThanOrEqualTo(250);
    assertThat(refused).isEqualTo(total);
    assertThat(inside.accepted()).isZero();
    assertThat(fetcher.connectAttempts()).isEqualTo(site.accepted());
  }

  @Test
  void the_allowed_control_set_is_fetched() {
    site.page("/", "<html>ok</html>");
    List<String> allowed = List.of("http://127.0.0.1:%d/", "http://allowed.test:%d/", "http://also-allowed.test:%d/",
        "http://ALLOWED.test:%d/", "http://allowed.test:%d/#frag");
    for (String template : allowed) {
      assertThat(fetcher.fetch(String.format(template, site.port()), FetchOptions.PAGE_IGNORING_ROBOTS).body())
          .contains("ok");
    }
  }

  private List<String> directCorpus() {
    int port = inside.port();
    List<String> urls = new ArrayList<>();
    for (String address : ADDRESSES) {
      urls.add("http://" + address + ":" + port + "/");
      urls.add("https://" + address + "/");
    }
    SPELLINGS.forEach(host -> urls.add("http://" + host + ":" + port + "/"));
    SPELLINGS.forEach(host -> urls.add("https://" + host + "/x"));
    IPV6.forEach(host -> urls.add("http://" + host + ":" + port + "/"));
    for (String name : List.of("localhost", "metadata.google.internal", "metadata", "instance-data",
        "metadata.azure.internal", "fd00-ec2.internal", "private.test", "inside.test", "cgnat.test", "v6.test",
        "linklocal6.test", "mapped.test", "multi.test", "multi6.test", "multi-meta.test")) {
      urls.add("http://" + name + ":" + port + "/");
      urls.add("https://" + name + "/latest/meta-data/");
    }
    TRICKS.forEach(trick -> urls.add(String.format(trick, port, port)));
    urls.addAll(SCHEMES);
    for (int p : PORTS) {
      for (String host : List.of("127.0.0.2", "10.0.0.1", "192.168.1.1", "[::1]", "localhost")) {
        urls.add("http://" + host + ":" + p + "/");
      }
    }
    return urls;
  }

  private boolean refusedWithoutConnecting(String url) {
    long before = fetcher.connectAttempts();
    boolean refused = refused(url);
    return refused && fetcher.connectAttempts() == before;
  }

  private boolean refused(String url) {
    try {
      fetcher.fetch(url, FetchOptions.PAGE_IGNORING_ROBOTS);
      System.out.println("NOT refused: " + url);
      return false;
    } catch (FetchRefused expected) {
      return true;
    } catch (RuntimeException other) {
      System.out.println("failed other than by refusal: " + url + " -> " + other);
      return false;
    }
  }
}
