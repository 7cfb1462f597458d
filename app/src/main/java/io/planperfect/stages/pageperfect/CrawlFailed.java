package io.planperfect.stages.pageperfect;

/** A crawl that got an answer other than a page (404, 500, …): retried by policy, then dead-lettered with this reason. */
final class CrawlFailed extends RuntimeException {
  CrawlFailed(String message) {
    super(message);
  }
}
