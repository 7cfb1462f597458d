package io.planperfect.stages.generation;

/**
 * Where context-building gets the page at the job's targetUrl. The node wires the guarded fetcher
 * here when one is configured; until then {@link #NOT_CONFIGURED} records the page as not fetched.
 * An implementation never throws for an unreachable page: it answers {@link TargetPage#unreachable}.
 */
@FunctionalInterface
public interface TargetPageSource {
  TargetPageSource NOT_CONFIGURED = url -> TargetPage.notFetched(url, "no fetcher configured");

  TargetPage fetch(String url);
}
