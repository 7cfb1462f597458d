package io.planperfect.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.config.LlmSettings;
import io.planperfect.testing.ProviderStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The model seam alone: configuration, each provider's protocol, and how failures are classified. */
class ModelsTest {
  private static final String KEY = "sk-unit-secret-77";
  private static final ModelPrompt PROMPT = new ModelPrompt("Be brief.", "Say hello.", 50);
  private ProviderStub stub;

  @AfterEach
  void stop() {
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void offline_is_the_default_and_gives_no_model() {
    Models models = new Models(LlmSettings.fromEnvironment(Map.of()));
    assertThat(models.settings().isOffline()).isTrue();
    assertThat(models.defaultModel()).isEmpty();
    assertThat(models.choose(Optional.of("offline"), Optional.empty())).isEmpty();
  }

  @Test
  void a_provider_named_without_its_key_refuses_to_start_naming_the_variable() {
    assertThatThrownBy(() -> LlmSettings.fromEnvironment(Map.of("PLANPERFECT_LLM_PROVIDER", "anthropic")))
        .hasMessageContaining("ANTHROPIC_API_KEY");
    assertThatThrownBy(() -> LlmSettings.fromEnvironment(Map.of("PLANPERFECT_LLM_PROVIDER", "groq")))
        .hasMessageContaining("GROQ_API_KEY");
    assertThatThrownBy(() -> LlmSettings.fromEnvironment(Map.of("PLANPERFECT_LLM_PROVIDER", "gpt")))
        .hasMessageContaining("PLANPERFECT_LLM_PROVIDER must be one of");
    assertThat(LlmSettings.fromEnvironment(Map.of("PLANPERFECT_LLM_PROVIDER", "ollama")).provider()).isEqualTo("ollama");
  }

  @Test
  void the_settings_never_show_a_key() {
    LlmSettings settings = LlmSettings.fromEnvironment(Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", KEY));
    assertThat(settings.toString()).doesNotContain(KEY).contains("openai");
    assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  void a_stage_choice_of_a_provider_without_its_key_is_rejected_naming_the_variable() {
    Models models = new Models(LlmSettings.fromEnvironment(Map.of()));
    assertThatThrownBy(() -> models.choose(Optional.of("openai"), Optional.empty()))
        .isInstanceOfSatisfying(ModelFailure.class, f -> assertThat(f.kind()).isEqualTo(ModelFailure.Kind.REJECTED))
        .hasMessageContaining("OPENAI_API_KEY");
  }

  @Test
  void ollama_is_called_through_its_chat_protocol_with_usage() {
    stub = new ProviderStub(request -> new ProviderStub.Text("Hello.", 12, 3));
    TextModel model = models(Map.of("PLANPERFECT_LLM_PROVIDER", "ollama", "OLLAMA_BASE_URL", stub.rootUrl(),
        "PLANPERFECT_LLM_MODEL", "llama3.1")).defaultModel().orElseThrow();

    ModelReply reply = model.complete(PROMPT);

    assertThat(reply.text()).isEqualTo("Hello.");
    assertThat(reply.inputTokens()).isEqualTo(12);
    assertThat(reply.outputTokens()).isEqualTo(3);
    assertThat(stub.requests()).singleElement().satisfies(request -> {
      assertThat(request.path()).isEqualTo("/api/chat");
      assertThat(request.body().path("model").asText()).isEqualTo("llama3.1");
      assertThat(request.system()).isEqualTo("Be brief.");
    });
  }

  @Test
  void groq_speaks_the_openai_protocol_at_its_own_address_with_its_own_key() {
    stub = new ProviderStub(request -> new ProviderStub.Text("Hi.", 5, 1));
    TextModel model = models(Map.of("PLANPERFECT_LLM_PROVIDER", "groq", "GROQ_API_KEY", KEY,
        "GROQ_BASE_URL", stub.baseUrl())).defaultModel().orElseThrow();

    assertThat(model.complete(PROMPT).text()).isEqualTo("Hi.");
    assertThat(stub.requests()).singleElement().satisfies(request -> {
      assertThat(request.path()).isEqualTo("/v1/chat/completions");
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(request.body().path("model").asText()).isEqualTo("llama-3.1-8b-instant");
    });
  }

  @Test
  void failures_are_classified_by_status_with_retry_after_and_the_key_masked() {
    stub = new ProviderStub(request -> new ProviderStub.Error(429, "{\"error\":\"slow down " + KEY + "\"}",
        Map.of("Retry-After", "7")));
    TextModel model = openAi();
    assertThatThrownBy(() -> model.complete(PROMPT)).isInstanceOfSatisfying(ModelFailure.class, f -> {
      assertThat(f.kind()).isEqualTo(ModelFailure.Kind.RATE_LIMITED);
      assertThat(f.passes()).isTrue();
      assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
      assertThat(f.getMessage()).contains("HTTP 429", "slow down ***").doesNotContain(KEY);
    });

    stub.respondWith(request -> new ProviderStub.Error(503, "{\"error\":\"overloaded\"}", Map.of()));
    assertThatThrownBy(() -> model.complete(PROMPT)).isInstanceOfSatisfying(ModelFailure.class, f -> {
      assertThat(f.kind()).isEqualTo(ModelFailure.Kind.UNAVAILABLE);
      assertThat(f.retryAfter()).isEmpty();
    });

    for (int status : new int[] {400, 401, 403}) {
      stub.respondWith(request -> new ProviderStub.Error(status, "{\"error\":\"no\"}", Map.of()));
      assertThatThrownBy(() -> model.complete(PROMPT)).isInstanceOfSatisfying(ModelFailure.class, f -> {
        assertThat(f.kind()).isEqualTo(ModelFailure.Kind.REJECTED);
        assertThat(f.status()).isEqualTo(status);
        assertThat(f.passes()).isFalse();
      });
    }
  }

  @Test
  void a_provider_slower_than_the_timeout_is_a_timeout() {
    stub = new ProviderStub(request -> {
      try {
        Thread.sleep(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ProviderStub.Text("late", 1, 1);
    });
    Map<String, String> env = new HashMap<>(openAiEnv());
    env.put("PLANPERFECT_LLM_TIMEOUT_SECONDS", "1");
    TextModel model = models(env).defaultModel().orElseThrow();

    assertThatThrownBy(() -> model.complete(PROMPT)).isInstanceOfSatisfying(ModelFailure.class,
        f -> assertThat(f.kind()).isEqualTo(ModelFailure.Kind.TIMEOUT));
  }

  @Test
  void retry_after_is_read_as_seconds_or_an_http_date() {
    assertThat(ProviderHttpClient.retryAfter("2.5")).isEqualTo(Duration.ofMillis(2500));
    assertThat(ProviderHttpClient.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isEqualTo(Duration.ZERO);
    assertThat(ProviderHttpClient.retryAfter("soon")).isNull();
    assertThat(ProviderHttpClient.retryAfter(null)).isNull();
  }

  private TextModel openAi() {
    return models(openAiEnv()).defaultModel().orElseThrow();
  }

  private Map<String, String> openAiEnv() {
    return Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", stub.baseUrl());
  }

  private static Models models(Map<String, String> env) {
    return new Models(LlmSettings.fromEnvironment(env));
  }
}
