package io.kinfer.tools.config;

import io.kinfer.config.KafkaClientSettings;
import io.kinfer.config.KinferSettings;
import io.kinfer.models.TensorFlowNatives;
import io.micronaut.context.ApplicationContext;
import io.kinfer.config.RegistrySettings;
import io.kinfer.wire.WireFormat;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Settings for the tools, read the way the service reads its own: Micronaut's application.yml,
 * environment variables (KAFKA_BOOTSTRAP_SERVERS, KINFER_MODELS_DIR, ...) and -D properties.
 */
public final class ToolSettings implements AutoCloseable {

  private final ApplicationContext context;

  private ToolSettings(ApplicationContext context) {
    this.context = context;
  }

  public static ToolSettings load() {
    // Read settings only: no health monitor, whose scheduling would race the quick close.
    return new ToolSettings(ApplicationContext.builder().deduceEnvironment(false)
        .properties(java.util.Map.of("micronaut.health.monitor.enabled", false)).start());
  }

  public Path modelsDir() {
    return Path.of(context.getBean(KinferSettings.class).getModelsDir());
  }

  /** Where TensorFlow's natives and training data are cached (kinfer.cache-dir). */
  public Path cacheDir() {
    String configured = context.getBean(KinferSettings.class).getCacheDir();
    return configured != null ? Path.of(configured) : TensorFlowNatives.defaultCacheRoot();
  }

  /** The configured bootstrap servers, else the embedded broker's address on this machine. */
  public String bootstrapServers() {
    return context.getBean(KafkaClientSettings.class).bootstrapServers().orElse("127.0.0.1:"
        + context.getBean(KinferSettings.class).getEmbedded().getPort());
  }

  /** Every {@code kafka.*} client setting (TLS and SASL included), for a producer or consumer. */
  public Properties clientProperties() {
    return context.getBean(KafkaClientSettings.class).clientProperties(bootstrapServers());
  }

  /** How produce frames events and consume reads results: as the service does. */
  public WireFormat wireFormat() {
    return WireFormat.of(context.getBean(KinferSettings.class),
        context.getBean(RegistrySettings.class));
  }

  @Override
  public void close() {
    context.close();
  }
}
