package io.kinfer.config;

import io.micronaut.context.env.Environment;
import io.micronaut.core.naming.conventions.StringConvention;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Kafka client settings from Micronaut's {@code kafka.*} (application.yml, environment such as
 * KAFKA_BOOTSTRAP_SERVERS or KAFKA_SECURITY_PROTOCOL, system properties). Every key is passed to
 * every client Kinfer makes, so TLS and SASL settings work unchanged.
 */
@Singleton
public class KafkaClientSettings {

  private final Environment environment;

  public KafkaClientSettings(Environment environment) {
    this.environment = environment;
  }

  /** Configured bootstrap servers; empty means "start the embedded broker". */
  public Optional<String> bootstrapServers() {
    return environment.getProperty("kafka.bootstrap.servers", String.class)
        .filter(s -> !s.isBlank());
  }

  /** All {@code kafka.*} client properties, with the given bootstrap servers. */
  public Properties clientProperties(String bootstrapServers) {
    Properties properties = new Properties();
    Map<String, Object> raw = environment.getProperties("kafka", StringConvention.RAW);
    raw.forEach((key, value) -> {
      // Kafka's keys are dotted lower case; hyphenated variants are Micronaut's aliases of the
      // same environment variable, and nested sections belong to Micronaut itself.
      if (!key.contains("-") && !key.startsWith("streams") && !key.startsWith("health")
          && value != null && !(value instanceof Map)) {
        properties.put(key, value.toString());
      }
    });
    properties.put("bootstrap.servers", bootstrapServers);
    return properties;
  }
}
