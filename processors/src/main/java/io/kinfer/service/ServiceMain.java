package io.kinfer.service;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service jar's entry point ({@code java -jar kinfer.jar}): starts the service with the
 * configuration Micronaut finds (application.yml, environment, system properties), prints
 * where it listens, and runs until the process is stopped.
 */
public final class ServiceMain {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceMain.class);

  private ServiceMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length > 1 || (args.length == 1 && !args[0].equals("run"))) {
      System.err.println("kinfer service: takes no arguments (or 'run'); configure it with"
          + " application.yml, environment variables or -D properties");
      System.exit(2);
    }
    int status = serve();
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Starts the service, waits for its pipelines, prints the banner and serves until the JVM
   * stops. Returns 1 at once (with the reason on stderr) when the start fails or a pipeline
   * stops while starting, such as for a missing ACL; a slow start is only logged (readiness
   * reports it).
   */
  public static int serve() throws InterruptedException {
    KinferService service;
    try {
      service = KinferService.startWithOwnContext();
    } catch (RuntimeException e) {
      System.err.println("kinfer: " + e.getMessage());
      return 1;
    }
    try {
      service.awaitRunning(START_WAIT);
    } catch (KinferService.PipelineStoppedException e) {
      System.err.println("kinfer: " + e.getMessage());
      service.close();
      return 1;
    } catch (IllegalStateException e) {
      LOG.warn("Not every pipeline runs after {}: {}", START_WAIT, e.getMessage());
    }
    service.startup().ifPresent(t -> LOG.info(t.describe()));
    printBanner(service, System.out);
    runUntilStopped(service);
    return 0;
  }

  private static final java.time.Duration START_WAIT = java.time.Duration.ofMinutes(3);

  /** What runs where, and how to try it. */
  public static void printBanner(KinferService service, PrintStream out) {
    StringBuilder banner = new StringBuilder("\nKinfer is running. Kafka bootstrap: ")
        .append(service.bootstrapServers())
        .append(service.embeddedBroker() ? " (embedded broker)" : "").append('\n');
    service.managementUrl().ifPresent(url -> banner.append("Live page: ").append(url)
        .append("/   health: ").append(url).append("/health/readiness   metrics: ").append(url)
        .append("/prometheus\n"));
    service.enabledPipelines().forEach(p -> banner.append(String.format(
        "  %-6s %s -> %s   dead letters: %s   model: %s%n", p.getName(), p.getInputTopic(),
        p.getOutputTopic(), p.getDeadLetterTopic(), p.getModel())));
    banner.append("Try: ./kinfer produce text <<< 'a dog barking'   and   ./kinfer consume "
        + "text.enriched --from-beginning\nCtrl-C to stop.\n");
    out.println(banner);
  }

  /** Blocks until the JVM shuts down, then stops the service (pipelines, then the broker). */
  public static void runUntilStopped(KinferService service) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping: pipelines first, then the broker");
      service.close();
      stopped.countDown();
    }, "kinfer-shutdown"));
    stopped.await();
  }
}
