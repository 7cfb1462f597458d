package io.planperfect.dispatch;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Messages of one stage: ready now, in flight (held under a lease), and delayed. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StageBacklog(String queue, String stage, long readyCount, long inFlightCount, long delayedCount,
    Integer oldestReadyAgeSec) {}
