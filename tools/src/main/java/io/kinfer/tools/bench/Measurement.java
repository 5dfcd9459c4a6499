package io.kinfer.tools.bench;

import io.kinfer.tools.bench.Bench.Figure;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Turns timings into a {@link Figure}: throughput, latency percentiles, CPU and JIT shares. */
final class Measurement {

  private Measurement() {}

  /** The model calls that scored a measurement's events: how many, and their summed time. */
  record ModelCalls(double count, double totalMs) {}

  /** Where the CPU went during a measurement, as shares of its wall time. */
  record Usage(double cores, double compiling) {}

  /** Reads the process's CPU time and the JIT compilers' CPU time at start and at stop. */
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

    /**
     * The JIT compiler threads' CPU time in ms: on Linux from {@code /proc} (the service runs
     * the optimizing compiler at a lower priority, so the time its compilations take on the
     * clock says little about what they cost the model); elsewhere the JVM's total compilation
     * time, which is on the clock.
     */
    private static long compiledMs() {
      long fromProc = compilerThreadsCpuMs();
      if (fromProc >= 0) {
        return fromProc;
      }
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      return jit != null && jit.isCompilationTimeMonitoringSupported()
          ? jit.getTotalCompilationTime() : 0;
    }

    /** The summed user and system time of this JVM's compiler threads, or -1 if unknown. */
    static long compilerThreadsCpuMs() {
      Path tasks = Path.of("/proc/self/task");
      if (!Files.isDirectory(tasks)) {
        return -1;
      }
      long ticks = 0;
      try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
        for (Path task : all) {
          try {
            String comm = Files.readString(task.resolve("comm"));
            if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
              String stat = Files.readString(task.resolve("stat"));
              String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
          } catch (IOException | RuntimeException gone) {
            // A thread that ended meanwhile.
          }
        }
      } catch (IOException e) {
        return -1;
      }
      return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
    }
  }

  /** Linux's USER_HZ, the unit of {@code /proc}'s CPU times on every architecture it runs. */
  private static final long CLOCK_TICKS_PER_SECOND = 100;

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
