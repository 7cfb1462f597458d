package io.planperfect.http;

/** The routes of one audience, added to the server's one route table. */
public interface RouteGroup {
  void addTo(RouteTable table);
}
