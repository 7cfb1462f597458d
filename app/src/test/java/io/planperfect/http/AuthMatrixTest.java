package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Probe;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * S3: every route of the route table and every page of the dashboard (both walked from the server)
 * under every credential, against what the route's row (its Access) or the dashboard's gate allows.
 */
class AuthMatrixTest {
  private static final Sessions SESSIONS = new Sessions(new ApiKeys(TestNode.SERVICE_KEY, TestNode.ANON_KEY), Clock.systemUTC());
  /** The anon session's pages, as SessionGate documents them: jobs (cancelling one), the generate form, batches. */
  private static final String ANON_PAGES = "/(jobs(/progress|/[0-9a-f-]{36}(/cancel)?)?|generate(/csv|/batch)?"
      + "|batches(/[0-9a-f-]{36}(/counts|/cancel)?)?|logout)";
  private static PlanPerfectNode node;
  private static Probe probe;

  @BeforeAll
  static void start() {
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
    probe = new Probe(node.port());
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  /** Credentials that never open an API route: each must get 401. */
  private static Map<String, Map<String, String>> invalidCredentials(String pathWithQuery) {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    all.put("no key", Map.of());
    all.put("anon key one character off", RoutePaths.bearer(offByOne(TestNode.ANON_KEY)));
    all.put("service key one character off", RoutePaths.bearer(offByOne(TestNode.SERVICE_KEY)));
    all.put("service key truncated", RoutePaths.bearer(TestNode.SERVICE_KEY.substring(0, TestNode.SERVICE_KEY.length() - 1)));
    all.put("service key in X-API-Key", Map.of("X-API-Key", TestNode.SERVICE_KEY));
    all.put("service key in apikey", Map.of("apikey", TestNode.SERVICE_KEY));
    all.put("service key without Bearer", Map.of("Authorization", TestNode.SERVICE_KEY));
    all.put("service key as Basic", Map.of("Authorization", "Basic " + TestNode.SERVICE_KEY));
    return all;
  }

  @Test
  void every_api_route_answers_each_credential_as_its_access_says() {
    List<String> deviations = new ArrayList<>();
    int cells = 0;
    for (Route route : node.routes()) {
      String path = RoutePaths.probed(route);
      String method = route.method().name();
      boolean open = route.access().isEmpty();
      for (var credential : invalidCredentials(path).entrySet()) {
        cells += check(deviations, route.key(), credential.getKey(), call(method, path, credential.getValue()),
            open ? null : Integer.valueOf(401));
      }
      for (String param : List.of("apikey", "key", "access_token", "token")) {
        String query = (path.contains("?") ? "&" : "?") + param + "=" + URLEncoder.encode(TestNode.SERVICE_KEY, StandardCharsets.UTF_8);
        cells += check(deviations, route.key(), "key in ?" + param, call(method, path + query, Map.of()),
            open ? null : Integer.valueOf(401));
      }
      cells += check(deviations, route.key(), "anon key", call(method, path, RoutePaths.bearer(TestNode.ANON_KEY)),
          open || route.access().contains(Access.ANON) ? null : Integer.valueOf(403));
      cells += check(deviations, route.key(), "service key", call(method, path, RoutePaths.bearer(TestNode.SERVICE_KEY)), null);
      boolean takesSession = method.equals("GET") && route.path().endsWith("/stream");
      cells += check(deviations, route.key(), "anon session cookie", call(method, path, session(TestNode.ANON_KEY)),
          open ? null : !takesSession ? Integer.valueOf(401) : route.access().contains(Access.ANON) ? null : Integer.valueOf(403));
      cells += check(deviations, route.key(), "service session cookie", call(method, path, session(TestNode.SERVICE_KEY)),
          open || takesSession ? null : Integer.valueOf(401));
    }
    System.out.printf("S3 api cells=%d deviations=%d%n", cells, deviations.size());
    assertThat(deviations).isEmpty();
  }

  @Test
  void every_dashboard_page_needs_a_session_and_the_anon_session_sees_only_its_pages() {
    List<String> apiRoutes = node.routes().stream().map(Route::key).toList();
    List<String> pages = node.served().stream().filter(key -> !apiRoutes.contains(key)).toList();
    assertThat(pages).contains("GET /", "GET /jobs", "GET /dead-letters", "POST /stages/{queue}/{stage}");
    List<String> deviations = new ArrayList<>();
    int cells = 0;
    for (String page : pages) {
      String method = page.substring(0, page.indexOf(' '));
      String path = RoutePaths.plausible(page.substring(page.indexOf(' ') + 1));
      boolean open = path.startsWith("/login");
      boolean anonPage = path.matches(ANON_PAGES);
      if (open) {
        continue;
      }
      for (var credential : Map.of("no session", Map.<String, String>of(), "service key, no session",
          RoutePaths.bearer(TestNode.SERVICE_KEY), "forged session", Map.of("Cookie", Sessions.COOKIE + "=SERVICE.9999999999.x.y")).entrySet()) {
        Probe.Answer answer = call(method, path, credential.getValue());
        boolean refused = answer.status() == 401 || answer.status() == 302 && answer.header("Location").orElse("").equals("/login");
        cells++;
        if (!refused) {
          deviations.add(page + " with " + credential.getKey() + ": " + answer);
        }
      }
      cells += check(deviations, page, "anon session", call(method, path, sessionWithCsrf(TestNode.ANON_KEY)),
          anonPage ? null : Integer.valueOf(403));
      cells += check(deviations, page, "service session", call(method, path, sessionWithCsrf(TestNode.SERVICE_KEY)), null);
      if (!method.equals("GET")) {
        Probe.Answer noCsrf = call(method, path, session(TestNode.SERVICE_KEY));
        cells++;
        if (noCsrf.status() != 403) {
          deviations.add(page + " without its CSRF token: " + noCsrf);
        }
      }
    }
    System.out.printf("S3 dashboard cells=%d deviations=%d%n", cells, deviations.size());
    assertThat(deviations).isEmpty();
  }

  /** Records a deviation: {@code expected} is the refusal status, or null for "let through" (neither 401 nor 403). */
  private static int check(List<String> deviations, String route, String credential, Probe.Answer answer, Integer expected) {
    boolean refused = answer.status() == 401 || answer.status() == 403;
    boolean ok = expected == null ? !refused : answer.status() == expected;
    if (!ok) {
      deviations.add(route + " with " + credential + ": expected " + (expected == null ? "through" : expected) + ", got " + answer);
    }
    return 1;
  }

  private static Probe.Answer call(String method, String path, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    boolean body = RoutePaths.BODY_METHODS.contains(method);
    if (body) {
      all.put("Content-Type", "application/json");
    }
    return probe.send(method, path, all, body ? "{}" : null);
  }

  private static Map<String, String> session(String key) {
    return Map.of("Cookie", Sessions.COOKIE + "=" + SESSIONS.login(key).orElseThrow());
  }

  private static Map<String, String> sessionWithCsrf(String key) {
    String cookie = SESSIONS.login(key).orElseThrow();
    return Map.of("Cookie", Sessions.COOKIE + "=" + cookie, "X-CSRF-Token", SESSIONS.verify(cookie).orElseThrow().csrfToken());
  }

  private static String offByOne(String key) {
    char last = key.charAt(key.length() - 1);
    return key.substring(0, key.length() - 1) + (char) (last == 'z' ? 'y' : last + 1);
  }
}
