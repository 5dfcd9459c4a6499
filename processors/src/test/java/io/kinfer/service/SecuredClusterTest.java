package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Certificates;
import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.broker.EmbeddedKafkaBroker;
import io.kinfer.broker.Topics;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.TextEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kinfer against a secured cluster: the in-JVM broker with a SASL_SSL listener (SCRAM-SHA-512,
 * a certificate made by keytool for this test) and an authorizer that denies what no ACL
 * allows. The three exactly-once pipelines run as {@code User:kinfer}, which holds exactly the
 * ACLs the README lists, on topics an administrator created. Results and dead letters arrive
 * as on the embedded broker; a wrong password and an untrusted certificate fail the start with
 * one clear line.
 */
@Timeout(600)
class SecuredClusterTest {

  private static final String PASSWORD = "kinfer-secret-for-the-test";
  private static final List<String> MODALITIES = List.of("image", "audio", "text");

  @TempDir static Path tmp;
  private static EmbeddedKafkaBroker broker;
  private static Path trustStore;

  @BeforeAll
  static void startSecuredBroker() throws Exception {
    Path keyStore = tmp.resolve("broker.p12");
    Certificates.selfSigned(keyStore, "broker", "localhost", "dns:localhost,ip:127.0.0.1");
    trustStore = tmp.resolve("trust.p12");
    Certificates.trustStore(keyStore, "broker", trustStore);
    broker = EmbeddedKafkaBroker.start(0, tmp.resolve("broker"), new EmbeddedKafkaBroker.SaslSsl(
        EmbeddedKafkaBroker.freePort(), keyStore, Certificates.PASSWORD));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("kinfer",
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
          .all().get(60, TimeUnit.SECONDS);
      List<NewTopic> topics = new ArrayList<>();
      for (String m : MODALITIES) {
        for (String topic : List.of(m + ".events", m + ".enriched", m + ".dead-letters")) {
          topics.add(new NewTopic(topic, 2, (short) 1).configs(Map.of(
              TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(Topics.maxMessageBytes(4 << 20)))));
        }
      }
      admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
      admin.createAcls(kinferAcls("User:kinfer", null)).all().get(60, TimeUnit.SECONDS);
      // A second principal with every ACL but one: reading its consumer groups.
      admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("lacking",
          new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
          .all().get(60, TimeUnit.SECONDS);
      admin.createAcls(kinferAcls("User:lacking", ResourceType.GROUP))
          .all().get(60, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.close();
    }
  }

  /**
   * Exactly the README's list ("Connect to a secured cluster") for {@code principal}, but for
   * the ACLs on {@code without} resources (null: none left out).
   */
  static List<AclBinding> kinferAcls(String principal, ResourceType without) {
    List<AclBinding> acls = new ArrayList<>();
    for (String m : MODALITIES) {
      allow(acls, ResourceType.TOPIC, m + ".events", PatternType.LITERAL,
          AclOperation.READ, AclOperation.DESCRIBE);
      for (String out : List.of(m + ".enriched", m + ".dead-letters")) {
        allow(acls, ResourceType.TOPIC, out, PatternType.LITERAL,
            AclOperation.WRITE, AclOperation.DESCRIBE);
      }
    }
    // The pipelines' internal topics (the batch buffer's changelog), consumer groups and
    // transactional ids all start with kinfer.application-id-prefix and a dash.
    allow(acls, ResourceType.TOPIC, "kinfer-", PatternType.PREFIXED, AclOperation.CREATE,
        AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
        AclOperation.DESCRIBE_CONFIGS);
    allow(acls, ResourceType.GROUP, "kinfer-", PatternType.PREFIXED, AclOperation.READ,
        AclOperation.DESCRIBE);
    allow(acls, ResourceType.TRANSACTIONAL_ID, "kinfer-", PatternType.PREFIXED,
        AclOperation.WRITE, AclOperation.DESCRIBE);
    return acls.stream()
        .filter(a -> a.pattern().resourceType() != without)
        .map(a -> new AclBinding(a.pattern(), new AccessControlEntry(principal, "*",
            a.entry().operation(), AclPermissionType.ALLOW)))
        .toList();
  }

  private static void allow(List<AclBinding> acls, ResourceType type, String name,
      PatternType pattern, AclOperation... operations) {
    for (AclOperation op : operations) {
      acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
          new AccessControlEntry("User:kinfer", "*", op, AclPermissionType.ALLOW)));
    }
  }

  private static Map<String, Object> kafka(String password, Path trust) {
    return kafka("kinfer", password, trust);
  }

  private static Map<String, Object> kafka(String user, String password, Path trust) {
    Map<String, Object> props = new HashMap<>();
    props.put("kafka.bootstrap.servers", broker.secureBootstrapServers());
    props.put("kafka.security.protocol", "SASL_SSL");
    props.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
    props.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule"
        + " required username=\"" + user + "\" password=\"" + password + "\";");
    props.put("kafka.ssl.truststore.location", trust.toString());
    props.put("kafka.ssl.truststore.password", Certificates.PASSWORD);
    props.put("kafka.ssl.truststore.type", "PKCS12");
    return props;
  }

  @Test
  void theThreeExactlyOncePipelinesRunWithExactlyTheListedAcls() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
        org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try (TestService running = TestService.start(tmp.resolve("state"),
        kafka(PASSWORD, trustStore))) {
      Set<String> sent = new HashSet<>();
      Properties props = new Properties();
      props.put("bootstrap.servers", broker.bootstrapServers()); // an administrator's producer
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
          new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 3; i++) {
          send(producer, "image", "s-image-" + i,
              AvroSerde.of(ImageEvent.class).encode(Events.png("s-image-" + i, i)), sent);
          send(producer, "audio", "s-audio-" + i,
              AvroSerde.of(AudioEvent.class).encode(Events.wav("s-audio-" + i, i)), sent);
          send(producer, "text", "s-text-" + i,
              AvroSerde.of(TextEvent.class).encode(Events.text("s-text-" + i, "a leaf")), sent);
        }
        for (String m : MODALITIES) {
          producer.send(new ProducerRecord<>(m + ".events", ("s-bad-" + m).getBytes(
              StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)));
        }
      }
      for (String m : MODALITIES) {
        List<String> ids = read(m + ".enriched", 3).stream()
            .map(v -> AvroSerde.of(EnrichedEvent.class).decode(v).getEnvelope().getEventId())
            .sorted().toList();
        assertEquals(List.of("s-" + m + "-0", "s-" + m + "-1", "s-" + m + "-2"), ids);
        assertEquals(1, read(m + ".dead-letters", 1).size(), m + ": the bad record");
      }
      assertTrue(running.service().states().values().stream()
          .allMatch(s -> s == org.apache.kafka.streams.KafkaStreams.State.RUNNING));
    } finally {
      root.detachAppender(logged);
    }
    assertTrue(logged.list.size() > 10, "the service logged: " + logged.list.size());
    for (var event : logged.list) {
      String line = event.getFormattedMessage();
      assertTrue(!line.contains(PASSWORD) && !line.contains(Certificates.PASSWORD),
          "a secret in the log: " + line);
    }
  }

  @Test
  void aWrongPasswordFailsTheStartWithOneClearLine() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestService.start(tmp.resolve("state-wrong"), kafka("wrong", trustStore)));
    System.out.println("start refused: " + e.getMessage());
    assertTrue(e.getMessage().contains("refused Kinfer's credentials")
        && e.getMessage().contains("kafka.sasl.jaas.config"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void aMissingAclStopsTheStartWithOneLineNamingWhatWasDenied() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestService.start(tmp.resolve("state-lacking"), kafka("lacking", PASSWORD,
            trustStore)));
    System.out.println("start refused: " + e.getMessage());
    assertTrue(e.getMessage().contains("stopped while starting: Kafka denied it")
        && e.getMessage().contains("group") && e.getMessage().contains("kinfer-")
        && e.getMessage().contains("Connect to a secured cluster"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }

  @Test
  void anUntrustedCertificateFailsTheStartWithOneClearLine() throws Exception {
    Path empty = tmp.resolve("other-trust.p12");
    if (!Files.exists(empty)) {
      Certificates.selfSigned(empty, "other", "other", null);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TestService.start(tmp.resolve("state-untrusted"), kafka(PASSWORD, empty)));
    System.out.println("start refused: " + e.getMessage());
    assertTrue(e.getMessage().contains("TLS with Kafka")
        && e.getMessage().contains("kafka.ssl.truststore"), e.getMessage());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String modality, String id,
      byte[] value, Set<String> sent) {
    producer.send(new ProducerRecord<>(modality + ".events", id.getBytes(StandardCharsets.UTF_8),
        value));
    sent.add(id);
  }

  private static List<byte[]> read(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "secured-test-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<byte[]> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
      }
    }
    assertEquals(expected, values.size(), topic + " within 120 s");
    return values;
  }
}
