package io.planperfect.ai;

import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;

/** A {@link TextModel} over a LangChain4j chat model: one system and one user message per call. */
final class ChatTextModel implements TextModel {
  private final String provider;
  private final String model;
  private final ChatModel chat;
  private final FailureClassifier failures;

  ChatTextModel(String provider, String model, ChatModel chat, FailureClassifier failures) {
    this.provider = provider;
    this.model = model;
    this.chat = chat;
    this.failures = failures;
  }

  @Override
  public ModelReply complete(ModelPrompt prompt) {
    long started = System.nanoTime();
    ChatResponse response;
    try {
      response = chat.chat(ChatRequest.builder()
          .messages(SystemMessage.from(prompt.system()), UserMessage.from(prompt.user()))
          .maxOutputTokens(prompt.maxOutputTokens())
          .build());
    } catch (RuntimeException e) {
      throw failures.classify(provider, model, e);
    }
    TokenUsage usage = response.tokenUsage();
    String text = response.aiMessage() == null ? null : response.aiMessage().text();
    if (text == null) {
      throw new ModelFailure(ModelFailure.Kind.UNAVAILABLE, 0, null,
          provider + " model " + model + " answered without text");
    }
    return new ModelReply(text, count(usage == null ? null : usage.inputTokenCount()),
        count(usage == null ? null : usage.outputTokenCount()), Duration.ofNanos(System.nanoTime() - started));
  }

  private static long count(Integer tokens) {
    return tokens == null ? 0 : tokens;
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
