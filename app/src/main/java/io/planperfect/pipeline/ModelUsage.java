package io.planperfect.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A stage attempt's model account, given by the engine in the {@link StageContext}: the stage asks
 * {@link #admit} before a call and {@link #record}s every call it made, answered or not; the engine
 * writes the calls to the usage ledger in the transaction that ends the attempt. It also carries what
 * the stage's config row chose, if anything: a provider, a model, a QA policy.
 */
public interface ModelUsage {
  ModelAdmission admit(String provider, long estimatedTokens);

  void record(ModelCall call);

  /** The calls recorded so far, in order. */
  List<ModelCall> calls();

  /** The stage's own provider ({@code content_stage_config.llm_provider}), when set. */
  Optional<String> stageProvider();

  /** The stage's own model ({@code content_stage_config.llm_model}), when set. */
  Optional<String> stageModel();

  /** The stage's QA policy ({@code content_stage_config.qa_policy}: continue, redraft, fail), when set. */
  default Optional<String> stageQaPolicy() {
    return Optional.empty();
  }

  /** An account that admits every call and keeps the calls in memory (stages run outside an engine, tests). */
  static ModelUsage unlimited() {
    return new InMemory(Optional.empty(), Optional.empty());
  }

  /** An in-memory account: every call admitted, calls kept in order, the stage's choice as given. */
  class InMemory implements ModelUsage {
    private final List<ModelCall> calls = Collections.synchronizedList(new ArrayList<>());
    private final Optional<String> provider;
    private final Optional<String> model;

    public InMemory(Optional<String> provider, Optional<String> model) {
      this.provider = provider;
      this.model = model;
    }

    @Override
    public ModelAdmission admit(String provider, long estimatedTokens) {
      return ModelAdmission.ADMIT;
    }

    @Override
    public void record(ModelCall call) {
      calls.add(call);
    }

    @Override
    public List<ModelCall> calls() {
      synchronized (calls) {
        return List.copyOf(calls);
      }
    }

    @Override
    public Optional<String> stageProvider() {
      return provider;
    }

    @Override
    public Optional<String> stageModel() {
      return model;
    }
  }
}
