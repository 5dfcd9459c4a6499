package io.kinfer.tools.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * {@code kinfer bench}: per modality, in one process and on the same events (the committed
 * samples, repeated): the model alone through DJL at batch 1 and at {@code max-batch} (the
 * ceiling), and the whole pipeline (embedded broker, exactly-once) with {@code max-batch=1}
 * and with {@code max-batch}. Prints events/s, latency p50/p99 and the ratios side by side.
 *
 * <p>Each pair that a ratio compares (the model alone at a batch size, and the pipeline with
 * that max-batch) is measured in turns, {@code repeats} times, and each figure is the median of
 * its repeats: on a shared machine a neighbour's burst then hits both sides of a ratio alike,
 * or is voted out, instead of landing on one figure only.
 */
public final class Bench {

  /**
   * One measured configuration. {@code cores} is the process's CPU time during the measurement
   * divided by its wall time; {@code compiling} the JIT compilers' share of wall time (0.3 = a
   * third of a core was compiling); {@code meanBatch} the mean size of the model calls that
   * scored the events (for the pipeline, as its results report); {@code duplicates} results
   * that came back more than once (always 0 for the model alone).
   */
  public record Figure(String what, int batch, double eventsPerSecond, double p50Ms,
      double p99Ms, double cores, double compiling, double meanBatch, int duplicates) {}

  /** The four figures of one modality and the two ratios the batching design is judged by. */
  public record Result(String modality, Figure model1, Figure modelN, Figure pipeline1,
      Figure pipelineN, Map<String, Long> threadCpuN) {
    /** Batched pipeline throughput as a share of the batched model alone. */
    public double pipelineShareOfModel() {
      return pipelineN.eventsPerSecond() / modelN.eventsPerSecond();
    }

    /** The pipeline's gain from batching as a share of the model's own gain. */
    public double gainShare() {
      double modelGain = modelN.eventsPerSecond() / model1.eventsPerSecond();
      double pipelineGain = pipelineN.eventsPerSecond() / pipeline1.eventsPerSecond();
      return pipelineGain / modelGain;
    }
  }

  private final Path modelsDir;
  private final int events;
  private final int batch;
  private final int repeats;
  private final PrintStream out;

  private boolean metrics = true;
  /** Thread CPU of the median pipeline turn of the last {@link #sideBySide}. */
  private Map<String, Long> medianCpu = Map.of();
  private long started;
  private int pairsDone;
  private int pairsTotal;

  public Bench(Path modelsDir, int events, int batch, int repeats, PrintStream out) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }
    this.modelsDir = modelsDir;
    this.events = events;
    this.batch = batch;
    this.repeats = repeats;
    this.out = out;
  }

  /** Whether the pipeline keeps its metrics (on, as the service runs by default). */
  public Bench withMetrics(boolean on) {
    this.metrics = on;
    return this;
  }

  public List<Result> run(List<String> modalities) throws Exception {
    List<Result> results = new ArrayList<>();
    started = System.nanoTime();
    pairsDone = 0;
    pairsTotal = modalities.size() * 2 * repeats;
    for (String modality : modalities) {
      out.printf("%n%s: %,d events, max-batch %d, each pair measured in turns %d times%s%n",
          modality, events, batch, repeats, metrics ? "" : ", pipeline metrics off");
      List<byte[]> encoded = BenchEvents.encoded(modelsDir, modality, events);
      try (ModelAlone model = new ModelAlone(modelsDir, modality, encoded)) {
        Figure[] at1 = sideBySide(model, modality, encoded, 1);
        Figure[] atN = sideBySide(model, modality, encoded, batch);
        results.add(new Result(modality, at1[0], atN[0], at1[1], atN[1], medianCpu));
      }
    }
    print(results);
    return results;
  }

  /**
   * The model alone at batch {@code size} and the pipeline with {@code max-batch=size}, each
   * warmed up, then measured in turns {@link #repeats} times.
   *
   * @return the median figure of the model alone, then of the pipeline
   */
  private Figure[] sideBySide(ModelAlone model, String modality, List<byte[]> encoded, int size)
      throws Exception {
    warmUp(out, "model only, batch " + size, i -> model.run(model.warmUpRound(), size));
    try (BenchPipeline pipeline = new BenchPipeline(modelsDir, modality, size, metrics)) {
      List<byte[]> round = encoded.subList(0, warmUpSize(encoded.size()));
      warmUp(out, "pipeline, max-batch " + size, i -> pipeline.run(round, "warm-up-" + i + "-"));
      List<Figure> alone = new ArrayList<>();
      List<Figure> piped = new ArrayList<>();
      Map<Figure, Map<String, Long>> cpu = new java.util.IdentityHashMap<>();
      for (int r = 1; r <= repeats; r++) {
        alone.add(model.run(model.inputs(), size));
        piped.add(pipeline.run(encoded, "bench-" + r + "-"));
        cpu.put(piped.get(r - 1), pipeline.lastThreadCpu());
        Figure a = alone.get(r - 1);
        Figure p = piped.get(r - 1);
        out.printf(Locale.ROOT, "  batch %d, turn %d: model alone %.0f events/s (%.2f cores,"
            + " JIT %.0f%%), pipeline %.0f events/s (%.2f cores, JIT %.0f%%): %.2f%n", size, r,
            a.eventsPerSecond(), a.cores(), 100 * a.compiling(), p.eventsPerSecond(), p.cores(),
            100 * p.compiling(), p.eventsPerSecond() / a.eventsPerSecond());
        pairsDone++;
        long left = (System.nanoTime() - started) / pairsDone * (pairsTotal - pairsDone);
        out.printf(Locale.ROOT, "  (%d of %d measurements done, about %d s left)%n",
            pairsDone, pairsTotal, left / 1_000_000_000L);
      }
      Figure pipedMedian = median(piped);
      medianCpu = cpu.get(pipedMedian);
      return new Figure[] {median(alone), pipedMedian};
    }
  }

  /** The figure with the median events/s (of an even count, the lower of the middle two). */
  static Figure median(List<Figure> figures) {
    List<Figure> sorted = new ArrayList<>(figures);
    sorted.sort(java.util.Comparator.comparingDouble(Figure::eventsPerSecond));
    return sorted.get((sorted.size() - 1) / 2);
  }

  private void print(List<Result> results) {
    out.printf("%n%-6s %-26s %6s %6s %12s %9s %9s %6s %6s%n", "", "measurement", "batch",
        "mean", "events/s", "p50 ms", "p99 ms", "cores", "JIT");
    for (Result r : results) {
      for (Figure f : List.of(r.model1(), r.modelN(), r.pipeline1(), r.pipelineN())) {
        out.printf(Locale.ROOT, "%-6s %-26s %6d %6.1f %12.0f %9.2f %9.2f %6.2f %5.0f%%%n",
            r.modality(), f.what(), f.batch(), f.meanBatch(), f.eventsPerSecond(), f.p50Ms(),
            f.p99Ms(), f.cores(), 100 * f.compiling());
      }
    }
    out.printf("%n%-6s %14s %14s %26s %26s%n", "", "model gain", "pipeline gain",
        "pipeline/model at batch", "pipeline gain/model gain");
    for (Result r : results) {
      out.printf(Locale.ROOT, "%-6s %13.2fx %13.2fx %25.2f %25.2f%n", r.modality(),
          r.modelN().eventsPerSecond() / r.model1().eventsPerSecond(),
          r.pipelineN().eventsPerSecond() / r.pipeline1().eventsPerSecond(),
          r.pipelineShareOfModel(), r.gainShare());
    }
    out.printf("%nCPU per event at batch %d, microseconds (the median pipeline turn, each Java"
        + " thread's own CPU clock):%n", batch);
    out.printf("%-6s %12s %12s %12s %12s %12s %12s %14s%n", "", "model alone", "stream thr.",
        "streams I/O", "scorer Java", "broker", "bench", "Kafka layer");
    for (Result r : results) {
      double perEvent = 1e6 * r.modelN().cores() / r.modelN().eventsPerSecond();
      int n = events;
      Map<String, Long> cpu = r.threadCpuN();
      double stream = cpu.getOrDefault(ThreadCpu.STREAM, 0L) / 1e3 / n;
      double io = cpu.getOrDefault(ThreadCpu.STREAMS_IO, 0L) / 1e3 / n;
      out.printf(Locale.ROOT, "%-6s %12.1f %12.1f %12.1f %12.1f %12.1f %12.1f %8.1f = %3.0f%%%n",
          r.modality(), perEvent, stream, io,
          cpu.getOrDefault(ThreadCpu.SCORER, 0L) / 1e3 / n,
          cpu.getOrDefault(ThreadCpu.BROKER, 0L) / 1e3 / n,
          cpu.getOrDefault(ThreadCpu.BENCH, 0L) / 1e3 / n, stream + io,
          100 * (stream + io) / perEvent);
    }
    out.println("model alone: the process's CPU (TensorFlow's native threads included) per"
        + " event at batch " + batch + "; Kafka layer: the pipeline's stream threads and its"
        + " producer's I/O thread (poll, Avro, decoding, the buffer and its changelog,"
        + " forwarding, produce, commit), as a share of the model's CPU per event. The broker and"
        + " the bench's clients run in the same process but are not the pipeline's.");
    out.println("\nbatch: max-batch (model alone: the batch size); mean: the mean size of the"
        + " model calls that scored the events, as the results report it."
        + "\nModel-only: decoded inputs through DJL (predict / batchPredict), one thread."
        + "\nPipeline: produce all events, then read every committed result back; latency is end"
        + " to end under that backlog.\nEach figure follows warm-up rounds of a quarter of the"
        + " events (at most 2,000) until the JIT compilers settle (at most 60 s), and is the"
        + " median of " + repeats + " measurements taken in turns with its counterpart.\ncores: the"
        + " process's CPU time during the measurement ÷ its wall time; JIT: the JIT compilers'"
        + " time ÷ wall time. Same machine, same run: compare ratios, not absolute figures"
        + " across runs.");
  }

  /**
   * Runs {@code round} (given its number; a quarter of the events, at most 2,000) until the JIT
   * compilers have settled, before a figure is measured: for a while the JIT compiles DJL's,
   * the broker's, the clients' and Kafka Streams' paths on the same cores the measurement runs
   * on (on 2 cores, a third of the time after 8,000 pipeline events), and the first pipeline
   * batches also pay for the first fetch and transaction. Warmed up when compiling took under
   * {@link #SETTLED_COMPILING} of a round's time, or after {@link #MAX_WARM_UP} (said in the
   * output). Every figure gets the same rule, so none is measured colder than another.
   */
  static void warmUp(PrintStream out, String what, IntFunction<Figure> round) {
    long deadline = System.nanoTime() + MAX_WARM_UP.toNanos();
    for (int i = 1; ; i++) {
      Figure f = round.apply(i);
      out.printf(Locale.ROOT, "  warm-up %s, round %d: %.0f events/s, %.2f cores busy, JIT"
          + " compiling %.0f%% of the time%n", what, i, f.eventsPerSecond(), f.cores(),
          100 * f.compiling());
      if (f.compiling() < SETTLED_COMPILING) {
        return;
      }
      if (System.nanoTime() > deadline) {
        out.printf("  (%s: the JIT has not settled after %d s of warm-up; measuring anyway)%n",
            what, MAX_WARM_UP.toSeconds());
        return;
      }
    }
  }

  /** A share of wall time below which the JIT counts as settled. */
  static final double SETTLED_COMPILING = 0.05;
  static final Duration MAX_WARM_UP = Duration.ofSeconds(60);

  /** A quarter of the events, at most 2,000. */
  static int warmUpSize(int events) {
    return Math.max(1, Math.min(2_000, events / 4));
  }
}
