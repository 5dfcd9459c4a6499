package io.kinfer.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker inside this JVM, configured for exactly-once on one node
 * (replication factor 1 and min ISR 1 for offsets, transactions and share-group state).
 * Used by {@code kinfer run} when no bootstrap servers are configured, and by the tests.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  /** The log cleaner's dedupe map, on the heap (see {@code start}). */
  static final long DEDUPE_BUFFER_BYTES = 16L << 20;

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;
  private final boolean deleteOnClose;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir,
      boolean deleteOnClose) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
    this.deleteOnClose = deleteOnClose;
  }

  private String secureBootstrapServers;

  /**
   * Formats (first time only) and starts a broker.
   *
   * @param port client port; 0 picks a free one
   * @param dataDir log folder to keep across restarts, or null for a temp folder deleted on close
   */
  public static EmbeddedKafkaBroker start(int port, Path dataDir) {
    return start(port, dataDir, null);
  }

  /**
   * A second, secured listener: SASL_SSL with SCRAM-SHA-512 on {@code port}, with the broker's
   * own key store; the broker then authorizes every request (KRaft's StandardAuthorizer, no
   * ACL = denied). The PLAINTEXT listener stays for the broker itself and for administration:
   * its unauthenticated principal, {@code User:ANONYMOUS}, is a super user. For tests of Kinfer
   * against a secured cluster.
   */
  public record SaslSsl(int port, Path keyStore, String keyStorePassword) {}

  /** The {@link SaslSsl} listener's bootstrap address, once started with one. */
  public String secureBootstrapServers() {
    return secureBootstrapServers;
  }

  /** @param saslSsl a secured listener besides the plain one, or null */
  public static EmbeddedKafkaBroker start(int port, Path dataDir, SaslSsl saslSsl) {
    boolean temporary = dataDir == null;
    try {
      Path dir = temporary ? Files.createTempDirectory("kinfer-kafka-") : dataDir;
      int clientPort = port == 0 ? freeLoopbackPort() : port;
      requireFree(clientPort);
      int controllerPort = freeLoopbackPort();
      String logDir = dir.resolve("data").toString();
      String metadataDir = dir.resolve("metadata").toString();
      Map<String, Object> props = new HashMap<>();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort
          + ",CONTROLLER://127.0.0.1:" + controllerPort);
      props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      props.put("log.dirs", logDir);
      props.put("metadata.log.dir", metadataDir);
      props.put("num.partitions", "4");
      props.put("auto.create.topics.enable", "false");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "4");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "4");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("min.insync.replicas", "1");
      props.put("default.replication.factor", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      // The broker is unfenced at a heartbeat after it registers; a shorter interval than the
      // default 2 s lets that come sooner (no clear change in the start measured here).
      props.put("broker.heartbeat.interval.ms", "200");
      props.put("log.flush.interval.messages", "10000");
      // The log cleaner (compacted changelogs, offsets, transactions) allocates its whole
      // dedupe map on the heap as it starts: 128 MB by default, held for good as humongous
      // regions, a sixth of ./kinfer run's heap. 16 MB maps about 700,000 keys (24 bytes each)
      // per cleaning pass; a log with more is cleaned in more passes.
      props.put("log.cleaner.dedupe.buffer.size", String.valueOf(DEDUPE_BUFFER_BYTES));
      if (saslSsl != null) {
        String secure = "SASL_SSL://127.0.0.1:" + saslSsl.port();
        props.put("listeners", props.get("listeners") + "," + secure);
        props.put("advertised.listeners", props.get("advertised.listeners") + "," + secure);
        props.put("listener.security.protocol.map",
            props.get("listener.security.protocol.map") + ",SASL_SSL:SASL_SSL");
        props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        props.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        props.put("listener.name.sasl_ssl.ssl.keystore.location", saslSsl.keyStore().toString());
        props.put("listener.name.sasl_ssl.ssl.keystore.password", saslSsl.keyStorePassword());
        props.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
        props.put("authorizer.class.name",
            "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        props.put("super.users", "User:ANONYMOUS");
      }
      KafkaConfig config = new KafkaConfig(props, false);

      // Format once; a restart on the same folder keeps its cluster id and log.
      if (!Files.exists(Path.of(metadataDir, "meta.properties"))) {
        new Formatter()
            .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
            .setNodeId(1)
            .setClusterId(Uuid.randomUuid().toString())
            .setDirectories(List.of(logDir, metadataDir))
            .setMetadataLogDirectory(metadataDir)
            .setControllerListenerName("CONTROLLER")
            .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
            .setIgnoreFormatted(true)
            .run();
      }

      long started = System.nanoTime();
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      String bootstrap = "127.0.0.1:" + clientPort;
      LOG.info("Embedded Kafka {} broker (KRaft, single node) started in {} ms at {} (data: {})",
          org.apache.kafka.common.utils.AppInfoParser.getVersion(),
          (System.nanoTime() - started) / 1_000_000, bootstrap, dir);
      createCoordinatorTopics(bootstrap);
      EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(server, bootstrap, dir, temporary);
      if (saslSsl != null) {
        broker.secureBootstrapServers = "127.0.0.1:" + saslSsl.port();
      }
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the embedded broker's folder", e);
    } catch (Exception e) {
      throw new IllegalStateException("embedded Kafka broker failed to start: " + e.getMessage(), e);
    }
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Has the broker create its group and transaction coordinators' topics now, in the
   * background, rather than when the first pipeline joins its group and starts its first
   * transaction: a fresh broker creates {@code __consumer_offsets} and {@code
   * __transaction_state} on the first coordinator lookup of each kind, and the pipelines would
   * wait for both in turn. A lookup that fails costs nothing: the pipelines look up again.
   */
  private static void createCoordinatorTopics(String bootstrap) {
    Thread thread = new Thread(() -> {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          bootstrap, AdminClientConfig.CLIENT_ID_CONFIG, "kinfer-coordinator-topics"))) {
        KafkaFuture<?> groups = admin.describeConsumerGroups(List.of("kinfer-start")).all();
        KafkaFuture<?> transactions = admin.describeTransactions(List.of("kinfer-start")).all();
        for (KafkaFuture<?> lookup : List.of(groups, transactions)) {
          try {
            lookup.get(30, TimeUnit.SECONDS);
          } catch (ExecutionException | TimeoutException e) {
            LOG.debug("coordinator lookup at start: {}", e.getMessage());
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        LOG.debug("coordinator lookup at start", e);
      }
    }, "kinfer-broker-coordinators");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
    LOG.info("Embedded Kafka broker stopped");
    if (deleteOnClose) {
      try (var walk = Files.walk(dataDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        LOG.warn("Could not delete {}: {}", dataDir, e.getMessage());
      }
    }
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }

  /**
   * A port free on 127.0.0.1 now. {@link #freePort} asks the wildcard address, and another
   * process's connection may take the same ephemeral port on loopback before the broker binds
   * it: try again (seen once in a start under load).
   */
  private static int freeLoopbackPort() throws IOException {
    for (int attempt = 1; ; attempt++) {
      int candidate = freePort();
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress("127.0.0.1", candidate));
        return candidate;
      } catch (IOException taken) {
        if (attempt == 10) {
          throw taken;
        }
      }
    }
  }

  private static void requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " is taken, so the embedded Kafka broker"
          + " cannot listen there: stop what uses it, set KINFER_EMBEDDED_PORT to another port"
          + " (0 = any free port), or set KAFKA_BOOTSTRAP_SERVERS to use that Kafka instead");
    }
  }
}
