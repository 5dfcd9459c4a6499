package io.kinfer.service;

import io.kinfer.broker.EmbeddedKafkaBroker;
import io.kinfer.config.KafkaClientSettings;
import io.kinfer.config.KinferSettings;
import io.kinfer.config.PipelineSettings;
import io.kinfer.pipeline.PipelineRunner;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
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

  private KinferService(PipelineRunner pipelines, EmbeddedKafkaBroker broker,
      String bootstrapServers) {
    this.pipelines = pipelines;
    this.broker = broker;
    this.bootstrapServers = bootstrapServers;
  }

  public static KinferService start(ApplicationContext context) {
    KinferSettings settings = context.getBean(KinferSettings.class);
    String bootstrap = context.getBean(KafkaClientSettings.class).bootstrapServers().orElse(null);
    EmbeddedKafkaBroker broker = null;
    if (bootstrap == null) {
      String dataDir = settings.getEmbedded().getDataDir();
      broker = EmbeddedKafkaBroker.start(settings.getEmbedded().getPort(),
          dataDir == null ? null : Path.of(dataDir));
      bootstrap = broker.bootstrapServers();
    }
    KinferService service = new KinferService(context.getBean(PipelineRunner.class), broker,
        bootstrap);
    try {
      service.pipelines.start(bootstrap);
    } catch (RuntimeException e) {
      service.close();
      throw e;
    }
    return service;
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
    return pipelines.states();
  }

  /** Blocks until every pipeline is RUNNING, or fails after {@code timeout}. */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!pipelines.allRunning()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("pipelines not running after " + timeout + ": "
            + pipelines.states());
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() {
    pipelines.close();
    if (broker != null) {
      broker.close();
    }
  }
}
