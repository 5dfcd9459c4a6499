package io.kinfer.service;

import io.kinfer.broker.EmbeddedKafkaBroker;
import io.kinfer.config.KafkaClientSettings;
import io.kinfer.config.KinferSettings;
import io.kinfer.config.PipelineSettings;
import io.kinfer.pipeline.PipelineRunner;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URL;
import java.util.Optional;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The running service: the embedded broker when no bootstrap servers are configured, then every
 * enabled pipeline. {@link #start} starts it in a started application context; {@link #close}
 * stops the pipelines, then the broker.
 */
public final class KinferService implements AutoCloseable {

  private final PipelineRunner pipelines;
  private final EmbeddedKafkaBroker broker;
  private final String bootstrapServers;
  private final KinferSettings settings;
  private EmbeddedServer management;
  private ApplicationContext ownContext;
  /** Context ready, broker ready, models ready, streams started (ms since the JVM started). */
  private long[] started;
  private StartupTimeline startup;

  private KinferService(PipelineRunner pipelines, EmbeddedKafkaBroker broker,
      String bootstrapServers, KinferSettings settings) {
    this.pipelines = pipelines;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
    this.settings = settings;
  }

  /**
   * Starts the service in an application context of its own, configured the usual way
   * (application.yml, environment, system properties); {@link #close} closes it too.
   */
  public static KinferService startWithOwnContext() {
    ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).start();
    try {
      KinferService service = start(context);
      service.ownContext = context;
      return service;
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  public static KinferService start(ApplicationContext context) {
    long contextMs = StartupTimeline.now();
    JitPriority.lower();
    long brokerMs = 0;
    long topicsMs = 0;
    long modelsMs;
    KinferSettings settings = context.getBean(KinferSettings.class);
    String bootstrap = context.getBean(KafkaClientSettings.class).bootstrapServers().orElse(null);
    PipelineRunner pipelines = context.getBean(PipelineRunner.class);
    EmbeddedKafkaBroker broker = null;
    if (bootstrap == null) {
      // The models load (natives, SavedModels, warm-up) while the broker starts and the
      // topics are created.
      Preparing preparing = new Preparing(pipelines);
      preparing.start();
      try {
        String dataDir = settings.getEmbedded().getDataDir();
        broker = EmbeddedKafkaBroker.start(settings.getEmbedded().getPort(),
            dataDir == null ? null : Path.of(dataDir));
        brokerMs = StartupTimeline.now();
        pipelines.ensureTopics(broker.bootstrapServers());
        topicsMs = StartupTimeline.now();
        modelsMs = preparing.await();
      } catch (RuntimeException | Error e) {
        preparing.awaitQuietly();
        if (broker != null) {
          broker.close();
        }
        throw e;
      }
      bootstrap = broker.bootstrapServers();
    } else {
      pipelines.prepare();
      modelsMs = StartupTimeline.now();
    }
    KinferService service = new KinferService(pipelines, broker, bootstrap, settings);
    try {
      service.pipelines.start(bootstrap);
      service.started = new long[] {contextMs, brokerMs, topicsMs, modelsMs,
          StartupTimeline.now()};
      if (settings.getManagement().isEnabled()) {
        service.management = startManagement(context);
      }
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /** {@link PipelineRunner#prepare} on a thread of its own, while the broker starts. */
  private static final class Preparing extends Thread {
    private final PipelineRunner pipelines;
    private volatile Throwable failure;
    private volatile long doneMs;

    Preparing(PipelineRunner pipelines) {
      super("kinfer-prepare");
      this.pipelines = pipelines;
      setDaemon(true);
    }

    @Override
    public void run() {
      try {
        pipelines.prepare();
        doneMs = StartupTimeline.now();
      } catch (RuntimeException | Error e) {
        failure = e;
      }
    }

    /** @return when the models were ready (ms since the JVM started); rethrows a failure */
    long await() {
      awaitQuietly();
      if (failure instanceof RuntimeException r) {
        throw r;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return doneMs;
    }

    void awaitQuietly() {
      try {
        join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the models loaded", e);
      }
    }
  }

  private static EmbeddedServer startManagement(ApplicationContext context) {
    EmbeddedServer server = context.getBean(EmbeddedServer.class);
    try {
      server.start();
    } catch (RuntimeException e) {
      throw new IllegalStateException("the management port cannot start on "
          + context.getProperty("micronaut.server.host", String.class).orElse("*") + ":"
          + context.getProperty("micronaut.server.port", String.class).orElse("8081") + " ("
          + e.getMessage() + "); set MICRONAUT_SERVER_PORT to a free port (-1: any), or"
          + " KINFER_MANAGEMENT_ENABLED=false to run without it", e);
    }
    return server;
  }

  /** Where health and metrics are served, e.g. http://127.0.0.1:8081; empty when off. */
  public Optional<URL> managementUrl() {
    return Optional.ofNullable(management).map(EmbeddedServer::getURL);
  }

  /** The {@code kinfer.*} settings it runs with. */
  public KinferSettings settings() {
    return settings;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Whether this service runs its own in-JVM broker. */
  public boolean embeddedBroker() {
    return broker != null;
  }

  public List<PipelineSettings> enabledPipelines() {
    return pipelines.enabledPipelines();
  }

  /** Each started pipeline's Kafka Streams state, by pipeline name. */
  public Map<String, KafkaStreams.State> states() {
    Map<String, KafkaStreams.State> states = new LinkedHashMap<>();
    pipelines.statuses().forEach(s -> states.put(s.name(), s.state()));
    return states;
  }

  /** Why each pipeline that stopped with an error stopped, by pipeline name. */
  public Map<String, String> failures() {
    Map<String, String> failures = new LinkedHashMap<>();
    pipelines.statuses().stream().filter(s -> s.failure() != null)
        .forEach(s -> failures.put(s.name(), s.failure()));
    return failures;
  }

  /**
   * Where the start's time went, once {@link #awaitRunning} has returned; empty before, or when
   * the service was not started by {@link #start}.
   */
  public Optional<StartupTimeline> startup() {
    return Optional.ofNullable(startup);
  }

  /** Blocks until every pipeline is RUNNING, or fails after {@code timeout}. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pipelines.allRunning()) {
      for (PipelineRunner.PipelineStatus status : pipelines.statuses()) {
        if (status.failure() != null) {
          throw new PipelineStoppedException("pipeline " + status.name() + " stopped while"
              + " starting: " + status.failure());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pipelines not running after " + timeout + ": "
            + states());
      }
      Thread.sleep(20);
    }
    if (started != null && startup == null) {
      startup = new StartupTimeline(started[0], started[1], started[2], started[3], started[4],
          StartupTimeline.now());
    }
  }

  /** A pipeline stopped with an error before all were running. */
  public static final class PipelineStoppedException extends IllegalStateException {
    PipelineStoppedException(String message) {
      super(message);
    }
  }

  @Override
  public void close() {
    if (management != null) {
      management.stop();
    }
    pipelines.close();
    if (broker != null) {
      broker.close();
    }
    if (ownContext != null) {
      ownContext.close();
    }
  }
}
