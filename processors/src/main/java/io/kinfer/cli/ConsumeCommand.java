package io.kinfer.cli;

import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code kinfer consume TOPIC [--from-beginning] [--max N] [--timeout SECONDS]}: prints a topic as
 * JSON lines (committed records only). Enriched results are decoded; anything else, such as
 * dead letters, prints with its headers and base64 value.
 */
final class ConsumeCommand {

  private ConsumeCommand() {}

  static int run(List<String> args, String bootstrap, PrintStream out) {
    String topic = null;
    boolean fromBeginning = false;
    long max = Long.MAX_VALUE;
    long timeoutSeconds = Long.MAX_VALUE;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--from-beginning" -> fromBeginning = true;
        case "--max" -> max = Long.parseLong(Cli.value(args, ++i, "--max"));
        case "--timeout" -> timeoutSeconds = Long.parseLong(Cli.value(args, ++i, "--timeout"));
        default -> topic = args.get(i);
      }
    }
    if (topic == null) {
      throw new Cli.UsageException("consume needs a TOPIC, e.g. kinfer consume image.enriched");
    }
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "kinfer-consume-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    AvroSerde<EnrichedEvent> enriched = AvroSerde.of(EnrichedEvent.class);
    long deadline = timeoutSeconds == Long.MAX_VALUE ? Long.MAX_VALUE
        : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
    long printed = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      String name = topic;
      // A clear message instead of endless connection warnings when nothing listens there.
      try {
        consumer.listTopics(Duration.ofSeconds(20));
      } catch (org.apache.kafka.common.errors.TimeoutException e) {
        throw new IllegalStateException("no Kafka answers at " + bootstrap
            + " (is ./kinfer run running, or KAFKA_BOOTSTRAP_SERVERS set?)");
      }
      List<TopicPartition> partitions = consumer.partitionsFor(name, Duration.ofSeconds(30))
          .stream().map(p -> new TopicPartition(name, p.partition())).toList();
      if (partitions.isEmpty()) {
        throw new Cli.UsageException("topic " + topic + " does not exist at " + bootstrap);
      }
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      while (printed < max && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          out.println(format(record, enriched));
          if (++printed >= max) {
            break;
          }
        }
        out.flush();
      }
    }
    return 0;
  }

  private static String format(ConsumerRecord<byte[], byte[]> record,
      AvroSerde<EnrichedEvent> enriched) {
    if (record.value() != null && !record.topic().endsWith(".dead-letters")) {
      try {
        return JsonLines.enriched(record, enriched.decode(record.value()));
      } catch (RuntimeException notEnriched) {
        // Not a result record: print it raw.
      }
    }
    return JsonLines.raw(record);
  }
}
