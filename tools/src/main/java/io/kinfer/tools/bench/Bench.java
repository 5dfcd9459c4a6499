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
 * or is voted out, instead of landing on one figure only. A ratio is the median of the turns'
 * own ratios (each turn's pipeline against the model measured just before it), not a ratio of
 * two medians taken from different turns.
 */
public final class Bench {

  /**
   * One measured configuration. {@code eventsPerSecond} is the steady rate, between the 10%
   * and the 90% result ({@link Measurement#steadyRate}); {@code roundEventsPerSecond} the whole
   * round's, from the first send to the last result. {@code cores} is the process's CPU time during the measurement
   * divided by its wall time; {@code compiling} the JIT compilers' share of wall time (0.3 = a
   * third of a core was compiling); {@code meanBatch} the mean size of the model calls that
   * scored the events (for the pipeline, as its results report); {@code duplicates} results
   * that came back more than once (always 0 for the model alone); {@code modelBusy} the share of
   * wall time the model was scoring (the sum of its calls' times ÷ wall time); {@code batchMs}
   * the mean time of one model call.
   */
  public record Figure(String what, int batch, double eventsPerSecond,
      double roundEventsPerSecond, double p50Ms,
      double p99Ms, double cores, double compiling, double meanBatch, int duplicates,
      double modelBusy, double batchMs) {}

  /**
   * The model alone and the pipeline at one batch size (the pipeline's max-batch), with the
   * pipeline's CPU by thread group in its median turn.
   */
  public record Pair(int batch, Figure model, Figure pipeline, Map<String, Long> threadCpu,
      List<Double> turnRatios) {
    /**
     * Pipeline throughput as a share of the model alone's at this batch size: the median of
     * the turns' ratios, each turn's pipeline against the model measured just before it (the
     * machine's speed drifts between turns, by up to 20% on a shared machine, and a ratio of
     * the two medians would compare figures from different turns); without turns (results
     * read back from an older JSON file), the ratio of the median figures.
     */
    public double pipelineShareOfModel() {
      if (turnRatios.isEmpty()) {
        return pipeline.eventsPerSecond() / model.eventsPerSecond();
      }
      List<Double> sorted = turnRatios.stream().sorted().toList();
      return sorted.get((sorted.size() - 1) / 2);
    }
  }

  /** One modality's pairs, by batch size (1 first), and the ratios the design is judged by. */
  public record Result(String modality, List<Pair> pairs) {
    public Pair atOne() {
      return pairs.get(0);
    }

    /** The pair at the batch size where the model alone is fastest: the ceiling. */
    public Pair best() {
      return pairs.stream().skip(1).max(java.util.Comparator.comparingDouble(
          p -> p.model().eventsPerSecond())).orElse(pairs.get(0));
    }

    /** Batched pipeline throughput as a share of the model alone, at the best batch size. */
    public double pipelineShareOfModel() {
      return best().pipelineShareOfModel();
    }

    /**
     * The pipeline's gain from batching as a share of the model's own, at the best size:
     * (pipeline at best ÷ pipeline at 1) ÷ (model at best ÷ model at 1), which is the share of
     * the model at the best size ÷ the share at 1, each a median of its turns.
     */
    public double gainShare() {
      return best().pipelineShareOfModel() / atOne().pipelineShareOfModel();
    }
  }

  private final Path modelsDir;
  private final int events;
  /** Batch sizes measured: 1, then the others in ascending order. */
  private final List<Integer> batches;
  private final int repeats;
  private final PrintStream out;

  private boolean metrics = true;
  /** Thread CPU of the median pipeline turn of the last {@link #sideBySide}. */
  private Map<String, Long> medianCpu = Map.of();
  /** Each turn's pipeline ÷ model of the last {@link #sideBySide}, in turn order. */
  private List<Double> turnRatios = List.of();
  private long started;
  private int pairsDone;
  private int pairsTotal;

  /** @param batches the batch sizes to compare with 1 (1 is always measured, first) */
  public Bench(Path modelsDir, int events, List<Integer> batches, int repeats, PrintStream out) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }
    if (batches.stream().anyMatch(b -> b < 1)) {
      throw new IllegalArgumentException("batch sizes must be at least 1, got " + batches);
    }
    this.modelsDir = modelsDir;
    this.events = events;
    this.batches = java.util.stream.Stream.concat(java.util.stream.Stream.of(1),
        batches.stream()).distinct().sorted().toList();
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
    pairsTotal = modalities.size() * batches.size() * repeats;
    for (String modality : modalities) {
      out.printf("%n%s: %,d events, batch sizes %s, each pair measured in turns %d times%s%n",
          modality, events, batches, repeats, metrics ? "" : ", pipeline metrics off");
      List<byte[]> encoded = BenchEvents.encoded(modelsDir, modality, events);
      List<Pair> pairs = new ArrayList<>();
      try (ModelAlone model = new ModelAlone(modelsDir, modality, encoded)) {
        for (int size : batches) {
          Figure[] figures = sideBySide(model, modality, encoded, size);
          pairs.add(new Pair(size, figures[0], figures[1], medianCpu, turnRatios));
        }
      }
      results.add(new Result(modality, pairs));
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
      // Warmed up the way it is measured: whole rounds, in turns with the model alone. Rounds
      // of a quarter of the events, one after the other, settled the JIT and then the measured
      // turns still compiled 9-42% of the time (the optimising compiler reaching the broker's
      // and the clients' per-commit and per-fetch paths, code of the longer rounds).
      warmUp(out, "turns (model alone, then pipeline), max-batch " + size, i -> {
        model.run(model.inputs(), size);
        return pipeline.run(encoded, "warm-up-" + i + "-");
      });
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
            + " JIT %.0f%%), pipeline %.0f events/s (%.2f cores, JIT %.0f%%, model busy %.0f%% of"
            + " the time, %.1f ms a call against %.1f alone): %.2f%n", size, r,
            a.eventsPerSecond(), a.cores(), 100 * a.compiling(), p.eventsPerSecond(), p.cores(),
            100 * p.compiling(), 100 * p.modelBusy(), p.batchMs(), a.batchMs(),
            p.eventsPerSecond() / a.eventsPerSecond());
        pairsDone++;
        long left = (System.nanoTime() - started) / pairsDone * (pairsTotal - pairsDone);
        out.printf(Locale.ROOT, "  (%d of %d measurements done, about %d s left)%n",
            pairsDone, pairsTotal, left / 1_000_000_000L);
      }
      turnRatios = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        turnRatios.add(piped.get(r).eventsPerSecond() / alone.get(r).eventsPerSecond());
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
    out.printf("%n%-6s %-26s %6s %6s %10s %10s %9s %9s %6s %5s %6s %9s%n", "", "measurement",
        "batch", "mean", "events/s", "round/s", "p50 ms", "p99 ms", "cores", "JIT", "busy",
        "ms/call");
    for (Result r : results) {
      for (Pair pair : r.pairs()) {
        for (Figure f : List.of(pair.model(), pair.pipeline())) {
          out.printf(Locale.ROOT, "%-6s %-26s %6d %6.1f %10.0f %10.0f %9.2f %9.2f %6.2f %4.0f%%"
              + " %5.0f%% %9.2f%n", r.modality(), f.what(), f.batch(), f.meanBatch(),
              f.eventsPerSecond(), f.roundEventsPerSecond(), f.p50Ms(), f.p99Ms(), f.cores(),
              100 * f.compiling(), 100 * f.modelBusy(), f.batchMs());
        }
      }
    }
    out.printf("%n%-6s %6s %14s %14s %26s %26s%n", "", "best", "model gain", "pipeline gain",
        "pipeline/model at best", "pipeline gain/model gain");
    for (Result r : results) {
      Pair best = r.best();
      out.printf(Locale.ROOT, "%-6s %6d %13.2fx %13.2fx %25.2f %25.2f%n", r.modality(),
          best.batch(), best.model().eventsPerSecond() / r.atOne().model().eventsPerSecond(),
          best.pipeline().eventsPerSecond() / r.atOne().pipeline().eventsPerSecond(),
          r.pipelineShareOfModel(), r.gainShare());
    }
    out.printf("%nCPU per event at the best batch size, microseconds (the median pipeline turn,"
        + " each Java thread's own CPU clock):%n");
    out.printf("%-6s %6s %12s %12s %12s %12s %12s %12s %14s%n", "", "batch", "model alone",
        "stream thr.", "streams I/O", "scorer Java", "broker", "bench", "Kafka layer");
    for (Result r : results) {
      CpuPerEvent cpu = CpuPerEvent.of(r.best(), events);
      out.printf(Locale.ROOT, "%-6s %6d %12.1f %12.1f %12.1f %12.1f %12.1f %12.1f %8.1f = %3.0f%%%n",
          r.modality(), r.best().batch(), cpu.modelAlone(), cpu.stream(), cpu.streamsIo(),
          cpu.scorer(), cpu.broker(), cpu.bench(), cpu.kafkaLayer(),
          100 * cpu.kafkaLayerShare());
    }
    out.println("model alone: the process's CPU (TensorFlow's native threads included) per"
        + " event at that batch size; Kafka layer: the pipeline's stream threads and its"
        + " producer's I/O thread (poll, Avro, decoding, the buffer and its changelog,"
        + " forwarding, produce, commit), as a share of the model's CPU per event. The broker and"
        + " the bench's clients run in the same process but are not the pipeline's.");
    out.println("\nevents/s: the steady rate, between the 10% and the 90% result (the ratios use"
        + " it); round/s: the whole round, from the first send to the last result, which also"
        + " counts the pipeline's first commit before any result shows and its last part-full"
        + " batch and commit (latency, not throughput)."
        + "\nbatch: max-batch (model alone: the batch size); mean: the mean size of the"
        + " model calls that scored the events, as the results report it; busy: the share of the"
        + " wall time the model was scoring; ms/call: the mean time of one model call."
        + "\nModel-only: decoded inputs through DJL (predict / batchPredict), one thread."
        + "\nPipeline: produce all events, then read every committed result back; latency is end"
        + " to end under that backlog.\nEach pair of figures follows warm-up rounds until the JIT"
        + " compilers settle (at most " + MAX_WARM_UP.toSeconds() + " s each): the model alone"
        + " on a quarter of the inputs (at most 2,000), then whole turns, the model alone and"
        + " the pipeline as they are measured; each figure is the median of " + repeats + " measurements taken"
        + " in turns with its counterpart; pipeline/model is the median of the turns' own ratios"
        + " (the ratio at the end of each turn's line).\ncores: the process's CPU time during the measurement"
        + " ÷ its wall time; JIT: the JIT compiler threads' CPU time ÷ wall time. Same machine, same run:"
        + " compare ratios, not absolute figures across runs.");
  }

  /**
   * Runs {@code round} (given its number) until the JIT
   * compilers have settled, before a figure is measured: for a while the JIT compiles DJL's,
   * the broker's, the clients' and Kafka Streams' paths on the same cores the measurement runs
   * on (on 2 cores, a third of the time after 8,000 pipeline events), and the first pipeline
   * batches also pay for the first fetch and transaction. Code that runs once per batch reaches
   * the optimising compiler's thresholds only after thousands of batches, so one quiet round
   * is not enough: warmed up when compiling took under {@link #SETTLED_COMPILING} of the time in
   * {@link #SETTLED_ROUNDS} rounds in a row, or after {@link #MAX_WARM_UP} (said in the output).
   * Every figure gets the same rule, so none is measured colder than another.
   */
  static void warmUp(PrintStream out, String what, IntFunction<Figure> round) {
    long deadline = System.nanoTime() + MAX_WARM_UP.toNanos();
    int quiet = 0;
    for (int i = 1; ; i++) {
      Figure f = round.apply(i);
      out.printf(Locale.ROOT, "  warm-up %s, round %d: %.0f events/s, %.2f cores busy, JIT"
          + " compiling %.0f%% of the time%n", what, i, f.eventsPerSecond(), f.cores(),
          100 * f.compiling());
      quiet = f.compiling() < SETTLED_COMPILING ? quiet + 1 : 0;
      if (quiet >= SETTLED_ROUNDS) {
        return;
      }
      if (System.nanoTime() > deadline) {
        out.printf("  (%s: the JIT has not settled after %d s of warm-up; measuring anyway)%n",
            what, MAX_WARM_UP.toSeconds());
        return;
      }
    }
  }

  /** Quiet rounds in a row that count as settled. */
  static final int SETTLED_ROUNDS = 2;
  /** A share of wall time below which the JIT counts as settled. */
  static final double SETTLED_COMPILING = 0.05;
  static final Duration MAX_WARM_UP = Duration.ofSeconds(90);

  /** A quarter of the events, at most 2,000. */
  static int warmUpSize(int events) {
    return Math.max(1, Math.min(2_000, events / 4));
  }
}
