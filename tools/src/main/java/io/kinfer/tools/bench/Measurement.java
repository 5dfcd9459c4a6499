package io.kinfer.tools.bench;

import io.kinfer.tools.bench.Bench.Figure;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/** Turns timings into a {@link Figure}: throughput, latency percentiles, CPU and JIT shares. */
final class Measurement {

  private Measurement() {}

  /** The model calls that scored a measurement's events: how many, and their summed time. */
  record ModelCalls(double count, double totalMs) {}

  /** Where the CPU went during a measurement, as shares of its wall time. */
  record Usage(double cores, double compiling) {}

  /** Reads the process's CPU time and the JIT compilers' time at start and at stop. */
  record CpuClock(long cpuAtStart, long compiledAtStart, long nanos) {
    static CpuClock start() {
      return new CpuClock(cpuNanos(), compiledMs(), System.nanoTime());
    }

    Usage stop() {
      double wall = System.nanoTime() - nanos;
      if (wall <= 0) {
        return new Usage(0, 0);
      }
      return new Usage((cpuNanos() - cpuAtStart) / wall,
          (compiledMs() - compiledAtStart) * 1e6 / wall);
    }

    /** The whole process's CPU time (all threads, native ones included), or 0 if unknown. */
    private static long cpuNanos() {
      return ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static long compiledMs() {
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      return jit != null && jit.isCompilationTimeMonitoringSupported()
          ? jit.getTotalCompilationTime() : 0;
    }
  }

  /**
   * @param nanos the whole round's wall time
   * @param doneAt when each event's result was done (System.nanoTime), for the steady rate
   */
  static Figure figure(String what, int batch, int n, long nanos, long[] doneAt,
      double[] latencies, Usage usage, double meanBatch, int duplicates, ModelCalls calls) {
    double[] sorted = latencies.clone();
    java.util.Arrays.sort(sorted);
    return new Figure(what, batch, steadyRate(doneAt, n / (nanos / 1e9)), n / (nanos / 1e9),
        percentile(sorted, 50),
        percentile(sorted, 99), usage.cores(), usage.compiling(), meanBatch, duplicates,
        calls.totalMs() * 1e6 / nanos, calls.count() == 0 ? 0 : calls.totalMs() / calls.count());
  }

  /**
   * Events per second between the 10% and the 90% result: the rate the pipeline sustains,
   * without the first commit before any result is visible and the last part-full batch and
   * commit after the backlog ran out (latency, which the percentiles report). Falls back to
   * {@code whole} for rounds too small to have a middle.
   */
  static double steadyRate(long[] doneAt, double whole) {
    long[] sorted = doneAt.clone();
    java.util.Arrays.sort(sorted);
    int from = sorted.length / 10;
    int to = sorted.length * 9 / 10;
    if (to - from < 10 || sorted[to] <= sorted[from]) {
      return whole;
    }
    return (to - from) / ((sorted[to] - sorted[from]) / 1e9);
  }

  private static double percentile(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
