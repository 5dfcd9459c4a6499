package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.deadletter.DeadLetters;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.Modality;
import io.kinfer.schema.TextEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as {@code kinfer run} starts it: the Micronaut context, the in-JVM KRaft
 * broker, the three pipelines on the shipped SavedModels, exactly-once. Events of every
 * modality plus bad records go in; exactly one result per good event and one dead letter per
 * bad record come out, matched by id.
 */
@Timeout(300)
class KinferServiceIntegrationTest {

  private static final int PER_MODALITY = 20;
  private static final Duration WAIT = Duration.ofSeconds(120);
  /** Ids of this test start with it; other tests share the topics. */
  private static final String RUN = "it-" + UUID.randomUUID() + "-";

  @TempDir static Path tmp;
  private static TestService running;
  private static KinferService kinfer;

  @BeforeAll
  static void start() throws InterruptedException {
    running = TestService.start(tmp.resolve("state"), Map.of(
        "kinfer.pipelines.image.partitions", 2, "kinfer.pipelines.audio.partitions", 2,
        "kinfer.pipelines.text.partitions", 2));
    kinfer = running.service();
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void everyGoodEventIsEnrichedOnceAndEveryBadRecordDeadLetteredOnce() throws Exception {
    Map<String, List<String>> goodIds = new HashMap<>();
    Map<String, List<String>> badKeys = new HashMap<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < PER_MODALITY; i++) {
        String image = RUN + "image-" + i;
        String audio = RUN + "audio-" + i;
        String text = RUN + "text-" + i;
        send(producer, "image.events", image, AvroSerde.of(ImageEvent.class)
            .encode(Events.png(image, i)), goodIds, "image");
        send(producer, "audio.events", audio, AvroSerde.of(AudioEvent.class)
            .encode(Events.wav(audio, i)), goodIds, "audio");
        send(producer, "text.events", text, AvroSerde.of(TextEvent.class)
            .encode(Events.text(text, "a tree with a leaf number " + i)), goodIds, "text");
        if (i == PER_MODALITY / 2) {
          byte[] garbage = "\u0000\u00ff garbage".getBytes(StandardCharsets.UTF_8);
          send(producer, "image.events", RUN + "bad-image-garbage", garbage, badKeys, "image");
          send(producer, "audio.events", RUN + "bad-audio-garbage", garbage, badKeys, "audio");
          send(producer, "text.events", RUN + "bad-text-garbage", garbage, badKeys, "text");
          send(producer, "image.events", RUN + "bad-image-not-png", AvroSerde.of(ImageEvent.class)
              .encode(ImageEvent.newBuilder(Events.png(RUN + "bad-image-not-png", 0))
                  .setImage(ByteBuffer.wrap(new byte[] {1, 2, 3})).build()), badKeys, "image");
          send(producer, "audio.events", RUN + "bad-audio-not-wav", AvroSerde.of(AudioEvent.class)
              .encode(AudioEvent.newBuilder(Events.wav(RUN + "bad-audio-not-wav", 0))
                  .setAudio(ByteBuffer.wrap("RIFF but no".getBytes(StandardCharsets.UTF_8)))
                  .build()), badKeys, "audio");
          send(producer, "text.events", RUN + "bad-text-null", null, badKeys, "text");
        }
      }
      producer.flush();
    }

    for (String modality : List.of("image", "audio", "text")) {
      List<ConsumerRecord<byte[], byte[]>> results =
          readExactly(modality + ".enriched", PER_MODALITY);
      List<ConsumerRecord<byte[], byte[]>> letters =
          readExactly(modality + ".dead-letters", badKeys.get(modality).size());

      List<String> enrichedIds = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> record : results) {
        EnrichedEvent e = AvroSerde.of(EnrichedEvent.class).decode(record.value());
        enrichedIds.add(e.getEnvelope().getEventId());
        assertEquals(Modality.valueOf(modality.toUpperCase()), e.getModality());
        assertEquals(e.getEnvelope().getEventId(), new String(record.key(),
            StandardCharsets.UTF_8), "key passes through");
      }
      assertEquals(sorted(goodIds.get(modality)), sorted(enrichedIds),
          modality + ": each good event enriched exactly once");

      List<String> letterKeys = letters.stream()
          .map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
      assertEquals(sorted(badKeys.get(modality)), sorted(letterKeys),
          modality + ": each bad record dead-lettered exactly once");
      for (ConsumerRecord<byte[], byte[]> letter : letters) {
        assertTrue(letter.headers().lastHeader(DeadLetters.REASON) != null,
            "dead letter carries its reason");
      }
    }
    assertTrue(kinfer.states().values().stream()
        .allMatch(s -> s == org.apache.kafka.streams.KafkaStreams.State.RUNNING),
        "bad input does not stop a pipeline: " + kinfer.states());
  }

  @Test
  void theManagementPortServesReadinessLivenessAndMetricsThatMoveWithTheEvents()
      throws Exception {
    String base = kinfer.managementUrl().orElseThrow().toString();
    HttpResponse<String> ready = get(base + "/health/readiness");
    assertEquals(200, ready.statusCode(), ready.body());
    for (String expected : List.of("\"status\":\"UP\"", "\"image\"", "image-cnn/", "\"broker\"",
        "audio-rnn/", "text-transformer/", "RUNNING")) {
      assertTrue(ready.body().contains(expected), expected + " in " + ready.body());
    }
    assertEquals(200, get(base + "/health/liveness").statusCode());

    Map<String, Double> before = Scrape.of(get(base + "/prometheus").body());
    String run = "metrics-" + UUID.randomUUID() + "-"; // not RUN: the other test counts those
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < 5; i++) {
        producer.send(new ProducerRecord<>("image.events", key(run + "i" + i),
            AvroSerde.of(ImageEvent.class).encode(Events.png(run + "i" + i, i))));
        producer.send(new ProducerRecord<>("text.events", key(run + "t" + i),
            AvroSerde.of(TextEvent.class).encode(Events.text(run + "t" + i, "a leaf " + i))));
        producer.send(new ProducerRecord<>("audio.events", key(run + "a" + i),
            AvroSerde.of(AudioEvent.class).encode(Events.wav(run + "a" + i, i))));
      }
      producer.send(new ProducerRecord<>("image.events", key(run + "garbage"),
          "not avro".getBytes(StandardCharsets.UTF_8)));
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    Map<String, Double> after = before;
    while (System.nanoTime() < deadline) {
      after = Scrape.of(get(base + "/prometheus").body());
      if (Scrape.delta(before, after, "kinfer_events_enriched_total", "image") >= 5
          && Scrape.delta(before, after, "kinfer_events_enriched_total", "text") >= 5
          && Scrape.delta(before, after, "kinfer_events_enriched_total", "audio") >= 5
          && Scrape.delta(before, after, "kinfer_events_dead_lettered_total", "image") >= 1) {
        break;
      }
      Thread.sleep(250);
    }
    for (String pipeline : List.of("image", "audio", "text")) {
      assertTrue(Scrape.delta(before, after, "kinfer_events_enriched_total", pipeline) >= 5,
          pipeline + " enriched counter moved: " + Scrape.matching(after, "kinfer_events_"));
      assertTrue(Scrape.delta(before, after, "kinfer_events_consumed_total", pipeline) >= 5);
      assertTrue(Scrape.delta(before, after, "kinfer_model_batch_seconds_count", pipeline) >= 1,
          "model time per batch recorded");
      assertTrue(Scrape.delta(before, after, "kinfer_end_to_end_latency_seconds_count",
          pipeline) >= 5, "end-to-end latency recorded");
      assertTrue(Scrape.value(after, "kinfer_model_info", pipeline) == 1.0, "model info");
    }
    assertTrue(Scrape.delta(before, after, "kinfer_events_dead_lettered_total", "image") >= 1,
        "the garbage record counted as a dead letter");
    String text = get(base + "/prometheus").body();
    for (String expected : List.of("kinfer_queue_wait_seconds_bucket{",
        "kinfer_batch_size_records_bucket{", "stage=\"deserialize\"", "model_version=\"",
        "device=\"cpu", "kinfer_records_buffered{", "kinfer_batches_in_flight{",
        "jvm_memory_used_bytes", "kafka_stream_", "le=\"0.05\"")) {
      assertTrue(text.contains(expected), expected + " is exposed");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String id,
      byte[] value, Map<String, List<String>> ids, String modality) {
    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value));
    ids.computeIfAbsent(modality, m -> new ArrayList<>()).add(id);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kinfer.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Reads committed records of this run until {@code expected} arrive, then 2 s more to catch
   * extras (duplicates would show up there).
   */
  private static List<ConsumerRecord<byte[], byte[]>> readExactly(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kinfer.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> keep(records, r));
      }
      long grace = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (System.nanoTime() < grace) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> keep(records, r));
      }
    }
    assertEquals(expected, records.size(), "records on " + topic + " within " + WAIT);
    return records;
  }

  private static void keep(List<ConsumerRecord<byte[], byte[]>> records,
      ConsumerRecord<byte[], byte[]> record) {
    if (record.key() != null && new String(record.key(), StandardCharsets.UTF_8).startsWith(RUN)) {
      records.add(record);
    }
  }

  private static List<String> sorted(List<String> ids) {
    return ids.stream().sorted().toList();
  }
}
