package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.kinfer.ApicurioRegistry;
import io.kinfer.Certificates;
import io.kinfer.Committed;
import io.kinfer.Events;
import io.kinfer.PythonKafkaClient;
import io.kinfer.TestService;
import io.kinfer.deadletter.DeadLetters;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.TextEvent;
import io.kinfer.wire.RegistryFraming;
import io.kinfer.wire.RegistryOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinfer.wire-format=registry} against a real Apicurio Registry server and Confluent's
 * own Python client: events written by Confluent-compatible serializers (Python's
 * {@code AvroSerializer} through the registry's Confluent API, Java's Apicurio serializer in
 * Confluent mode) on three schema versions of the text event (an older one, the current one, a
 * newer one) and the current image and audio events are enriched; results are framed and read
 * back by both clients; unframed bytes, an unknown schema id and a schema Kinfer cannot read
 * are dead-lettered as they came; a registry that is gone when a new schema id arrives stops
 * the pipeline with nothing dead-lettered; one that is down at start, or lacks a pre-registered
 * schema, fails the start naming what to change.
 */
@Timeout(900)
class RegistryWireFormatTest {

  private static final Path CLIENT = Path.of("../schemas/examples/python/kinfer_registry_client.py");
  private static final Path LOGS = Path.of("target");
  private static final Duration WAIT = Duration.ofSeconds(180);
  /** Held-out samples (models/samples/text) and the labels the model gives them. */
  private static final List<String> TEXTS = List.of(
      "the act of contracting or assuming or acquiring possession of something",
      "North American sucker with reddish fins");
  private static final List<String> LABELS = List.of("noun.act", "noun.animal");

  @TempDir Path tmp;

  @Test
  void confluentCompatibleProducersOnSeveralSchemaVersionsAreEnrichedAndResultsAreFramed()
      throws Exception {
    PythonKafkaClient python = PythonKafkaClient.find(LOGS);
    try (ApicurioRegistry registry = ApicurioRegistry.start(LOGS);
        TestService running = TestService.start(tmp.resolve("state"), Map.of(
            "kinfer.wire-format", "registry", "kinfer.registry.url", registry.coreApi()))) {
      KinferService kinfer = running.service();
      String bootstrap = kinfer.bootstrapServers();
      String[] registryArgs = {"--bootstrap", bootstrap, "--registry", registry.confluentApi()};

      // Python, Confluent's AvroSerializer: the current and an older text event version.
      Map<String, String> textOf = new HashMap<>();
      for (String version : List.of("current", "older")) {
        List<String> args = new ArrayList<>(List.of(registryArgs));
        args.addAll(List.of("produce", "--version", version));
        for (int i = 0; i < TEXTS.size(); i++) {
          String id = "py-" + version + "-" + i;
          textOf.put(id, TEXTS.get(i));
          args.add(id + "=" + TEXTS.get(i));
        }
        String out = python.run(CLIENT, 120, args.toArray(String[]::new));
        assertTrue(out.contains("PRODUCED py-" + version + "-0 schema-id="), out);
      }
      python.run(CLIENT, 120, concat(registryArgs, "produce", "--version", "unreadable",
          "py-unreadable=no text field"));

      // Java, Apicurio's serializer in Confluent mode: a newer text event version (one more
      // field), and the current image and audio events.
      AvroKafkaSerializer<Object> java = confluentModeSerializer(registry);
      Schema newer = newerTextEvent();
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        for (int i = 0; i < TEXTS.size(); i++) {
          String id = "java-newer-" + i;
          textOf.put(id, TEXTS.get(i));
          send(producer, "text.events", id, java.serialize("text.events",
              newerTextRecord(newer, id, TEXTS.get(i))));
        }
        send(producer, "image.events", "java-image", java.serialize("image.events",
            Events.png("java-image", 7)));
        send(producer, "audio.events", "java-audio", java.serialize("audio.events",
            Events.wav("java-audio", 7)));
        // Not the registry's framing, and a framed record whose id the registry lacks.
        for (String modality : List.of("image", "audio", "text")) {
          send(producer, modality + ".events", modality + "-plain", plainEvent(modality));
          send(producer, modality + ".events", modality + "-unknown-id",
              new byte[] {0, 0, 0, 0x7f, 0x7f, 2, 'x'});
        }
      }

      // Results, read with Apicurio's deserializer: one per event, the same label for the same
      // text whatever schema version wrote it.
      AvroKafkaDeserializer<GenericRecord> reader = confluentModeDeserializer(registry);
      Map<String, ConsumerRecord<byte[], byte[]>> texts = read(bootstrap, "text.enriched",
          textOf.keySet());
      Map<String, String> labelOf = new HashMap<>();
      texts.forEach((id, record) -> {
        assertEquals(0, record.value()[0], "a result is framed: magic byte 0");
        GenericRecord result = reader.deserialize("text.enriched", record.value());
        assertEquals(id, result.get("envelope") instanceof GenericRecord e
            ? e.get("eventId").toString() : null);
        labelOf.put(id, result.get("topLabel").toString());
      });
      for (int i = 0; i < TEXTS.size(); i++) {
        for (String writer : List.of("py-current-", "py-older-", "java-newer-")) {
          assertEquals(LABELS.get(i), labelOf.get(writer + i), writer + i + ": " + labelOf);
        }
      }
      for (String modality : List.of("image", "audio")) {
        ConsumerRecord<byte[], byte[]> result = read(bootstrap, modality + ".enriched",
            Set.of("java-" + modality)).get("java-" + modality);
        GenericRecord enriched = reader.deserialize(modality + ".enriched", result.value());
        assertFalse(enriched.get("topLabel").toString().isBlank());
      }

      // The same results through Confluent's Python deserializer and the Confluent API.
      String results = python.run(CLIENT, 180, concat(registryArgs, "consume", "text.enriched",
          String.valueOf(textOf.size())));
      for (String id : textOf.keySet()) {
        assertTrue(results.contains("\"eventId\": \"" + id + "\", \"topLabel\": \""
            + labelOf.get(id) + "\""), id + " in " + results);
      }
      assertTrue(results.contains("\"eventId\": \"py-older-0\", \"topLabel\": \""
          + labelOf.get("py-older-0") + "\", \"attributes\": {}"),
          "an older producer's event gets the default attributes: " + results);

      // Dead letters: as they came, each with a reason that says what is wrong.
      Map<String, String> reasons = new HashMap<>();
      for (String modality : List.of("image", "audio", "text")) {
        Set<String> keys = modality.equals("text")
            ? Set.of("text-plain", "text-unknown-id", "py-unreadable")
            : Set.of(modality + "-plain", modality + "-unknown-id");
        read(bootstrap, modality + ".dead-letters", keys).forEach((key, letter) ->
            reasons.put(key, header(letter, DeadLetters.REASON)));
        assertTrue(reasons.get(modality + "-plain").contains("not a registry-framed Avro"),
            reasons.get(modality + "-plain"));
        assertTrue(reasons.get(modality + "-unknown-id").contains(
            "schema id 32639 is not in the schema registry"), reasons.get(modality + "-unknown-id"));
      }
      assertTrue(reasons.get("py-unreadable").contains("cannot be read as Kinfer's TextEvent"),
          reasons.get("py-unreadable"));

      // The registry goes away; an event on a schema id Kinfer has not seen yet arrives. The
      // pipeline stops (the event is not dead-lettered); the other pipelines run on.
      Schema newest = new Schema.Parser().parse(newer.toString().replace("\"priority\"",
          "\"urgency\""));
      byte[] unseen = java.serialize("text.events",
          newerTextRecord(newest, "while-registry-down", TEXTS.get(0)));
      registry.close();
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        send(producer, "text.events", "while-registry-down", unseen);
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (kinfer.states().get("text") == KafkaStreams.State.RUNNING
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertNotEquals(KafkaStreams.State.RUNNING, kinfer.states().get("text"),
          "the text pipeline stops when the registry cannot resolve a new schema id");
      String failure = kinfer.failures().get("text");
      assertTrue(failure != null && failure.contains("the schema registry at "
          + registry.coreApi() + " did not answer"), "failure: " + failure);
      assertEquals(KafkaStreams.State.RUNNING, kinfer.states().get("image"));
      assertFalse(Committed.byKey(bootstrap, "text.dead-letters", Set.of("while-registry-down"),
          Duration.ofSeconds(5)).containsKey("while-registry-down"),
          "an event the registry could not resolve is not dead-lettered");
    }
  }

  @Test
  void deadLettersOfDecodedEventsAreFramedUnderTheDeadLetterTopicsSubject() throws Exception {
    try (ApicurioRegistry registry = ApicurioRegistry.start(LOGS)) {
      RegistryFraming framing = new RegistryFraming(new RegistryOptions(registry.coreApi(),
          true, null, null, Map.of()));
      AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);
      framing.check("text.enriched", "text.dead-letters", serde);
      TextEvent event = Events.text("dead-1", "a sentence the model failed on");
      UnaryOperator<byte[]> deadLetter = framing.reframe(serde, "text.dead-letters");
      byte[] framed = deadLetter.apply(serde.encode(event));
      assertEquals(0, framed[0], "magic byte");
      assertEquals(event, framing.reader(serde).deserialize("text.dead-letters", framed));
      AvroKafkaDeserializer<GenericRecord> confluent = confluentModeDeserializer(registry);
      assertEquals("dead-1", ((GenericRecord) confluent.deserialize("text.dead-letters", framed)
          .get("envelope")).get("eventId").toString());
      String subjects = new String(java.net.URI.create(registry.confluentApi() + "/subjects")
          .toURL().openStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(subjects.contains("text.enriched-value")
          && subjects.contains("text.dead-letters-value"), subjects);
    }
  }

  @Test
  void aRegistryOverTlsIsReachedWithTheConfiguredTrustStoreAndRefusedWithout() throws Exception {
    Path keyStore = tmp.resolve("registry.p12");
    Path trustStore = tmp.resolve("trust.p12");
    Certificates.selfSigned(keyStore, "registry", "localhost", "dns:localhost,ip:127.0.0.1");
    Certificates.trustStore(keyStore, "registry", trustStore);
    try (ApicurioRegistry registry = ApicurioRegistry.start(LOGS,
        new ApicurioRegistry.Tls(keyStore, trustStore, Certificates.PASSWORD))) {
      assertTrue(registry.coreApi().startsWith("https://"), registry.coreApi());
      AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);
      new RegistryFraming(new RegistryOptions(registry.coreApi(), true, null, null, Map.of(
          "truststore.location", trustStore.toString(),
          "truststore.password", Certificates.PASSWORD, "truststore.type", "PKCS12")))
          .check("text.enriched", "text.dead-letters", serde);
      IllegalStateException untrusted = assertThrows(IllegalStateException.class,
          () -> new RegistryFraming(new RegistryOptions(registry.coreApi(), true, null, null,
              Map.of())).check("text.enriched", "text.dead-letters", serde));
      assertTrue(untrusted.getMessage().contains("kinfer.registry.truststore"),
          untrusted.getMessage());
      assertFalse(untrusted.getMessage().contains(Certificates.PASSWORD));
    }
  }

  @Test
  void aRegistryDownAtStartOrWithoutThePreRegisteredSchemaFailsTheStartSayingWhatToChange()
      throws Exception {
    Map<String, Object> textOnly = new HashMap<>(Map.of("kinfer.wire-format", "registry",
        "kinfer.pipelines.image.enabled", false, "kinfer.pipelines.audio.enabled", false));
    textOnly.put("kinfer.registry.url", "http://127.0.0.1:"
        + io.kinfer.broker.EmbeddedKafkaBroker.freePort() + "/apis/registry/v2");
    RuntimeException down = assertThrows(RuntimeException.class,
        () -> TestService.start(tmp.resolve("down"), textOnly).close());
    assertTrue(down.getMessage().contains("the schema registry at "
        + textOnly.get("kinfer.registry.url") + " did not answer")
        && down.getMessage().contains("check kinfer.registry.url"), down.getMessage());
    assertFalse(down.getMessage().contains("\n"), "one line: " + down.getMessage());

    try (ApicurioRegistry registry = ApicurioRegistry.start(LOGS)) {
      textOnly.put("kinfer.registry.url", registry.coreApi());
      textOnly.put("kinfer.registry.auto-register", false);
      RuntimeException missing = assertThrows(RuntimeException.class,
          () -> TestService.start(tmp.resolve("missing"), textOnly).close());
      assertTrue(missing.getMessage().contains("under subject 'text.enriched-value'")
          && missing.getMessage().contains("kinfer.registry.auto-register=true"),
          missing.getMessage());
    }
  }

  private static String[] concat(String[] first, String... more) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  /** Apicurio's serde as a Confluent-compatible producer or consumer would set it. */
  private static Map<String, Object> confluentMode(ApicurioRegistry registry) {
    return Map.of(SerdeConfig.REGISTRY_URL, registry.coreApi(),
        SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName(),
        SerdeConfig.USE_ID, "contentId",
        SerdeConfig.ENABLE_HEADERS, false, SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
  }

  private static AvroKafkaSerializer<Object> confluentModeSerializer(ApicurioRegistry registry) {
    AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
    serializer.configure(confluentMode(registry), false);
    return serializer;
  }

  private static AvroKafkaDeserializer<GenericRecord> confluentModeDeserializer(
      ApicurioRegistry registry) {
    AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();
    deserializer.configure(confluentMode(registry), false);
    return deserializer;
  }

  /** A later TextEvent a producer might have: one more field Kinfer does not know. */
  private static Schema newerTextEvent() {
    String current = TextEvent.getClassSchema().toString();
    return new Schema.Parser().parse(current.substring(0, current.lastIndexOf(']'))
        + ",{\"name\":\"priority\",\"type\":\"int\",\"default\":0}]}");
  }

  private static GenericRecord newerTextRecord(Schema schema, String id, String text) {
    Schema envelopeSchema = schema.getField("envelope").schema();
    GenericRecord envelope = new GenericData.Record(envelopeSchema);
    envelope.put("eventId", id);
    envelope.put("source", "java-newer");
    envelope.put("eventTime", 1_800_000_000_000L);
    envelope.put("attributes", Map.of("client", "java"));
    GenericRecord event = new GenericData.Record(schema);
    event.put("envelope", envelope);
    event.put("text", text);
    event.put("language", "en");
    event.put(schema.getFields().get(schema.getFields().size() - 1).name(), 3);
    return event;
  }

  private static byte[] plainEvent(String modality) {
    return switch (modality) {
      case "image" -> AvroSerde.of(io.kinfer.schema.ImageEvent.class)
          .encode(Events.png("image-plain", 1));
      case "audio" -> AvroSerde.of(io.kinfer.schema.AudioEvent.class)
          .encode(Events.wav("audio-plain", 1));
      default -> AvroSerde.of(TextEvent.class).encode(Events.text("text-plain", TEXTS.get(0)));
    };
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
      byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
        .get();
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static Map<String, ConsumerRecord<byte[], byte[]>> read(String bootstrap,
      String topic, Set<String> keys) {
    Map<String, ConsumerRecord<byte[], byte[]>> seen = Committed.byKey(bootstrap, topic, keys,
        WAIT);
    assertEquals(keys, seen.keySet(), "records on " + topic + " within " + WAIT);
    return seen;
  }
}
