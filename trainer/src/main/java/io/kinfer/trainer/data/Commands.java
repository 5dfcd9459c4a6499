package io.kinfer.trainer.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external tools data preparation needs (npm, tar, apt-get), with clear failures. */
public final class Commands {

  private Commands() {}

  /** Runs a command in {@code dir}; returns its output; fails with the output on error. */
  public static String run(Path dir, long timeoutSeconds, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) {
      builder.directory(dir.toFile());
    }
    try {
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within "
            + timeoutSeconds + " s");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed (exit "
            + process.exitValue() + "): " + tail(text));
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage()
          + "; is it installed and on PATH?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }

  public static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (java.nio.file.Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  /** Installs Debian packages if a tool is missing (needs root, as on CI machines). */
  public static void ensureDebianPackages(List<String> tools, List<String> packages) {
    if (tools.stream().allMatch(Commands::onPath)) {
      return;
    }
    String[] install = new String[packages.size() + 3];
    install[0] = "apt-get";
    install[1] = "install";
    install[2] = "-y";
    for (int i = 0; i < packages.size(); i++) {
      install[i + 3] = packages.get(i);
    }
    try {
      run(null, 900, install);
    } catch (IllegalStateException first) {
      run(null, 900, "apt-get", "update");
      run(null, 900, install);
    }
  }

  private static String tail(String text) {
    return text.length() <= 2000 ? text : "..." + text.substring(text.length() - 2000);
  }
}
