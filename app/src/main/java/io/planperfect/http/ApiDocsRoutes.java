package io.planperfect.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The API's documentation, without a key: {@code GET /api/v1/openapi.json} ({@link OpenApiDocument},
 * completed from this server's route table once, at its first request) and {@code GET /api/docs}, a
 * page that shows it with Swagger UI from its webjar (no call leaves the server: the online validator is off).
 */
public final class ApiDocsRoutes implements RouteGroup {
  static final String DOCUMENT = "/api/v1/openapi.json";
  static final String PAGE = "/api/docs";
  /** The webjar's files as the server serves them; the version is the pom's. */
  static final String SWAGGER_UI = "/webjars/swagger-ui/5.35.0";

  private static final String START = """
      window.ui = SwaggerUIBundle({url: '%s', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null,
        presets: [SwaggerUIBundle.presets.apis], layout: 'BaseLayout'});""".formatted(DOCUMENT);
  // why: the page's one inline script is allowed by its hash, nothing else inline runs
  private static final String CSP = "default-src 'self'; script-src 'self' 'sha256-" + sha256(START) + "'; "
      + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";
  private static final String HTML = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>PlanPerfect API</title>
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <link rel="stylesheet" href="%1$s/swagger-ui.css"></head>
      <body><div id="swagger-ui"></div>
      <script src="%1$s/swagger-ui-bundle.js"></script>
      <script>%2$s</script>
      </body></html>
      """.formatted(SWAGGER_UI, START);

  private volatile String json;
  private RouteTable table;

  @Override
  public void addTo(RouteTable table) {
    this.table = table;
    table.section(Audience.API_V1).get(DOCUMENT, Route.PUBLIC, "This API's OpenAPI 3.1 document", this::document);
    table.section(Audience.DOCS).get(PAGE, Route.PUBLIC, "The API's documentation page (Swagger UI)", this::page);
  }

  private void document(Context ctx) {
    if (json == null) {
      json = io.planperfect.json.Json.write(OpenApiDocument.forRoutes(table.routes()));
    }
    ctx.contentType("application/json").result(json);
  }

  private void page(Context ctx) {
    ctx.header("Content-Security-Policy", CSP).header("X-Frame-Options", "DENY").header("X-Content-Type-Options", "nosniff")
        .contentType("text/html; charset=utf-8").result(HTML);
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
