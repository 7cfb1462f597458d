package io.planperfect.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The model providers a node may call: the default provider and model ({@code PLANPERFECT_LLM_PROVIDER},
 * {@code PLANPERFECT_LLM_MODEL}; {@code offline}, the default, calls none), the call timeout, and each
 * provider's address and key. A provider whose key is missing is not {@link #available}; naming one
 * as the default refuses to start with the variable to set. {@link #toString} never shows a key.
 */
public record LlmSettings(String provider, Optional<String> model, Duration timeout, Map<String, Provider> providers) {
  public static final String OFFLINE = "offline";
  public static final List<String> PROVIDERS = List.of(OFFLINE, "openai", "anthropic", "ollama", "groq");
  public static final int DEFAULT_TIMEOUT_SECONDS = 120;

  /** One provider's address, key (absent for Ollama, or when unset) and the variable that holds the key. */
  public record Provider(String name, String baseUrl, Optional<String> apiKey, Optional<String> keyVariable,
      String defaultModel) {
    /** Whether the node can call it: it needs no key or has one. */
    public boolean configured() {
      return keyVariable.isEmpty() || apiKey.isPresent();
    }

    @Override
    public String toString() {
      return name + "(" + baseUrl + ", key " + (apiKey.isPresent() ? "set" : "unset") + ")";
    }
  }

  public LlmSettings {
    providers = Map.copyOf(providers);
    if (!PROVIDERS.contains(provider)) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_LLM_PROVIDER must be one of "
          + PROVIDERS + ", got '" + provider + "'");
    }
    if (timeout.toMillis() < 1000) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_LLM_TIMEOUT_SECONDS must be at least 1");
    }
    Provider chosen = providers.get(provider);
    if (chosen != null && !chosen.configured()) {
      throw new IllegalArgumentException("invalid configuration: PLANPERFECT_LLM_PROVIDER=" + provider
          + " needs " + chosen.keyVariable().orElseThrow() + " to be set");
    }
  }

  public static LlmSettings fromEnvironment(Map<String, String> env) {
    EnvReader e = new EnvReader(env);
    Map<String, Provider> providers = new TreeMap<>();
    providers.put("openai", new Provider("openai", e.text("OPENAI_BASE_URL", "https://api.openai.com/v1"),
        e.optional("OPENAI_API_KEY"), Optional.of("OPENAI_API_KEY"), "gpt-4o-mini"));
    providers.put("anthropic", new Provider("anthropic", e.text("ANTHROPIC_BASE_URL", "https://api.anthropic.com/v1"),
        e.optional("ANTHROPIC_API_KEY"), Optional.of("ANTHROPIC_API_KEY"), "claude-3-5-haiku-latest"));
    providers.put("groq", new Provider("groq", e.text("GROQ_BASE_URL", "https://api.groq.com/openai/v1"),
        e.optional("GROQ_API_KEY"), Optional.of("GROQ_API_KEY"), "llama-3.1-8b-instant"));
    providers.put("ollama", new Provider("ollama", e.text("OLLAMA_BASE_URL", "http://localhost:11434"),
        Optional.empty(), Optional.empty(), "llama3.1"));
    return new LlmSettings(
        e.text("PLANPERFECT_LLM_PROVIDER", OFFLINE).toLowerCase(Locale.ROOT),
        e.optional("PLANPERFECT_LLM_MODEL"),
        e.seconds("PLANPERFECT_LLM_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS),
        providers);
  }

  /** No model at all: every stage uses the offline writer. */
  public static LlmSettings offline() {
    return fromEnvironment(Map.of());
  }

  public boolean isOffline() {
    return OFFLINE.equals(provider);
  }

  public Optional<Provider> available(String name) {
    return Optional.ofNullable(providers.get(name));
  }

  /** Every configured key, for redaction of provider messages. */
  public List<String> keys() {
    return providers.values().stream().flatMap(p -> p.apiKey().stream()).toList();
  }

  @Override
  public String toString() {
    return "LlmSettings[provider=" + provider + ", model=" + model.orElse("(provider default)") + ", timeout="
        + timeout.toSeconds() + "s, providers=" + providers.values() + "]";
  }
}
