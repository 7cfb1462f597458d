package io.planperfect.stages.generation;

import io.planperfect.fetch.FetchFailed;
import io.planperfect.fetch.FetchRefused;
import io.planperfect.fetch.FetchedPage;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.stages.PageContent;

/**
 * The target page through the node's guarded fetcher (its address rules, caps and robots.txt): the
 * page's title and main text when it answers 2xx; otherwise {@code unreachable} with the HTTP status,
 * the refused rule or the failure, and context-building goes on without it.
 */
public final class FetchedTargetPages implements TargetPageSource {
  private final GuardedFetcher fetcher;

  public FetchedTargetPages(GuardedFetcher fetcher) {
    this.fetcher = fetcher;
  }

  @Override
  public TargetPage fetch(String url) {
    try {
      FetchedPage page = fetcher.fetch(url);
      if (!page.ok()) {
        return TargetPage.unreachable(url, "HTTP " + page.status());
      }
      PageContent content = page.isHtml() ? PageContent.ofHtml(page.body(), page.finalUrl()) : PageContent.ofText(page.body());
      return TargetPage.fetched(url, content.title(), content.text());
    } catch (FetchRefused e) {
      return TargetPage.unreachable(url, "refused: " + e.getMessage());
    } catch (FetchFailed e) {
      return TargetPage.unreachable(url, e.getMessage());
    }
  }
}
