package io.kinfer.tools;

import io.kinfer.service.KinferService;
import io.kinfer.service.ServiceMain;
import io.kinfer.tools.demo.Demo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinfer demo}: everything on the embedded broker, with the shipped samples. */
@Command(header = "Start everything, send the shipped samples, print results and a summary.",
    name = "demo", mixinStandardHelpOptions = true,
    description = {"Start everything on the embedded broker, send the shipped held-out samples",
        "of every modality, print results and a summary (accuracy, events/s, latency), then",
        "exit."})
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--serve", description = "keep serving after the summary until Ctrl-C")
  boolean serve;

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "180",
      description = "longest wait for the results, in seconds (default: ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Override
  public Integer call() throws InterruptedException {
    KinferService service = KinferService.startWithOwnContext();
    try {
      service.awaitRunning(Duration.ofSeconds(120));
      Path samples = Path.of(service.settings().getModelsDir(), "samples");
      new Demo(service, samples, System.out).run(Duration.ofSeconds(timeoutSeconds));
    } catch (RuntimeException | InterruptedException e) {
      service.close();
      throw e;
    }
    if (!serve) {
      service.close();
      return 0;
    }
    System.out.println("\nStill serving at " + service.bootstrapServers()
        + service.managementUrl().map(url -> ", live page, health and metrics at " + url + "/").orElse("")
        + " (--serve). Ctrl-C to stop.");
    ServiceMain.runUntilStopped(service);
    return 0;
  }
}
