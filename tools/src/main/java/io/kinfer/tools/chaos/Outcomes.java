package io.kinfer.tools.chaos;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the output and dead-letter topics with {@code read_committed} in the background and
 * counts, per event id (the record key), how often it was enriched and dead-lettered.
 */
public final class Outcomes implements AutoCloseable {

  /** Counts for one event id. */
  public static final class Count {
    volatile int enriched;
    volatile int deadLettered;

    public int enriched() {
      return enriched;
    }

    public int deadLettered() {
      return deadLettered;
    }
  }

  private final Map<String, Count> counts = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread reader;

  public Outcomes(String bootstrap, List<String> enrichedTopics,
      List<String> deadLetterTopics) {
    reader = new Thread(() -> read(bootstrap, enrichedTopics, deadLetterTopics), "chaos-reader");
    reader.setDaemon(true);
    reader.start();
  }

  private void read(String bootstrap, List<String> enriched, List<String> dead) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      // Assigned, not subscribed: a group rebalance (the broker bounce) would reset positions to
      // the start and count everything twice. Each record is also counted once by its offset.
      List<org.apache.kafka.common.TopicPartition> partitions = new java.util.ArrayList<>();
      for (String topic : java.util.stream.Stream.concat(enriched.stream(), dead.stream())
          .toList()) {
        consumer.partitionsFor(topic, Duration.ofSeconds(60)).forEach(p ->
            partitions.add(new org.apache.kafka.common.TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      java.util.Set<String> seen = new java.util.HashSet<>();
      while (running.get()) {
        try {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.key() == null || !seen.add(r.topic() + "/" + r.partition() + "/" + r.offset())) {
              continue;
            }
            Count c = counts.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8),
                k -> new Count());
            if (dead.contains(r.topic())) {
              c.deadLettered++;
            } else {
              c.enriched++;
            }
          }
        } catch (org.apache.kafka.common.KafkaException e) {
          // The broker is being bounced: keep polling, the consumer reconnects.
        }
      }
    }
  }

  /** Event ids that have at least one outcome. */
  public int settled() {
    return counts.size();
  }

  public Count get(String id) {
    return counts.get(id);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    reader.join(10_000);
  }
}
