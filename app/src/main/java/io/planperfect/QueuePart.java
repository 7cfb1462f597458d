package io.planperfect;

import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;

/** The queue and its in-process wake-ups (the LISTEN side starts with the workers). */
record QueuePart(WorkSignals signals, WorkAnnouncer announcer, MessageQueue queue) {

  static QueuePart start(DatabasePart db, OwnedParts parts) {
    WorkSignals signals = new WorkSignals();
    WorkAnnouncer announcer = parts.own(new WorkAnnouncer(db.jdbi(), signals));
    return new QueuePart(signals, announcer, new MessageQueue(db.jdbi()));
  }
}
