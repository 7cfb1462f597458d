package io.planperfect.bench;

import io.planperfect.db.Database;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The queue's operations under JMH, against a durable embedded PostgreSQL holding 10,000 ready
 * messages, four client threads. Run: {@code java -jar benchmarks/target/benchmarks.jar QueueBenchmarks}.
 * Throughput is operations per millisecond (sendBatch10 and claim10AndArchive10 move 10 messages each).
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(4)
public class QueueBenchmarks {
  private static final int DEPTH = 10_000;
  private static final int CLIENTS = 4;

  private BenchServer server;
  private Database database;
  private QueueFixture fixture;
  private QueueOperations operations;
  private DepthKeeper keeper;

  @Setup(Level.Trial)
  public void startServer() {
    server = BenchServer.embedded();
    database = Database.connect(server.address(), CLIENTS + 2);
    database.migrate();
    fixture = new QueueFixture(database.jdbi());
    fixture.empty();
    fixture.fill(DEPTH);
    fixture.vacuumAnalyze();
    operations = new QueueOperations(database.jdbi());
    keeper = DepthKeeper.start(fixture);
  }

  // why: sends grow the queue; bring it back to 10,000 between iterations, outside the measurement.
  @Setup(Level.Iteration)
  public void restoreDepth() {
    fixture.restore(DEPTH);
  }

  @TearDown(Level.Trial)
  public void stopServer() {
    keeper.close();
    database.close();
    server.close();
  }

  @Benchmark
  public int send() {
    return operations.send();
  }

  @Benchmark
  public int sendBatch10() {
    return operations.sendBatch10();
  }

  @Benchmark
  public int claimAndArchive() {
    return consumed(operations.claimAndArchiveOneTx());
  }

  @Benchmark
  public int claim10AndArchive10() {
    return consumed(operations.claim10AndArchive10());
  }

  private int consumed(int messages) {
    keeper.consumed(messages);
    return messages;
  }
}
