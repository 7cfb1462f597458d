package io.planperfect.bench;

import java.time.Duration;

/**
 * A closed-loop load on {@value #ROUTE}: {@code connections} connections, each sending its next
 * intake when its last one is answered, for a fixed time.
 */
interface IntakeLoad {
  String ROUTE = "/functions/v1/content-intake";

  /** One run: accepted requests (201; wrk: any answer under 400), failed ones (other answers, socket errors), latencies in ms. */
  record Run(int connections, double seconds, long accepted, long failed, double p50Millis, double p99Millis,
             double maxMillis) {
    double requestsPerSecond() {
      return accepted / seconds;
    }
  }

  Run run(int connections, Duration length);

  /** What generates the load, for the report. */
  String describe();

  /** An intake body like a client's: seed 001's envelope around a small article payload. */
  static String body(int n) {
    return """
        {"job_type":"%s","requester_email":"load@example.com","payload":{"title":"Load test article %d",\
        "keywords":["load","intake","benchmark"],"domain":"example.com","word_count":1200}}"""
        .formatted(BenchPipeline.JOB_TYPE, n);
  }
}
