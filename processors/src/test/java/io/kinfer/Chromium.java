package io.kinfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, for tests of the live page: found at {@code $CHROMIUM} or
 * {@code /usr/bin/chromium}, and installed with apt-get when missing (as root; otherwise the
 * test fails saying what to install).
 */
public final class Chromium {

  private static final Path DEBIAN = Path.of("/usr/bin/chromium");
  /** Flags that keep a headless Chromium off this closed network and quiet. */
  private static final List<String> FLAGS = List.of("--headless", "--no-sandbox",
      "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
      "--hide-scrollbars");

  private final Path executable;

  private Chromium(Path executable) {
    this.executable = executable;
  }

  /** The browser, installing Debian's package first when it is missing. */
  public static synchronized Chromium find(Path logDir) throws IOException, InterruptedException {
    String configured = System.getenv("CHROMIUM");
    Path path = configured != null && !configured.isBlank() ? Path.of(configured) : DEBIAN;
    if (!Files.isExecutable(path)) {
      install(path, logDir);
    }
    return new Chromium(path);
  }

  private static void install(Path path, Path logDir) throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve("chromium-install.log");
    String how = "apt-get install -y --no-install-recommends chromium";
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("the live page test needs Chromium at " + path
          + " (or set CHROMIUM): run `sudo " + how + "`");
    }
    System.out.println("Installing Debian's chromium for the live page test (log: " + log + ")");
    // apt-get update only when the package lists do not know chromium yet.
    String script = "(" + how + " || (apt-get update && " + how + "))";
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("installing chromium took over 15 minutes; see " + log);
    }
    if (p.exitValue() != 0 || !Files.isExecutable(path)) {
      throw new IllegalStateException("could not install chromium (`" + how + "` exited "
          + p.exitValue() + "); see " + log);
    }
  }

  /**
   * Loads {@code url}, lets its scripts run for {@code budgetMillis} of virtual time, saves a
   * screenshot of the given size and returns the page's DOM as it is then.
   */
  public String render(String url, int budgetMillis, Path screenshot, int width, int height,
      Path profile) throws IOException, InterruptedException {
    Files.createDirectories(screenshot.getParent());
    String dom = run(url, budgetMillis, profile.resolve("dom"), "--dump-dom");
    run(url, budgetMillis, profile.resolve("shot"), "--screenshot=" + screenshot,
        "--window-size=" + width + "," + height);
    return dom;
  }

  private String run(String url, int budgetMillis, Path profile, String... extra)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(executable.toString());
    command.addAll(FLAGS);
    command.add("--user-data-dir=" + profile);
    command.add("--virtual-time-budget=" + budgetMillis);
    command.addAll(List.of(extra));
    command.add(url);
    Path out = Files.createTempFile("chromium-", ".out");
    Path err = Files.createTempFile("chromium-", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile())
          .redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("chromium did not finish in 120 s: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("chromium exited " + p.exitValue() + ": "
            + Files.readString(err, StandardCharsets.UTF_8));
      }
      return Files.readString(out, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
