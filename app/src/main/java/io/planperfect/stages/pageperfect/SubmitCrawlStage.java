package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * submit_crawl: records the crawl request (the {@code crawl_jobs} projection shows it) after checking
 * the address against the fetcher's rules again, since the allow list may have changed since intake.
 */
final class SubmitCrawlStage implements CompletingStage {
  private final GuardedFetcher fetcher;

  SubmitCrawlStage(GuardedFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public ObjectNode result(StageContext context) {
    PageJob job = PageJob.of(context);
    fetcher.check(job.url());
    ObjectNode crawl = Json.object();
    crawl.put("crawl_id", crawlId(context.jobId()).toString());
    crawl.put("page_id", job.pageId());
    crawl.put("url", job.url());
    crawl.put("respect_robots", job.respectRobots());
    crawl.put("status", "submitted");
    return crawl;
  }

  static UUID crawlId(UUID jobId) {
    return UUID.nameUUIDFromBytes(("crawl:" + jobId).getBytes(StandardCharsets.UTF_8));
  }
}
