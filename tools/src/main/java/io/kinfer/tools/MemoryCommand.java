package io.kinfer.tools;

import io.kinfer.tools.config.ToolSettings;
import io.kinfer.tools.memory.MemoryRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinfer memory}: the service's resident memory idle, under load and under attack. */
@Command(header = "Measure the service's memory: idle, under steady load, under hostile input.",
    name = "memory", mixinStandardHelpOptions = true,
    description = {"Starts the service as a child JVM with the memory budget's flags against a",
        "broker here, and reads its resident memory from /proc every 100 ms: idle, under a",
        "steady load of held-out samples, and while a hostile corpus goes through (bombs,",
        "lying headers, records at and over the size limit, the longest audio and text).",
        "Exit 1 when the peak under hostile input is more than 150 MB above idle, a hostile",
        "record gets no outcome, or the service dies."})
final class MemoryCommand implements Callable<Integer> {

  /**
   * The memory budget: the Docker images' flags (the launcher's run and demo: 256 MiB more heap
   * for the broker, and no pre-touch).
   */
  static final String BUDGET = "-Xms512m -Xmx512m -XX:+AlwaysPreTouch"
      + " -XX:MaxMetaspaceSize=192m -XX:ReservedCodeCacheSize=128m -Xss1m";

  @Option(names = "--jvm", paramLabel = "FLAGS", defaultValue = BUDGET,
      description = "the service JVM's flags (default: the budget, ${DEFAULT-VALUE})")
  String jvm;

  @Option(names = "--steady-seconds", paramLabel = "S", defaultValue = "30",
      description = "seconds of steady load (default: ${DEFAULT-VALUE})")
  int steadySeconds;

  @Option(names = "--rate", paramLabel = "R", defaultValue = "100",
      description = "events per second per modality under steady load (default: ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--hostile-rounds", paramLabel = "N", defaultValue = "5",
      description = "times the hostile corpus is sent (default: ${DEFAULT-VALUE})")
  int rounds;

  @Override
  public Integer call() throws Exception {
    Path models;
    try (ToolSettings settings = ToolSettings.load()) {
      models = settings.modelsDir();
    }
    List<String> flags = Arrays.stream(jvm.trim().split("\\s+")).toList();
    MemoryRun.Report report = new MemoryRun(new MemoryRun.Options(flags, steadySeconds, rate,
        rounds, models), System.out).run();
    return report.withinBudget() ? 0 : 1;
  }
}
