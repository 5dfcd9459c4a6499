package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.deadletter.DeadLetterFit;
import io.kinfer.deadletter.DeadLetters;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records at the edges, on every input topic of a running service with the default limits:
 * exactly {@code kinfer.limits.max-record-bytes} (enriched), one byte over (a dead letter cut to
 * fit, with the original size and digest), just over Kafka's default 1 MB (enriched: the topics
 * Kinfer creates take it), a negative timestamp (enriched, at the event's time), a 60 s and a
 * 70 s WAV (enriched: audio past 60 s is cut off), a 100 KB key, a 70 KB header name, 2,000
 * headers, no key (enriched). Every pipeline stays RUNNING.
 */
@Timeout(600)
class RecordLimitsTest {

  private static final int LIMIT = 4 << 20;
  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir Path tmp;

  @Test
  void recordsAtAndOverEveryLimitLeaveEveryPipelineRunning() throws Exception {
    try (TestService running = TestService.start(tmp.resolve("state"), Map.of())) {
      KinferService kinfer = running.service();
      Map<String, Map<String, Long>> enriched = new HashMap<>(); // topic -> id -> timestamp
      Map<String, List<String>> expectEnriched = new HashMap<>();
      Map<String, List<String>> expectDead = new HashMap<>();
      try (KafkaProducer<byte[], byte[]> producer = producer(kinfer.bootstrapServers())) {
        for (String modality : List.of("image", "audio", "text")) {
          Function<String, byte[]> event = id -> encode(modality, id, "");
          String atLimit = modality + "-at-limit";
          String overLimit = modality + "-over-limit";
          String overBroker = modality + "-over-1mb";
          String negative = modality + "-negative-timestamp";
          send(producer, modality, atLimit, padded(modality, atLimit, LIMIT), 0L);
          send(producer, modality, overLimit, padded(modality, overLimit, LIMIT + 1), 0L);
          send(producer, modality, overBroker, padded(modality, overBroker, 1_048_589), 0L);
          send(producer, modality, negative, event.apply(negative), -1L);
          // Odd keys and headers: a 100 KB key, a 70 KB header name, a null header value,
          // 2,000 headers, no key at all (read back by its event id).
          String oddKey = modality + "-odd-key";
          producer.send(new ProducerRecord<>(modality + ".events", null,
              (oddKey + "|" + "k".repeat(100_000)).getBytes(StandardCharsets.UTF_8),
              event.apply(oddKey))).get();
          String oddHeaders = modality + "-odd-headers";
          ProducerRecord<byte[], byte[]> headers = new ProducerRecord<>(modality + ".events",
              oddHeaders.getBytes(StandardCharsets.UTF_8), event.apply(oddHeaders));
          headers.headers().add("n".repeat(70_000), new byte[] {1}).add("null", null);
          for (int i = 0; i < 2000; i++) {
            headers.headers().add("h" + i, new byte[] {(byte) i});
          }
          producer.send(headers).get();
          String noKey = modality + "-no-key";
          producer.send(new ProducerRecord<>(modality + ".events", null,
              event.apply(noKey))).get();
          expectEnriched.put(modality, new java.util.ArrayList<>(
              List.of(atLimit, overBroker, negative, oddKey, oddHeaders, noKey)));
          expectDead.put(modality, List.of(overLimit));
        }
        for (int seconds : new int[] {60, 70}) {
          String id = "audio-wav-" + seconds + "s";
          send(producer, "audio", id, AvroSerde.of(AudioEvent.class).encode(
              AudioEvent.newBuilder().setEnvelope(envelope(id, "")).setEncoding(AudioEncoding.WAV)
                  .setAudio(ByteBuffer.wrap(Events.wavBytes(seconds, 16_000, 1, 16_000 * seconds)))
                  .build()), 0L);
          expectEnriched.get("audio").add(id);
        }
      }

      for (String modality : List.of("image", "audio", "text")) {
        Map<String, ConsumerRecord<byte[], byte[]>> results =
            read(kinfer.bootstrapServers(), modality + ".enriched", expectEnriched.get(modality));
        for (String id : expectEnriched.get(modality)) {
          EnrichedEvent result = AvroSerde.of(EnrichedEvent.class)
              .decode(results.get(id).value());
          assertEquals(id, result.getEnvelope().getEventId());
        }
        assertEquals(EVENT_TIME.toEpochMilli(),
            results.get(modality + "-negative-timestamp").timestamp(),
            "a negative timestamp is replaced by the event's time");

        Map<String, ConsumerRecord<byte[], byte[]>> letters = read(kinfer.bootstrapServers(),
            modality + ".dead-letters", expectDead.get(modality));
        ConsumerRecord<byte[], byte[]> letter = letters.get(modality + "-over-limit");
        assertTrue(letter.serializedValueSize() + letter.serializedKeySize() <= LIMIT,
            "the dead letter fits: " + letter.serializedValueSize());
        assertEquals(String.valueOf(LIMIT + 1), header(letter, DeadLetterFit.ORIGINAL_BYTES));
        assertNotNull(header(letter, DeadLetterFit.ORIGINAL_SHA256));
        assertEquals("value", header(letter, DeadLetterFit.TRUNCATED));
        assertTrue(header(letter, DeadLetters.REASON).contains("kinfer.limits.max-record-bytes"),
            header(letter, DeadLetters.REASON));
      }
      assertTrue(kinfer.states().values().stream().allMatch(s -> s == KafkaStreams.State.RUNNING),
          "every pipeline still runs: " + kinfer.states());
    }
  }

  private static final Instant EVENT_TIME = Instant.parse("2026-11-30T12:00:00Z");

  private static Envelope envelope(String id, String padding) {
    return Envelope.newBuilder().setEventId(id).setSource("limits-test").setEventTime(EVENT_TIME)
        .setAttributes(padding.isEmpty() ? Map.of() : Map.of("pad", padding)).build();
  }

  private static byte[] encode(String modality, String id, String padding) {
    return switch (modality) {
      case "image" -> AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder()
          .setEnvelope(envelope(id, padding)).setFormat(ImageFormat.PNG)
          .setImage(ByteBuffer.wrap(Events.pngBytes(1, 28, 28))).build());
      case "audio" -> AvroSerde.of(AudioEvent.class).encode(AudioEvent.newBuilder()
          .setEnvelope(envelope(id, padding)).setEncoding(AudioEncoding.WAV)
          .setAudio(ByteBuffer.wrap(Events.wavBytes(1, 16_000, 1, 16_000))).build());
      default -> AvroSerde.of(TextEvent.class).encode(TextEvent.newBuilder()
          .setEnvelope(envelope(id, padding)).setText("a dog in a garden").build());
    };
  }

  /** A valid event whose value is exactly {@code size} bytes (padded in an attribute). */
  private static byte[] padded(String modality, String id, int size) {
    int base = encode(modality, id, "x").length;
    int pad = size - base + 1;
    for (int attempt = 0; attempt < 8; attempt++) {
      byte[] bytes = encode(modality, id, "x".repeat(pad));
      if (bytes.length == size) {
        return bytes;
      }
      pad += size - bytes.length;
    }
    throw new AssertionError("cannot pad a " + modality + " event to " + size + " bytes");
  }

  /**
   * @param timestamp 0 for the producer's clock; -1 writes a record without a valid timestamp,
   *     as non-Java clients can (the Java producer refuses it, so the field is set directly)
   */
  private static void send(KafkaProducer<byte[], byte[]> producer, String modality, String id,
      byte[] value, long timestamp) throws Exception {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(modality + ".events",
        id.getBytes(StandardCharsets.UTF_8), value);
    if (timestamp < 0) {
      var field = ProducerRecord.class.getDeclaredField("timestamp");
      field.setAccessible(true);
      field.set(record, timestamp);
    }
    producer.send(record).get();
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 3 * LIMIT);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    var h = record.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** A result's event id; a dead letter's key (its value may be cut). */
  private static String id(String topic, ConsumerRecord<byte[], byte[]> record) {
    if (topic.endsWith(".enriched")) {
      return AvroSerde.of(EnrichedEvent.class).decode(record.value()).getEnvelope().getEventId();
    }
    return record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
  }

  private static Map<String, ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic,
      List<String> ids) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "limits-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, ConsumerRecord<byte[], byte[]>> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!seen.keySet().containsAll(ids) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.put(id(topic, r), r));
      }
    }
    assertTrue(seen.keySet().containsAll(ids), topic + ": expected " + ids + " within " + WAIT
        + ", got " + seen.keySet());
    return seen;
  }
}
