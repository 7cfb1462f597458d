package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A condition the monitor found: its type, what it is about ({@code key}: a queue or a
 * {@code queue:stage}), severity ({@code warning} or {@code critical}), a sentence for people,
 * and the measured values (stored in the alert's metadata).
 */
record Alert(String type, String key, String severity, String message, ObjectNode details) {
  static final String WARNING = "warning";
  static final String CRITICAL = "critical";
}
