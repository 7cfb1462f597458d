package io.planperfect.dispatch;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Triggers a stage's remote worker endpoint (seed 001: 202 when it took a message, 204 when none). */
public final class WorkerEndpointClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String serviceKey;

  public WorkerEndpointClient(String serviceKey) {
    this.serviceKey = serviceKey;
  }

  /** POSTs to the endpoint with the service key and returns the HTTP status. */
  int trigger(String endpoint) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + serviceKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"source\":\"dispatcher\"}"))
        .build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
