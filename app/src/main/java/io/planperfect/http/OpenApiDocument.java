package io.planperfect.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.planperfect.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API's OpenAPI 3.1 document: {@code openapi/planperfect.yaml}, written by hand with every route's
 * request and answers, and completed from the route table with what the table already says, so the two
 * cannot disagree on it: each served operation's summary and keys ({@code security}), and the answers
 * every route shares (401 and 429 for a keyed route, 403 for a service-key route, 500 and 503 for all).
 * Whether the document and the table hold the same routes is OpenApiDocumentTest's to check.
 */
public final class OpenApiDocument {
  static final String RESOURCE = "/openapi/planperfect.yaml";
  static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  private OpenApiDocument() {}

  /** The document as written. */
  public static ObjectNode written() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the API document " + RESOURCE + " is not on the classpath");
      }
      return (ObjectNode) Json.MAPPER.valueToTree(new YAMLMapper().readTree(in));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the API document " + RESOURCE, e);
    }
  }

  /** The document as served: as written, completed from these routes. */
  public static ObjectNode forRoutes(List<Route> routes) {
    ObjectNode document = written();
    document.withObjectProperty("paths").properties().forEach(path -> {
      ObjectNode item = (ObjectNode) path.getValue();
      item.properties().forEach(operation -> {
        if (METHODS.contains(operation.getKey())) {
          complete((ObjectNode) operation.getValue(), route(routes, operation.getKey(), path.getKey()));
        }
      });
    });
    return document;
  }

  private static Optional<Route> route(List<Route> routes, String method, String path) {
    return routes.stream()
        .filter(r -> r.method().name().toLowerCase(Locale.ROOT).equals(method) && OpenApiPaths.sameRoute(path, r.path()))
        .findFirst();
  }

  private static void complete(ObjectNode operation, Optional<Route> route) {
    route.ifPresent(r -> {
      if (!operation.has("summary")) {
        operation.put("summary", r.summary());
      }
      if (!operation.has("security")) {
        operation.set("security", security(r.access()));
      }
    });
    ObjectNode responses = operation.withObjectProperty("responses");
    Set<Access> access = route.map(Route::access).orElse(Route.PUBLIC);
    if (!access.isEmpty()) {
      shared(responses, "401", "Unauthorized");
      if (!access.contains(Access.ANON)) {
        shared(responses, "403", "Forbidden");
      }
      shared(responses, "429", "TooManyRequests");
    }
    shared(responses, "500", "InternalError");
    shared(responses, "503", "Unavailable");
  }

  private static ArrayNode security(Set<Access> access) {
    ArrayNode anyOf = Json.MAPPER.createArrayNode();
    if (access.contains(Access.ANON)) {
      anyOf.addObject().putArray("anonKey");
    }
    if (access.contains(Access.SERVICE)) {
      anyOf.addObject().putArray("serviceKey");
    }
    return anyOf;
  }

  private static void shared(ObjectNode responses, String status, String component) {
    if (!responses.has(status)) {
      responses.putObject(status).put("$ref", "#/components/responses/" + component);
    }
  }
}
