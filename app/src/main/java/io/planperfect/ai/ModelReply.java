package io.planperfect.ai;

import java.time.Duration;

/** A model's answer: its text, the tokens the provider counted, and how long the call took. */
public record ModelReply(String text, long inputTokens, long outputTokens, Duration latency) {}
