package io.kinfer.broker;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the topics a pipeline needs when they are missing; existing ones are left alone. */
public final class Topics {

  private static final Logger LOG = LoggerFactory.getLogger(Topics.class);

  private Topics() {}

  /** Room above an input record's size for what a result or a dead letter adds. */
  public static final int HEADROOM = 64 * 1024;

  /** What a topic Kinfer writes must take when inputs reach {@code maxRecordBytes}. */
  public static int maxMessageBytes(int maxRecordBytes) {
    return maxRecordBytes + HEADROOM;
  }

  /** @param wanted topic name → partition count */
  public static void ensure(Properties clientConfig, Map<String, Integer> wanted) {
    ensure(clientConfig, wanted, 0, Set.of());
  }

  /**
   * Creates the missing topics, taking records up to {@code maxMessageBytes} (when positive),
   * and checks that the existing topics in {@code written} (those Kinfer writes) take that
   * much: a start-up error says what to set otherwise.
   *
   * @param wanted topic name → partition count
   */
  public static void ensure(Properties clientConfig, Map<String, Integer> wanted,
      int maxMessageBytes, Set<String> written) {
    try (Admin admin = Admin.create(clientConfig)) {
      Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      List<NewTopic> missing = new ArrayList<>();
      wanted.forEach((name, partitions) -> {
        if (!existing.contains(name)) {
          NewTopic topic = new NewTopic(name, java.util.Optional.of(partitions),
              java.util.Optional.empty());
          if (maxMessageBytes > 0) {
            topic.configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                String.valueOf(maxMessageBytes)));
          }
          missing.add(topic);
        }
      });
      if (maxMessageBytes > 0) {
        checkSizes(admin, written.stream().filter(existing::contains).toList(), maxMessageBytes);
      }
      if (missing.isEmpty()) {
        return;
      }
      for (var entry : admin.createTopics(missing).values().entrySet()) {
        try {
          entry.getValue().get(60, TimeUnit.SECONDS);
          LOG.info("Created topic {}", entry.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
    } catch (ExecutionException | TimeoutException e) {
      if (e.getCause() instanceof SaslAuthenticationException) {
        throw new IllegalStateException("Kafka at " + clientConfig.get("bootstrap.servers")
            + " refused Kinfer's credentials: " + e.getCause().getMessage()
            + "; check kafka.sasl.jaas.config (KAFKA_SASL_JAAS_CONFIG) and kafka.sasl.mechanism",
            e);
      }
      if (e.getCause() instanceof SslAuthenticationException) {
        throw new IllegalStateException("TLS with Kafka at " + clientConfig.get("bootstrap.servers")
            + " failed: " + rootMessage(e.getCause()) + "; check kafka.ssl.truststore.location"
            + " and .password (the broker's certificate must be trusted)", e);
      }
      if (e.getCause() instanceof TopicAuthorizationException
          || e.getCause() instanceof ClusterAuthorizationException) {
        throw new IllegalStateException("not allowed to list or create topics " + wanted.keySet()
            + " at " + clientConfig.get("bootstrap.servers") + ": " + e.getCause().getMessage()
            + "; create them beforehand or grant this principal CREATE", e);
      }
      throw new IllegalStateException("cannot list or create topics " + wanted.keySet() + " at "
          + clientConfig.get("bootstrap.servers") + ": " + e.getMessage()
          + "; is the broker reachable, and may this client create topics?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static void checkSizes(Admin admin, List<String> topics, int maxMessageBytes)
      throws ExecutionException, TimeoutException, InterruptedException {
    if (topics.isEmpty()) {
      return;
    }
    List<ConfigResource> resources = topics.stream()
        .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs;
    try {
      configs = admin.describeConfigs(resources).all().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicAuthorizationException) {
        // A least-privilege principal may not read topic configs: say what to make sure of.
        LOG.warn("Cannot check that {} take records of {} bytes (no DESCRIBE_CONFIGS on them);"
            + " make sure their max.message.bytes is at least that", topics, maxMessageBytes);
        return;
      }
      throw e;
    }
    List<String> small = new ArrayList<>();
    configs.forEach((resource, config) -> {
      ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
      if (entry != null && entry.value() != null
          && Long.parseLong(entry.value()) < maxMessageBytes) {
        small.add(resource.name() + " (" + entry.value() + ")");
      }
    });
    if (!small.isEmpty()) {
      throw new IllegalStateException("topics " + small + " take smaller records than Kinfer"
          + " may write (" + maxMessageBytes + " bytes, from kinfer.limits.max-record-bytes):"
          + " raise them with kafka-configs.sh --alter --entity-type topics --entity-name <topic>"
          + " --add-config max.message.bytes=" + maxMessageBytes
          + ", or lower kinfer.limits.max-record-bytes");
    }
  }
}
