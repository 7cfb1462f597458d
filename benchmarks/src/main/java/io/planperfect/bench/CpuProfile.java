package io.planperfect.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * JVM CPU by method, from JDK Flight Recorder's execution samples (every 2 ms, of threads running Java code)
 * taken while a run goes on in this JVM: the share of samples by the library of the top frame, by the top
 * frame's method, and
 * by the first PlanPerfect frame on the stack (where in our code the time is spent, callees included).
 * Threads whose name the filter refuses (the load's own clients) are left out.
 */
final class CpuProfile implements AutoCloseable {
  private final Recording recording = new Recording();
  private final Predicate<String> threads;

  record Share(String name, long samples, double percent) {}

  record Summary(long samples, List<Share> byLibrary, List<Share> byTopMethod, List<Share> byOurMethod) {}

  CpuProfile(Predicate<String> threads) {
    this.threads = threads;
    recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
    recording.start();
  }

  Summary stop(int top) {
    recording.stop();
    try {
      Path file = Files.createTempFile("planperfect-cost-", ".jfr");
      try {
        recording.dump(file);
        return summarise(RecordingFile.readAllEvents(file), top);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the flight recording", e);
    }
  }

  private Summary summarise(List<RecordedEvent> events, int top) {
    Map<String, Long> byLibrary = new HashMap<>();
    Map<String, Long> byOurs = new HashMap<>();
    Map<String, Long> byTop = new HashMap<>();
    long samples = 0;
    for (RecordedEvent event : events) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      var thread = event.getThread("sampledThread");
      if (event.getStackTrace() == null || thread == null || !threads.test(String.valueOf(thread.getJavaName()))) {
        continue;
      }
      List<RecordedFrame> frames = event.getStackTrace().getFrames();
      if (frames.isEmpty()) {
        continue;
      }
      samples++;
      byLibrary.merge(library(className(frames.get(0))), 1L, Long::sum);
      byTop.merge(className(frames.get(0)) + "." + frames.get(0).getMethod().getName(), 1L, Long::sum);
      byOurs.merge(firstOurs(frames).orElse("(no PlanPerfect frame)"), 1L, Long::sum);
    }
    return new Summary(samples, shares(byLibrary, samples, top), shares(byTop, samples, top), shares(byOurs, samples, top));
  }

  static String library(String className) {
    String[] parts = className.split("\\.");
    if (className.startsWith("io.planperfect.")) {
      return parts.length > 3 ? "io.planperfect." + parts[2] : className;
    }
    if (className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")) {
      return parts.length > 2 ? parts[0] + "." + parts[1] : className;
    }
    return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : className;
  }

  private static Optional<String> firstOurs(List<RecordedFrame> frames) {
    return frames.stream()
        .filter(f -> className(f).startsWith("io.planperfect.") && !className(f).startsWith("io.planperfect.bench."))
        .findFirst()
        .map(f -> simpleName(className(f)) + "." + f.getMethod().getName());
  }

  private static String className(RecordedFrame frame) {
    return frame.getMethod().getType().getName();
  }

  private static String simpleName(String className) {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  private static List<Share> shares(Map<String, Long> counts, long total, int top) {
    Map<String, Long> sorted = new LinkedHashMap<>();
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted.entrySet().stream()
        .map(e -> new Share(e.getKey(), e.getValue(), total == 0 ? 0 : 100.0 * e.getValue() / total))
        .toList();
  }

  @Override
  public void close() {
    recording.close();
  }
}
