package io.kinfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Confluent's Python client ({@code confluent-kafka}, its {@code AvroSerializer} and
 * {@code AvroDeserializer}) for interoperability tests: Debian's {@code python3-confluent-kafka}
 * and {@code python3-requests} with Debian's Python, plus {@code fastavro} in
 * {@code target/python}. Installed when missing (as root; otherwise the test fails saying what
 * to install).
 */
public final class PythonKafkaClient {

  private static final String PYTHON = "/usr/bin/python3";
  private static final Path LIBRARIES = Path.of("target/python").toAbsolutePath();
  private static final String CHECK =
      "import confluent_kafka.schema_registry.avro, fastavro, requests";

  private PythonKafkaClient() {}

  /** The client, installing what it needs first. */
  public static synchronized PythonKafkaClient find(Path logDir)
      throws IOException, InterruptedException {
    if (run(List.of(PYTHON, "-c", CHECK), Path.of("/dev/null"), 60) != 0) {
      install(logDir);
    }
    return new PythonKafkaClient();
  }

  private static void install(Path logDir) throws IOException, InterruptedException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve("python-kafka-install.log");
    String apt = "apt-get install -y --no-install-recommends python3-confluent-kafka"
        + " python3-requests";
    String pip = "pip install --quiet --disable-pip-version-check --only-binary=:all:"
        + " --python-version 3.11 --target " + LIBRARIES + " fastavro";
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException("the registry interop test needs Confluent's Python"
          + " client: run `sudo " + apt + "` and `" + pip + "`");
    }
    System.out.println("Installing Confluent's Python client for the registry test (log: "
        + log + ")");
    String script = "set -x; (" + apt + " || (apt-get update && " + apt + ")) && " + pip;
    if (run(List.of("bash", "-c", script), log, 900) != 0
        || run(List.of(PYTHON, "-c", CHECK), log, 60) != 0) {
      throw new IllegalStateException("could not install Confluent's Python client; see "
          + log);
    }
  }

  /**
   * Runs {@code script} with the client's libraries; returns its standard output, or fails
   * with all it printed when it exits non-zero or outlives {@code timeoutSeconds}.
   */
  public String run(Path script, int timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("python-client", ".out");
    try {
      int status = run(command, out, timeoutSeconds);
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      if (status != 0) {
        throw new IllegalStateException(script.getFileName() + " " + String.join(" ", args)
            + " exited " + status + ":\n" + printed);
      }
      return printed;
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static int run(List<String> command, Path output, int timeoutSeconds)
      throws IOException, InterruptedException {
    return ChildProcess.run(command, Map.of("PYTHONPATH", LIBRARIES.toString(),
        "PYTHONDONTWRITEBYTECODE", "1"), output, timeoutSeconds);
  }
}
