package io.planperfect.ai;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.planperfect.config.LlmSettings;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models a node can call, built once per provider and model from {@link LlmSettings}: the
 * default one (none when offline) or one chosen for a stage. Providers speak through LangChain4j:
 * OpenAI-compatible {@code /v1/chat/completions} (openai, groq, and any vLLM, llama.cpp or LM Studio
 * server at {@code OPENAI_BASE_URL}), Anthropic {@code /v1/messages}, Ollama {@code /api/chat}.
 * LangChain4j's own retries are off: a failure goes back to the engine, which waits or retries.
 */
public final class Models {
  private final LlmSettings settings;
  private final FailureClassifier failures;
  private final Map<String, TextModel> built = new ConcurrentHashMap<>();

  public Models(LlmSettings settings) {
    this.settings = settings;
    this.failures = new FailureClassifier(settings.keys());
  }

  /** No provider: every stage writes offline. */
  public static Models offline() {
    return new Models(LlmSettings.offline());
  }

  public LlmSettings settings() {
    return settings;
  }

  /**
   * The model for a stage: the stage's own provider and model when set (a model alone picks that
   * model at the default provider), else the node's default; empty when the choice is offline.
   */
  public Optional<TextModel> choose(Optional<String> stageProvider, Optional<String> stageModel) {
    String provider = stageProvider.orElse(settings.provider());
    if (LlmSettings.OFFLINE.equals(provider)) {
      return Optional.empty();
    }
    Optional<String> model = stageModel.or(() -> stageProvider.isPresent() ? Optional.empty() : settings.model());
    return Optional.of(model(provider, model));
  }

  /** The node's default model, or empty when offline. */
  public Optional<TextModel> defaultModel() {
    return choose(Optional.empty(), Optional.empty());
  }

  /** A model of a named provider (its default model when none is named); refuses an unknown or keyless provider. */
  public TextModel model(String provider, Optional<String> modelName) {
    LlmSettings.Provider config = settings.available(provider)
        .orElseThrow(() -> new IllegalArgumentException("unknown model provider '" + provider + "', expected one of "
            + LlmSettings.PROVIDERS));
    if (!config.configured()) {
      throw new ModelFailure(ModelFailure.Kind.REJECTED, 0, null,
          "provider " + provider + " is chosen but " + config.keyVariable().orElseThrow() + " is not set");
    }
    String name = modelName.orElse(config.defaultModel());
    return built.computeIfAbsent(provider + "/" + name, k -> new ChatTextModel(provider, name, chat(config, name), failures));
  }

  private ChatModel chat(LlmSettings.Provider config, String name) {
    ProviderHttpClient.Builder http = new ProviderHttpClient.Builder();
    return switch (config.name()) {
      case "anthropic" -> AnthropicChatModel.builder().httpClientBuilder(http).baseUrl(config.baseUrl())
          .apiKey(config.apiKey().orElseThrow()).modelName(name).maxTokens(4096)
          .timeout(settings.timeout()).maxRetries(0).build();
      case "ollama" -> OllamaChatModel.builder().httpClientBuilder(http).baseUrl(config.baseUrl()).modelName(name)
          .timeout(settings.timeout()).maxRetries(0).build();
      default -> OpenAiChatModel.builder().httpClientBuilder(http).baseUrl(config.baseUrl())
          .apiKey(config.apiKey().orElseThrow()).modelName(name)
          .timeout(settings.timeout()).maxRetries(0).build();
    };
  }
}
