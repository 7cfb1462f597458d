package io.planperfect.http;

import java.util.regex.Pattern;

/**
 * How a route's path (Javalin's {@code /api/v1/jobs/{id}}) and a path of the OpenAPI document name the
 * same route: equal once their parameters' names are set aside, or, for a document path that templates
 * part of a segment ({@code /functions/v1/{queue}-{stage}-worker}, one route per stage), matched by it.
 */
final class OpenApiPaths {
  private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}");
  private static final Pattern PARTIAL_SEGMENT = Pattern.compile("(?:^|/)(?:[^/{]+\\{|[^/]*}[^/]+)");

  private OpenApiPaths() {}

  /** A Javalin path in OpenAPI's spelling: {@code <rest>} (a parameter that may hold slashes) as {@code {rest}}. */
  static String openApi(String javalinPath) {
    return javalinPath.replaceAll("<([^>/]+)>", "{$1}");
  }

  static boolean sameRoute(String documentPath, String routePath) {
    String route = openApi(routePath);
    if (shape(documentPath).equals(shape(route))) {
      return true;
    }
    return PARTIAL_SEGMENT.matcher(documentPath).find() && !route.contains("{") && pattern(documentPath).matcher(route).matches();
  }

  private static String shape(String path) {
    return PARAMETER.matcher(path).replaceAll("{}");
  }

  private static Pattern pattern(String documentPath) {
    StringBuilder regex = new StringBuilder();
    int last = 0;
    var parameters = PARAMETER.matcher(documentPath);
    while (parameters.find()) {
      regex.append(Pattern.quote(documentPath.substring(last, parameters.start()))).append("[^/]+");
      last = parameters.end();
    }
    return Pattern.compile(regex.append(Pattern.quote(documentPath.substring(last))).toString());
  }
}
