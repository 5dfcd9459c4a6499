package io.kinfer.tools.bench;

import io.kinfer.tools.bench.Bench.Figure;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code kinfer bench --latency}: end-to-end latency at a normal rate rather than under a
 * backlog. Per modality, in one process: the pipeline's peak (a backlog of events, as the
 * throughput bench measures it), then events sent open loop at 10, 50, 70 and 90% of that peak
 * for a fixed time each, reporting p50 and p99 from each event's scheduled send to its result
 * read committed; and 10% once more with {@code send-when-idle=false} (the old rule: a record
 * waits up to max-delay for batch-mates even when the model is idle), 10% and 70% with {@code
 * punctual-commits=false} (Kafka Streams' own commit timer) and with {@code early-commit=true},
 * side by side. The bound
 * printed beside p99 is commit interval + max-delay + 3 × the model's time for a full batch
 * alone (measured here too).
 */
public final class LatencyBench {

  static final double[] LOADS = {0.1, 0.5, 0.7, 0.9};
  /** Kinfer's default max-delay. */
  static final long MAX_DELAY_MS = 20;

  private final Path modelsDir;
  private final int batch;
  private final Duration perLoad;
  private final PrintStream out;
  private long commitMs = 100;
  /** A service in a process of its own, reached through this broker; null: one in-process. */
  private String service;

  /**
   * One load's figures: {@code load} the share of the peak sent, {@code sendWhenIdle} the
   * pipeline's setting, {@code boundMs} the p99 bound at 70%.
   */
  public record Point(String modality, String what, double load, boolean sendWhenIdle,
      double eventsPerSecond, double p50Ms, double p99Ms, double boundMs) {}

  public LatencyBench(Path modelsDir, int batch, Duration perLoad, PrintStream out) {
    this.modelsDir = modelsDir;
    this.batch = batch;
    this.perLoad = perLoad;
    this.out = out;
  }

  /** The pipelines' commit interval (Kafka Streams' default under exactly-once: 100 ms). */
  public LatencyBench withCommitInterval(long millis) {
    this.commitMs = millis;
    return this;
  }

  /**
   * Measures a service already running in a process of its own (e.g. {@code ./kinfer run}),
   * with its own settings, through its broker at {@code bootstrap}; the variants, which need
   * other settings, are left out.
   */
  public LatencyBench withService(String bootstrap) {
    this.service = bootstrap;
    return this;
  }

  public List<Point> run(List<String> modalities) throws Exception {
    List<Point> points = new ArrayList<>();
    for (String modality : modalities) {
      List<byte[]> backlog = BenchEvents.encoded(modelsDir, modality, 4000);
      double batchMs;
      try (ModelAlone model = new ModelAlone(modelsDir, modality, backlog)) {
        Bench.warmUp(out, "model only, batch " + batch, i -> model.run(model.warmUpRound(),
            batch));
        Figure alone = model.run(model.inputs(), batch);
        batchMs = 1000.0 * batch / alone.eventsPerSecond();
      }
      double bound = commitMs + MAX_DELAY_MS + 3 * batchMs;
      out.printf(Locale.ROOT, "%n%s: the model scores a batch of %d in %.1f ms alone; p99"
          + " bound %d + %d + 3 x %.1f = %.0f ms%n", modality, batch, batchMs, commitMs,
          MAX_DELAY_MS, batchMs, bound);
      double peak;
      if (service != null) {
        out.printf("  the service at %s, in its own process, with its own settings%n", service);
      }
      try (BenchPipeline pipeline = service != null
          ? BenchPipeline.external(service, modality, batch)
          : new BenchPipeline(modelsDir, modality, batch, true,
              Map.of("commit-interval", commitMs + "ms"))) {
        List<byte[]> round = backlog.subList(0, Bench.warmUpSize(backlog.size()));
        Bench.warmUp(out, "pipeline, max-batch " + batch, i -> pipeline.run(round,
            "warm-up-" + i + "-"));
        peak = pipeline.run(backlog, "peak-").eventsPerSecond();
        out.printf(Locale.ROOT, "  peak (a backlog of %d events): %.0f events/s%n",
            backlog.size(), peak);
        for (double load : LOADS) {
          points.add(measure(pipeline, modality, String.format(Locale.ROOT, "%.0f%% of peak",
              100 * load), load, true, peak, bound));
        }
      }
      if (service != null) {
        continue;
      }
      points.addAll(variant(modality, "send-when-idle", false, backlog, peak, bound, 0.1));
      points.addAll(variant(modality, "punctual-commits", false, backlog, peak, bound, 0.1,
          0.7));
      points.addAll(variant(modality, "early-commit", true, backlog, peak, bound, 0.1, 0.7));
    }
    print(points);
    return points;
  }

  /** A pipeline with one setting changed, warmed up, at each of {@code loads}. */
  private List<Point> variant(String modality, String setting, boolean value,
      List<byte[]> backlog, double peak, double bound, double... loads) throws Exception {
    List<Point> points = new ArrayList<>();
    String name = setting + "=" + value;
    try (BenchPipeline pipeline = new BenchPipeline(modelsDir, modality, batch, true,
        Map.of(setting, value, "commit-interval", commitMs + "ms"))) {
      List<byte[]> round = backlog.subList(0, Bench.warmUpSize(backlog.size()));
      Bench.warmUp(out, "pipeline, " + name, i -> pipeline.run(round, "warm-up-" + i + "-"));
      for (double load : loads) {
        points.add(measure(pipeline, modality, String.format(Locale.ROOT, "%.0f%%, %s",
            100 * load, name), load, !setting.equals("send-when-idle") || value, peak, bound));
      }
    }
    return points;
  }

  private Point measure(BenchPipeline pipeline, String modality, String what, double load,
      boolean sendWhenIdle, double peak, double bound) throws Exception {
    double rate = load * peak;
    out.printf(Locale.ROOT, "  %s: %s from %s%n", modality, what, java.time.LocalTime.now());
    int count = Math.max(50, (int) (rate * perLoad.toMillis() / 1000));
    List<byte[]> events = BenchEvents.encoded(modelsDir, modality, count);
    BenchPipeline.OpenLoop round = pipeline.openLoop(events, rate,
        what.replaceAll("\\W", "") + "-");
    double[] latencies = round.latencies();
    Arrays.sort(latencies);
    Arrays.sort(round.bufferWaits());
    Arrays.sort(round.beforeForward());
    Arrays.sort(round.afterForward());
    Point p = new Point(modality, what, load, sendWhenIdle, rate, percentile(latencies, 50),
        percentile(latencies, 99), bound);
    out.printf(Locale.ROOT, "  %-28s %8.0f events/s  p50 %7.1f ms  p99 %7.1f ms  (mean call"
        + " %.1f; wait for a call p50 %.1f, p99 %.1f ms; to the buffer and from the scores to"
        + " the forward p50 %.1f, p99 %.1f ms; from the forward to read committed p50 %.1f,"
        + " p99 %.1f ms)%n", what, rate, p.p50Ms(), p.p99Ms(),
        round.meanCall(), percentile(round.bufferWaits(), 50),
        percentile(round.bufferWaits(), 99), percentile(round.beforeForward(), 50),
        percentile(round.beforeForward(), 99), percentile(round.afterForward(), 50),
        percentile(round.afterForward(), 99));
    double[] every = round.visibleEvery();
    if (every.length > 0) {
      out.printf(Locale.ROOT, "    results became visible every p50 %.0f, p99 %.0f, max %.0f ms"
          + " (%d times)%n", percentile(every, 50), percentile(every, 99),
          every[every.length - 1], every.length + 1);
    }
    StreamThreadTimes.print(out);
    return p;
  }

  private static double percentile(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private void print(List<Point> points) {
    out.printf("%n%-6s %-30s %10s %9s %9s %10s%n", "", "load", "events/s", "p50 ms", "p99 ms",
        "p99 bound");
    for (Point p : points) {
      out.printf(Locale.ROOT, "%-6s %-30s %10.0f %9.1f %9.1f %10.0f%s%n", p.modality(),
          p.what(), p.eventsPerSecond(), p.p50Ms(), p.p99Ms(), p.boundMs(),
          p.what().startsWith("70%") ? (p.p99Ms() <= p.boundMs() ? "  within" : "  OVER") : "");
    }
    out.println("\nOpen loop: events sent on a fixed schedule whatever the pipeline does;"
        + " latency from each event's scheduled send to its result read committed (exactly-once:"
        + " results are visible at the commit, every " + commitMs + " ms). p99 bound: commit"
        + " interval + max-delay + 3 x the model's time for a batch of " + batch + " alone."
        + "\nsend-when-idle=false: the old rule, a record waits up to max-delay for batch-mates"
        + " even when the model is idle. punctual-commits=false: Kafka Streams' own commit"
        + " timer, which starts each interval when the last commit has finished (the default"
        + " commits on a fixed schedule). early-commit=true: results committed as soon as they"
        + " are forwarded while the stream thread keeps up (off by default).");
  }
}
