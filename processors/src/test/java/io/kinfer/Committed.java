package io.kinfer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A topic's committed records, read back from the beginning by integration tests. */
public final class Committed {

  private Committed() {}

  /** The records keyed by one of {@code keys} that arrive within {@code wait}, by key. */
  public static Map<String, ConsumerRecord<byte[], byte[]>> byKey(String bootstrap,
      String topic, Set<String> keys, Duration wait) {
    Map<String, ConsumerRecord<byte[], byte[]>> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, topic)) {
      long deadline = System.nanoTime() + wait.toNanos();
      while (!seen.keySet().containsAll(keys) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (keys.contains(key)) {
            seen.put(key, r);
          }
        }
      }
    }
    return seen;
  }

  /** {@code count} plain-Avro results of {@code topic} by event id, within two minutes. */
  public static Map<String, EnrichedEvent> results(String bootstrap, String topic, int count) {
    AvroSerde<EnrichedEvent> serde = AvroSerde.of(EnrichedEvent.class);
    Map<String, EnrichedEvent> seen = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, topic)) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (seen.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          EnrichedEvent result = serde.decode(r.value());
          seen.put(result.getEnvelope().getEventId().toString(), result);
        }
      }
    }
    assertEquals(count, seen.size(), "results on " + topic + ": " + seen.keySet());
    return seen;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic + "-" + System.nanoTime());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
