package io.kinfer.tools;

import io.kinfer.tools.chaos.ChaosRun;
import io.kinfer.tools.config.ToolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinfer chaos}: kill -9 the service while events flow; count what was lost. */
@Command(header = "Crash test: SIGKILL the service while events flow; count lost and duplicated.",
    name = "chaos", mixinStandardHelpOptions = true,
    description = {"Crash test: the broker here, the service as child JVMs that are SIGKILLed",
        "K times while M events flow; reports lost, duplicated, dead-lettered and enriched",
        "events. Exit 1 if any is lost or duplicated."})
final class ChaosCommand implements Callable<Integer> {

  @Option(names = "--events", paramLabel = "M", defaultValue = "20000",
      description = "events to send (default: ${DEFAULT-VALUE})")
  int events;

  @Option(names = "--kills", paramLabel = "K", defaultValue = "10",
      description = "SIGKILLs while events flow (default: ${DEFAULT-VALUE})")
  int kills;

  @Option(names = "--instances", paramLabel = "N", defaultValue = "1",
      description = "service instances sharing the work (default: ${DEFAULT-VALUE})")
  int instances;

  @Option(names = "--bounce-broker", description = "also restart the broker once")
  boolean bounce;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
      description = "random seed of events and kill times (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    Path models;
    try (ToolSettings settings = ToolSettings.load()) {
      models = settings.modelsDir();
    }
    ChaosRun.Report report = new ChaosRun(new ChaosRun.Options(events, kills, bounce, instances,
        0.02, seed, models, Duration.ofMinutes(10)), System.out).run();
    System.out.println("chaos: " + report.summary());
    report.examples().forEach(e -> System.out.println("  " + e));
    System.out.println(report.clean() ? "chaos: OK, nothing lost or duplicated"
        : "chaos: FAILED");
    return report.clean() ? 0 : 1;
  }
}
