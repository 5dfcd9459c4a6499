package io.kinfer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program the tests need (an installer, Python, Node) with a bounded wait. */
public final class ChildProcess {

  private ChildProcess() {}

  /**
   * Runs {@code command} with {@code env} added, appending everything it prints to
   * {@code output}; returns its exit status, 127 when it cannot be started, and fails when it
   * outlives {@code timeoutSeconds}.
   */
  public static int run(List<String> command, Map<String, String> env, Path output,
      int timeoutSeconds) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().putAll(env);
    Process p;
    try {
      p = builder.start();
    } catch (IOException missing) {
      return 127;
    }
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " took over "
          + timeoutSeconds + " s; see " + output);
    }
    return p.exitValue();
  }
}
