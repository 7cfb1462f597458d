package io.planperfect.bench;

import java.util.function.ToIntFunction;

/** One measured workload of the load harness: what a client does per operation. */
enum Scenario {
  SEND("send", false, QueueOperations::send),
  CLAIM_ARCHIVE_ONE_TX("claim+archive (1 tx)", true, QueueOperations::claimAndArchiveOneTx),
  CLAIM_ARCHIVE_TWO_TX("claim, archive (2 tx)", true, QueueOperations::claimThenArchiveTwoTx),
  SEND_BATCH_10("send batch 10", false, QueueOperations::sendBatch10),
  CLAIM_10_ARCHIVE_10("claim 10 + archive 10", true, QueueOperations::claim10AndArchive10);

  private final String label;
  private final boolean consumes;
  private final ToIntFunction<QueueOperations> operation;

  Scenario(String label, boolean consumes, ToIntFunction<QueueOperations> operation) {
    this.label = label;
    this.consumes = consumes;
    this.operation = operation;
  }

  String label() {
    return label;
  }

  /** True when the operation takes messages out of the queue (the depth keeper puts them back). */
  boolean consumes() {
    return consumes;
  }

  /** Runs one operation; returns the messages it handled. */
  int runOnce(QueueOperations operations) {
    return operation.applyAsInt(operations);
  }
}
