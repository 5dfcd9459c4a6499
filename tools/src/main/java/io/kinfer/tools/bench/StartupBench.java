package io.kinfer.tools.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kinfer bench --startup}: starts {@code ./kinfer run} as a user does, several times,
 * each on free ports and temporary folders, and measures the time from launching the command to
 * its log line saying every pipeline runs; prints each start's phases as the service logs them
 * and the median.
 */
public final class StartupBench {

  /** The line the service logs once every pipeline runs ({@code StartupTimeline}). */
  static final Pattern RUNNING = Pattern.compile("Every pipeline RUNNING (\\d+\\.\\d) s after the"
      + " JVM started: (.*)");
  static final long TIMEOUT_SECONDS = 180;

  private final Path launcher;
  private final PrintStream out;

  /** One start: wall time from launching the command, the JVM's own figure, its phases. */
  public record Start(double commandSeconds, double jvmSeconds, String phases) {}

  public StartupBench(Path launcher, PrintStream out) {
    this.launcher = launcher;
    this.out = out;
  }

  public List<Start> run(int starts) throws Exception {
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("the launcher " + launcher + " is not there to start");
    }
    out.printf("%d starts of %s run (embedded broker, the shipped models; the first may write"
        + " the class-data archive first and is not counted)%n", starts, launcher);
    once(-1);
    List<Start> measured = new ArrayList<>();
    for (int i = 1; i <= starts; i++) {
      measured.add(once(i));
    }
    List<Double> seconds = measured.stream().map(Start::commandSeconds).sorted().toList();
    out.printf(Locale.ROOT, "median: %.2f s from the command to every pipeline RUNNING (min %.2f,"
        + " max %.2f)%n", seconds.get((seconds.size() - 1) / 2), seconds.get(0),
        seconds.get(seconds.size() - 1));
    return measured;
  }

  /** Starts the service once, waits for its RUNNING line, stops it; {@code n} < 0 = warm-up. */
  private Start once(int n) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(launcher.toString(), "run")
        .redirectErrorStream(true);
    builder.environment().put("KINFER_EMBEDDED_PORT", "0");
    builder.environment().put("MICRONAUT_SERVER_PORT", "-1");
    builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
    builder.environment().remove("KINFER_EMBEDDED_DATA_DIR");
    builder.environment().remove("KINFER_STATE_DIR");
    long started = System.nanoTime();
    Process process = builder.start();
    try {
      CompletableFuture<Matcher> running = CompletableFuture.supplyAsync(() -> awaitLine(process));
      Matcher line = running.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      double command = (System.nanoTime() - started) / 1e9;
      Start start = new Start(command, Double.parseDouble(line.group(1)), line.group(2));
      if (n > 0) {
        out.printf(Locale.ROOT, "  start %d: %.2f s from the command (%.1f s from the JVM's"
            + " start): %s%n", n, command, start.jvmSeconds(), start.phases());
      }
      return start;
    } finally {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static Matcher awaitLine(Process process) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    try {
      List<String> tail = new ArrayList<>();
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher m = RUNNING.matcher(line);
        if (m.find()) {
          // Keep reading (and dropping) what it prints, so it never blocks on a full pipe.
          Thread drain = new Thread(() -> {
            try {
              lines.lines().forEach(l -> { });
            } catch (java.io.UncheckedIOException closed) {
              // the service was stopped
            }
          }, "startup-drain");
          drain.setDaemon(true);
          drain.start();
          return m;
        }
        tail.add(line);
        if (tail.size() > 20) {
          tail.remove(0);
        }
      }
      throw new IllegalStateException("kinfer run ended before every pipeline ran; its last"
          + " lines:\n" + String.join("\n", tail));
    } catch (IOException e) {
      throw new IllegalStateException("reading kinfer run's output", e);
    }
  }
}
