package io.planperfect.stages.pageperfect;

import io.planperfect.ai.Models;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageSkip;
import io.planperfect.stages.ModelStage;
import io.planperfect.stages.StageModel;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Seed 002's PagePerfect pipeline on queue {@code pageperfect}: submit_crawl, wait_crawl,
 * segment_embed, keyword_clustering, gap_analysis, rewrite_draft. {@code skipSteps} may name
 * submit_crawl, keyword_clustering, gap_analysis and rewrite_draft (the stages with a skip predicate);
 * wait_crawl and segment_embed make what every later stage reads.
 */
public final class PagePerfectPipeline {
  public static final String NAME = "pageperfect";
  public static final String JOB_TYPE = "pageperfect";

  private PagePerfectPipeline() {}

  /** With the node's fetcher, embedder and the given rewriter, never a model (tests). */
  public static PipelineDefinition definition(GuardedFetcher fetcher, Embedder embedder, PageRewriter rewriter) {
    return definition(Models.offline(), fetcher, embedder, rewriter);
  }

  /**
   * With the node's models, fetcher and embedder: rewrite_draft writes through its model when one is
   * configured (its config row's provider and model, else the node's default), offline otherwise.
   */
  public static PipelineDefinition definition(Models models, GuardedFetcher fetcher, Embedder embedder) {
    return definition(models, fetcher, embedder, new OfflinePageRewriter());
  }

  /** The models when configured for rewrite_draft, the given rewriter otherwise. */
  public static PipelineDefinition definition(Models models, GuardedFetcher fetcher, Embedder embedder,
      PageRewriter offline) {
    List<StageDefinition> stages = List.of(
        new StageDefinition("submit_crawl", new SubmitCrawlStage(fetcher)).skippedWhen(SkipSteps.naming("submit_crawl")),
        new StageDefinition("wait_crawl", new WaitCrawlStage(fetcher)),
        new StageDefinition("segment_embed", new SegmentEmbedStage(embedder)),
        new StageDefinition("keyword_clustering", new KeywordClusteringStage())
            .skippedWhen(SkipSteps.naming("keyword_clustering")),
        new StageDefinition("gap_analysis", new GapAnalysisStage()).skippedWhen(SkipSteps.naming("gap_analysis")),
        new StageDefinition("rewrite_draft", new ModelStage(new RewriteDraftStage(new StageModel(models), offline)))
            .skippedWhen(SkipSteps.naming("rewrite_draft")).withMaxWait(ModelStage.MAX_WAIT));
    Set<String> skippable = stages.stream().filter(s -> s.skip() != StageSkip.NEVER)
        .map(StageDefinition::name).collect(Collectors.toSet());
    List<String> names = stages.stream().map(StageDefinition::name).toList();
    return new PipelineDefinition(NAME, NAME, List.of(JOB_TYPE), stages)
        .withIntake(new PagePerfectIntake(fetcher, names, skippable));
  }

  /** With the lexical embedder and the offline writer. */
  public static PipelineDefinition definition(GuardedFetcher fetcher) {
    return definition(fetcher, new LexicalEmbedder(), new OfflinePageRewriter());
  }

  /** With the lexical embedder; rewrite_draft through the models when configured. */
  public static PipelineDefinition definition(Models models, GuardedFetcher fetcher) {
    return definition(models, fetcher, new LexicalEmbedder());
  }
}
