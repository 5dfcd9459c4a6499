package io.kinfer.tools.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One service instance as a child JVM, started like the service jar and killed with SIGKILL. */
public record ServiceInstance(int slot, Process process, Path log, long logStart) {

  static ServiceInstance start(int slot, String bootstrap, Path work, Path modelsDir)
      throws IOException {
    return start(slot, bootstrap, work, modelsDir, List.of("-Xmx1g"));
  }

  /** @param jvmOptions heap and other JVM flags for the child */
  public static ServiceInstance start(int slot, String bootstrap, Path work, Path modelsDir,
      List<String> jvmOptions) throws IOException {
    Path log = work.resolve("instance-" + slot + ".log");
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new java.util.ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
        "io.kinfer.service.ServiceMain"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
    env.put("KINFER_MODELS_DIR", modelsDir.toAbsolutePath().toString());
    env.put("KINFER_STATE_DIR", work.resolve("state-" + slot).toString());
    env.put("MICRONAUT_SERVER_PORT", "-1"); // two instances on one machine
    // A killed member's partitions move after the session timeout: keep it short here.
    env.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
    env.put("KAFKA_HEARTBEAT_INTERVAL_MS", "1500");
    env.put("TF_CPP_MIN_LOG_LEVEL", "2");
    return new ServiceInstance(slot, builder.start(), log, logStart);
  }

  /** Waits until this start's log says its three pipelines are RUNNING. */
  public void awaitRunning(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      byte[] bytes = Files.readAllBytes(log);
      String text = new String(bytes, (int) Math.min(logStart, bytes.length),
          (int) Math.max(0, bytes.length - logStart), StandardCharsets.UTF_8);
      if (text.split(": RUNNING", -1).length - 1 >= ChaosRun.MODALITIES.size()) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("instance " + slot + " did not reach RUNNING within "
        + timeout + "; see " + log);
  }

  void kill() throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
    process.waitFor();
  }

  public void stop() throws InterruptedException {
    process.destroy(); // SIGTERM: the service's shutdown hook closes the streams
    if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
