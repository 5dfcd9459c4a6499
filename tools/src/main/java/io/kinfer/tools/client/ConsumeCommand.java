package io.kinfer.tools.client;

import io.kinfer.schema.AvroSerde;
import io.kinfer.wire.WireFormat;
import io.kinfer.schema.EnrichedEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import io.kinfer.tools.config.ToolSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * {@code kinfer consume TOPIC [--from-beginning] [--max N] [--timeout SECONDS]}: prints a topic as
 * JSON lines (committed records only). Enriched results are decoded; anything else, such as
 * dead letters, prints with its headers and base64 value.
 */
@Command(header = "Print a topic as JSON lines (committed records only).",
    name = "consume", mixinStandardHelpOptions = true,
    description = {"Print a topic as JSON lines (committed records only): results decoded,",
        "other records (dead letters) with headers and base64 value. With",
        "KINFER_WIRE_FORMAT=registry and KINFER_REGISTRY_URL, results are read framed."})
public final class ConsumeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "TOPIC", description = "e.g. image.enriched or image.dead-letters")
  String topic;

  @Option(names = "--from-beginning", description = "start at the oldest record")
  boolean fromBeginning;

  @Option(names = "--max", paramLabel = "N", description = "stop after N records")
  long max = Long.MAX_VALUE;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "stop after this long")
  long timeoutSeconds = Long.MAX_VALUE;

  @Override
  public Integer call() {
    try (ToolSettings settings = ToolSettings.load()) {
      return print(settings.clientProperties(), settings.wireFormat(), System.out);
    }
  }

  /** Prints with these client settings until --max records or --timeout. */
  public int print(Properties clients, PrintStream out) {
    return print(clients, WireFormat.PLAIN, out);
  }

  /** Prints results read on {@code wire} until --max records or --timeout. */
  public int print(Properties clients, WireFormat wire, PrintStream out) {
    String bootstrap = clients.getProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    Properties props = new Properties();
    props.putAll(clients);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "kinfer-consume-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    Deserializer<EnrichedEvent> enriched = wire.reader(AvroSerde.of(EnrichedEvent.class));
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
        throw new IllegalStateException("topic " + topic + " does not exist at " + bootstrap);
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
      Deserializer<EnrichedEvent> enriched) {
    if (record.value() != null && !record.topic().endsWith(".dead-letters")) {
      try {
        return JsonLines.enriched(record, enriched.deserialize(record.topic(), record.value()));
      } catch (RuntimeException notEnriched) {
        // Not a result record: print it raw.
      }
    }
    return JsonLines.raw(record);
  }
}
