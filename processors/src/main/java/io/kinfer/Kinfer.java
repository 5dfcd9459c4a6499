package io.kinfer;

import io.kinfer.broker.EmbeddedKafkaBroker;
import io.kinfer.cli.Cli;
import io.kinfer.config.KafkaClientSettings;
import io.kinfer.config.KinferSettings;
import io.kinfer.models.ModelsCli;
import io.kinfer.pipeline.PipelineRunner;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code kinfer} command: run, produce, consume, models. */
public final class Kinfer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Kinfer.class);

  private final ApplicationContext context;
  private final PipelineRunner pipelines;
  private final EmbeddedKafkaBroker broker;
  private final String bootstrapServers;

  private Kinfer(ApplicationContext context, PipelineRunner pipelines, EmbeddedKafkaBroker broker,
      String bootstrapServers) {
    this.context = context;
    this.pipelines = pipelines;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * Starts the service in a started application context: the embedded broker when no bootstrap
   * servers are configured, then every enabled pipeline. Closing stops streams, then the broker.
   */
  public static Kinfer start(ApplicationContext context) {
    KinferSettings settings = context.getBean(KinferSettings.class);
    String configured = context.getBean(KafkaClientSettings.class).bootstrapServers().orElse(null);
    EmbeddedKafkaBroker broker = null;
    String bootstrap = configured;
    if (configured == null) {
      String dataDir = settings.getEmbedded().getDataDir();
      broker = EmbeddedKafkaBroker.start(settings.getEmbedded().getPort(),
          dataDir == null ? null : Path.of(dataDir));
      bootstrap = broker.bootstrapServers();
    }
    PipelineRunner pipelines = context.getBean(PipelineRunner.class);
    Kinfer kinfer = new Kinfer(context, pipelines, broker, bootstrap);
    try {
      pipelines.start(bootstrap);
    } catch (RuntimeException e) {
      kinfer.close();
      throw e;
    }
    return kinfer;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public PipelineRunner pipelines() {
    return pipelines;
  }

  @Override
  public void close() {
    pipelines.close();
    if (broker != null) {
      broker.close();
    }
  }

  public static void main(String[] args) {
    List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
    String command = args.length == 0 ? "help" : args[0];
    int code;
    try {
      code = switch (command) {
        case "run" -> run();
        case "demo" -> demo(rest);
        case "chaos" -> chaos(rest);
        case "bench" -> bench(rest);
        case "produce" -> Cli.produce(rest);
        case "consume" -> Cli.consume(rest);
        case "models" -> {
          ModelsCli.main(rest.toArray(String[]::new));
          yield 0;
        }
        case "help", "--help", "-h" -> {
          System.out.print(Cli.USAGE);
          yield 0;
        }
        default -> throw new Cli.UsageException("unknown command '" + command + "'");
      };
    } catch (Cli.UsageException e) {
      System.err.println("kinfer: " + e.getMessage());
      System.err.print(Cli.USAGE);
      code = 2;
    } catch (Exception e) {
      LOG.debug("failed", e);
      System.err.println("kinfer: " + e.getMessage());
      code = 1;
    }
    System.exit(code);
  }

  private static int demo(List<String> args) throws InterruptedException {
    boolean serve = args.contains("--serve");
    long timeoutSeconds = 180;
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--timeout") && i + 1 < args.size()) {
        timeoutSeconds = Long.parseLong(args.get(i + 1));
      }
    }
    ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start();
    Kinfer kinfer = startOrClose(context);
    try {
      kinfer.awaitRunning(java.time.Duration.ofSeconds(120));
      Path samples = Path.of(context.getBean(KinferSettings.class).getModelsDir(), "samples");
      new io.kinfer.demo.Demo(kinfer, samples, System.out)
          .run(java.time.Duration.ofSeconds(timeoutSeconds));
    } catch (RuntimeException e) {
      kinfer.close();
      context.close();
      throw e;
    }
    if (!serve) {
      kinfer.close();
      context.close();
      return 0;
    }
    System.out.println("\nStill serving at " + kinfer.bootstrapServers() + " (--serve). Ctrl-C to stop.");
    return serveUntilStopped(context, kinfer);
  }

  private static int bench(List<String> args) throws Exception {
    int events = 8_000;
    int batch = 32;
    int repeats = 3;
    List<String> modalities = List.of("image", "audio", "text");
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--events" -> events = Integer.parseInt(args.get(++i));
        case "--batch" -> batch = Integer.parseInt(args.get(++i));
        case "--modality" -> modalities = List.of(args.get(++i));
        case "--repeats" -> repeats = Integer.parseInt(args.get(++i));
        default -> throw new Cli.UsageException("unknown bench option " + args.get(i));
      }
    }
    new io.kinfer.bench.Bench(Path.of(System.getProperty("kinfer.models-dir", "models")),
        events, batch, repeats, System.out).run(modalities);
    return 0;
  }

  private static int chaos(List<String> args) throws Exception {
    int events = 20_000;
    int kills = 10;
    int instances = 1;
    boolean bounce = false;
    long seed = 1;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--events" -> events = Integer.parseInt(args.get(++i));
        case "--kills" -> kills = Integer.parseInt(args.get(++i));
        case "--instances" -> instances = Integer.parseInt(args.get(++i));
        case "--bounce-broker" -> bounce = true;
        case "--seed" -> seed = Long.parseLong(args.get(++i));
        default -> throw new Cli.UsageException("unknown chaos option " + args.get(i));
      }
    }
    String modelsDir = System.getProperty("kinfer.models-dir", "models");
    var report = new io.kinfer.chaos.ChaosRun(new io.kinfer.chaos.ChaosRun.Options(events, kills,
        bounce, instances, 0.02, seed, Path.of(modelsDir), java.time.Duration.ofMinutes(10)),
        System.out).run();
    System.out.println("chaos: " + report.summary());
    report.examples().forEach(e -> System.out.println("  " + e));
    System.out.println(report.clean() ? "chaos: OK, nothing lost or duplicated"
        : "chaos: FAILED");
    return report.clean() ? 0 : 1;
  }

  /** {@link #start}, closing the context when the start fails. */
  private static Kinfer startOrClose(ApplicationContext context) {
    try {
      return start(context);
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  /** Blocks until every pipeline is RUNNING, or fails after {@code timeout}. */
  public void awaitRunning(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pipelines.allRunning()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pipelines not running after " + timeout + ": "
            + pipelines.states());
      }
      Thread.sleep(100);
    }
  }

  private static int run() throws InterruptedException {
    ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start();
    Kinfer kinfer = startOrClose(context);
    StringBuilder banner = new StringBuilder("\nKinfer is running. Kafka bootstrap: ")
        .append(kinfer.bootstrapServers())
        .append(kinfer.broker != null ? " (embedded broker)" : "").append('\n');
    kinfer.pipelines().enabledPipelines().forEach(p -> banner.append(String.format(
        "  %-6s %s -> %s   dead letters: %s   model: %s%n", p.getName(), p.getInputTopic(),
        p.getOutputTopic(), p.getDeadLetterTopic(), p.getModel())));
    banner.append("Try: ./kinfer produce text <<< 'a dog barking'   and   ./kinfer consume "
        + "text.enriched --from-beginning\nCtrl-C to stop.\n");
    System.out.println(banner);
    return serveUntilStopped(context, kinfer);
  }

  private static int serveUntilStopped(ApplicationContext context, Kinfer kinfer)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("Stopping: pipelines first, then the broker");
      kinfer.close();
      context.close();
      stopped.countDown();
    }, "kinfer-shutdown"));
    stopped.await();
    return 0;
  }
}
