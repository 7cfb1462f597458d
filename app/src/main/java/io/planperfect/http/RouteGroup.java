package io.planperfect.http;

import io.javalin.config.RoutesConfig;

/** A set of related routes that registers itself on the server's one route table. */
public interface RouteGroup {
  void register(RoutesConfig routes);
}
