package io.planperfect.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every route of the API in one list: the route groups add to it, {@link ApiServer} registers it
 * on Javalin, and the API's documentation can be generated or checked from {@link #routes()}.
 * A route outside its audience's paths, or a second route with the same method and path, is
 * refused when it is added.
 */
public final class RouteTable {
  private final List<Route> routes = new ArrayList<>();

  public static RouteTable of(List<RouteGroup> groups) {
    RouteTable table = new RouteTable();
    groups.forEach(group -> group.addTo(table));
    return table;
  }

  /** The routes in the order they were added. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  public void add(Route route) {
    if (!route.audience().owns(route.path())) {
      throw new IllegalArgumentException(route.key() + " is not under the paths of " + route.audience()
          + " " + route.audience().prefixes());
    }
    if (routes.stream().anyMatch(r -> r.key().equals(route.key()))) {
      throw new IllegalArgumentException(route.key() + " is added twice");
    }
    routes.add(route);
  }

  /** A writer of one audience's routes: {@code api.get(path, access, summary, handler)}. */
  public Section section(Audience audience) {
    return new Section(audience);
  }

  void registerOn(RoutesConfig config) {
    for (Route route : routes) {
      config.addHttpHandler(route.method(), route.path(), route.handler(), route.access().toArray(Access[]::new));
    }
  }

  /** Adds routes of one audience. */
  public final class Section {
    private final Audience audience;

    private Section(Audience audience) {
      this.audience = audience;
    }

    public Section get(String path, Set<Access> access, String summary, Handler handler) {
      return route(HandlerType.GET, path, access, summary, handler);
    }

    public Section post(String path, Set<Access> access, String summary, Handler handler) {
      return route(HandlerType.POST, path, access, summary, handler);
    }

    public Section put(String path, Set<Access> access, String summary, Handler handler) {
      return route(HandlerType.PUT, path, access, summary, handler);
    }

    public Section patch(String path, Set<Access> access, String summary, Handler handler) {
      return route(HandlerType.PATCH, path, access, summary, handler);
    }

    public Section delete(String path, Set<Access> access, String summary, Handler handler) {
      return route(HandlerType.DELETE, path, access, summary, handler);
    }

    private Section route(HandlerType method, String path, Set<Access> access, String summary, Handler handler) {
      add(new Route(method, path, access, audience, summary, handler));
      return this;
    }
  }
}
