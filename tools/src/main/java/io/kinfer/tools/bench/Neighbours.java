package io.kinfer.tools.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code kinfer bench --neighbours}: how much of its speed the model alone loses to a neighbour,
 * a thread that keeps a share of one core busy, as the stream thread, the broker and the
 * clients do beside the model in the pipeline. Per modality, the model alone at max-batch B,
 * called from one thread and from two at once (a predictor each), without a neighbour and with
 * one busy {@link #DUTY} of the time, measured in turns; medians of the turns.
 */
public final class Neighbours {

  /** The share of a core the neighbour keeps busy: about what the pipeline's own threads use. */
  static final double DUTY = 0.3;

  private final Path modelsDir;
  private final int events;
  private final int batch;
  private final int repeats;
  private final PrintStream out;

  public Neighbours(Path modelsDir, int events, int batch, int repeats, PrintStream out) {
    this.modelsDir = modelsDir;
    this.events = events;
    this.batch = batch;
    this.repeats = repeats;
    this.out = out;
  }

  /** Per modality, in order: events/s for 1 and 2 callers, each without and with a neighbour. */
  public List<double[][]> run(List<String> modalities) throws Exception {
    List<double[][]> all = new ArrayList<>();
    for (String modality : modalities) {
      out.printf("%n%s: %,d events, batch %d, the model alone from 1 and 2 threads, without and"
          + " with a neighbour busy %.0f%% of the time, in turns %d times%n", modality, events,
          batch, DUTY * 100, repeats);
      List<byte[]> encoded = BenchEvents.encoded(modelsDir, modality, events);
      double[][][] turns = new double[2][2][repeats];
      try (ModelAlone model = new ModelAlone(modelsDir, modality, encoded)) {
        for (int warm = 0; warm < 3; warm++) {
          for (int callers = 1; callers <= 2; callers++) {
            model.rate(model.warmUpRound(), batch, callers);
          }
        }
        for (int r = 0; r < repeats; r++) {
          for (int callers = 1; callers <= 2; callers++) {
            for (int busy = 0; busy <= 1; busy++) {
              try (Neighbour neighbour = busy == 1 ? Neighbour.start(DUTY) : null) {
                turns[callers - 1][busy][r] = model.rate(model.inputs(), batch, callers);
              }
            }
          }
          out.printf(Locale.ROOT, "  turn %d: 1 thread %.0f, with a neighbour %.0f; 2 threads"
              + " %.0f, with a neighbour %.0f events/s%n", r + 1, turns[0][0][r],
              turns[0][1][r], turns[1][0][r], turns[1][1][r]);
        }
      }
      double[][] medians = new double[2][2];
      out.printf("%-10s %14s %22s %8s%n", modality, "alone", "with a neighbour", "lost");
      for (int c = 0; c < 2; c++) {
        medians[c][0] = median(turns[c][0]);
        medians[c][1] = median(turns[c][1]);
        out.printf(Locale.ROOT, "%-10s %14.0f %22.0f %7.0f%%%n", (c + 1) + " thread" + (c == 0
            ? "" : "s"), medians[c][0], medians[c][1], 100 * (1 - medians[c][1] / medians[c][0]));
      }
      all.add(medians);
    }
    out.println("\nevents/s: the model alone (decoded inputs through DJL, batch B), median of the"
        + " turns; 2 threads: two callers at once, a predictor each; neighbour: a thread that"
        + " spins " + Math.round(DUTY * 100) + "% of every 2 ms.");
    return all;
  }

  /** The median (of an even count, the lower of the middle two, as {@link Bench#median}). */
  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[(sorted.length - 1) / 2];
  }

  /** A thread that spins {@code duty} of every 2 ms and sleeps the rest, until closed. */
  private static final class Neighbour extends Thread implements AutoCloseable {
    private static final long PERIOD_NANOS = 2_000_000;
    private final long busyNanos;
    private volatile boolean stopped;
    /** Written so the spin is not optimised away. */
    volatile long spins;

    private Neighbour(double duty) {
      super("bench-neighbour");
      this.busyNanos = (long) (duty * PERIOD_NANOS);
      setDaemon(true);
    }

    static Neighbour start(double duty) {
      Neighbour n = new Neighbour(duty);
      n.start();
      return n;
    }

    @Override
    public void run() {
      long count = 0;
      while (!stopped) {
        long from = System.nanoTime();
        while (System.nanoTime() - from < busyNanos) {
          count++;
        }
        spins = count;
        LockSupport.parkNanos(PERIOD_NANOS - busyNanos);
      }
    }

    @Override
    public void close() throws InterruptedException {
      stopped = true;
      join();
    }
  }
}
