package io.kinfer.tools;

import io.kinfer.tools.bench.Bench;
import io.kinfer.tools.bench.BenchReport;
import io.kinfer.tools.bench.LatencyBench;
import io.kinfer.tools.bench.Neighbours;
import io.kinfer.tools.bench.PageCost;
import io.kinfer.tools.bench.StartupBench;
import io.kinfer.tools.config.ToolSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kinfer bench}: the model alone against the pipeline, side by side. */
@Command(header = "Measure the model alone against the whole pipeline, side by side.",
    name = "bench", mixinStandardHelpOptions = true,
    description = {"Per modality, in one process: the model alone at batch 1 and each B and the",
        "pipeline with max-batch 1 and each B, each after warm-up until the JIT settles (at",
        "most 90 s; the pipeline by whole turns with the model alone, as measured); each model figure and its pipeline counterpart are measured in turns R",
        "times (medians kept). Prints events/s, latency p50/p99, how busy the model was, the",
        "ratios at the best batch size (each the median of the turns' own ratios), and CPU per",
        "event by thread group against the model alone; writes them as JSON and a PNG chart into the --out folder. --latency and",
        "--startup measure latency at a normal rate and the service's start instead;",
        "--neighbours what a busy neighbour thread costs the model alone."})
final class BenchCommand implements Callable<Integer> {

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--events", paramLabel = "N", defaultValue = "8000",
      description = "events per figure (default: ${DEFAULT-VALUE})")
  int events;

  @Option(names = "--batch", paramLabel = "B", defaultValue = "32", split = ",",
      description = "the batch sizes compared with 1, for example 8,32,64 (default:"
          + " ${DEFAULT-VALUE}); --latency and --page-cost use the largest")
  List<Integer> batches;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "target/bench",
      description = "where the results go as JSON and PNG charts (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--modality", paramLabel = "M", split = ",",
      description = "image, audio and/or text (default: all three)")
  List<String> modalities = List.of("image", "audio", "text");

  @Option(names = "--no-metrics",
      description = "run the pipeline with its metrics off (to measure what they cost)")
  boolean noMetrics;

  @Option(names = "--page-cost",
      description = "instead: the pipeline at max-batch B without and with the live page open"
          + " (its feed read once a second), in turns")
  boolean pageCost;

  @Option(names = "--neighbours",
      description = "instead: the model alone at max-batch B from one thread and from two,"
          + " without and with a neighbour thread busy 30%% of the time, in turns")
  boolean neighbours;

  @Option(names = "--latency",
      description = "instead: end-to-end p50/p99 with events sent open loop at 10, 50, 70 and"
          + " 90%% of the pipeline's peak; 10%% with send-when-idle=false; 10 and 70%% with"
          + " punctual-commits=false and with early-commit=true; writes them as JSON and a PNG"
          + " chart into the --out folder")
  boolean latency;

  @Option(names = "--startup",
      description = "instead: start ./kinfer run N times (--starts) and measure the time from"
          + " the command to every pipeline RUNNING, with the phases the service logs")
  boolean startup;

  @Option(names = "--redraw",
      description = "instead: draw the charts again from the JSON files in the --out folder")
  boolean redraw;

  @Option(names = "--starts", paramLabel = "N", defaultValue = "5",
      description = "--startup: measured starts after one unmeasured (default: ${DEFAULT-VALUE})")
  int starts;

  @Option(names = "--seconds", paramLabel = "S", defaultValue = "10",
      description = "--latency: seconds of events per load (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--commit-interval", paramLabel = "MS", defaultValue = "100",
      description = "--latency: the pipelines' commit interval (default: ${DEFAULT-VALUE})")
  long commitMs;

  @Option(names = "--service", paramLabel = "HOST:PORT",
      description = "--latency: measure a service already running in a process of its own"
          + " (e.g. ./kinfer run, whose embedded broker is 127.0.0.1:9092) through this broker,"
          + " with the service's own settings (then --commit-interval should match them);"
          + " without the variants")
  String service;

  @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
      description = "turns per pair of figures (default: ${DEFAULT-VALUE})")
  int repeats;

  @Override
  public Integer call() throws Exception {
    Path models;
    try (ToolSettings settings = ToolSettings.load()) {
      models = settings.modelsDir();
    }
    if (service != null && !latency) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--service measures a running service's latency: use it with --latency");
    }
    int batch = batches.stream().max(Integer::compare).orElse(32);
    BenchReport report = new BenchReport(out, System.out);
    if (redraw) {
      report.redraw();
    } else if (startup) {
      report.startup(new StartupBench(Path.of(System.getProperty("kinfer.launcher", "kinfer"))
          .toAbsolutePath(), System.out).run(starts));
    } else if (latency) {
      report.latency(new LatencyBench(models, batch, Duration.ofSeconds(seconds), System.out)
          .withCommitInterval(commitMs).withService(service).run(modalities), commitMs,
          seconds);
    } else if (neighbours) {
      new Neighbours(models, events, batch, repeats, System.out).run(modalities);
    } else if (pageCost) {
      new PageCost(models, events, batch, repeats, System.out).run(modalities);
    } else {
      report.throughput(new Bench(models, events, batches, repeats, System.out)
          .withMetrics(!noMetrics).run(modalities), events, repeats);
    }
    return 0;
  }
}
