package io.kinfer.tools.demo;

import io.kinfer.service.KinferService;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

/**
 * {@code kinfer demo}: sends the committed held-out samples of every modality (plus one
 * undecodable record each) through a running Kinfer, prints each enriched result as it arrives,
 * then a summary: count, accuracy against the samples' labels, throughput, end-to-end latency
 * and dead letters per modality.
 */
public final class Demo {

  private static final List<String> MODALITIES = List.of("image", "audio", "text");
  private final KinferService kinfer;
  private final Path samplesDir;
  private final PrintStream out;

  public Demo(KinferService kinfer, Path samplesDir, PrintStream out) {
    this.kinfer = kinfer;
    this.samplesDir = samplesDir;
    this.out = out;
  }

  /** Runs the demo; returns the per-modality summary. */
  public Map<String, Summary> run(Duration timeout) {
    String runId = "demo-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Samples> samples = new LinkedHashMap<>();
    Map<String, String> expected = new HashMap<>();
    Map<String, Long> sentAt = new HashMap<>();
    for (String modality : MODALITIES) {
      Samples s = Samples.load(samplesDir, modality, runId);
      if (s.items().isEmpty()) {
        out.println("(no samples for " + modality + " in " + samplesDir.resolve(modality) + ")");
        continue;
      }
      samples.put(modality, s);
      s.items().forEach(item -> expected.put(item.eventId(), item.label()));
    }
    Map<String, Summary> summaries = new LinkedHashMap<>();
    samples.keySet().forEach(m -> summaries.put(m, new Summary(m)));

    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      List<String> topics = new ArrayList<>();
      samples.keySet().forEach(m -> {
        topics.add(m + ".enriched");
        topics.add(m + ".dead-letters");
      });
      consumer.subscribe(topics);
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
      consumer.seekToEnd(consumer.assignment());
      consumer.assignment().forEach(consumer::position);

      long start = System.nanoTime();
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        // Interleave modalities so the three pipelines work at once.
        int max = samples.values().stream().mapToInt(s -> s.items().size()).max().orElse(0);
        for (int i = 0; i < max; i++) {
          for (Samples s : samples.values()) {
            if (i < s.items().size()) {
              Samples.Sample item = s.items().get(i);
              sentAt.put(item.eventId(), System.nanoTime());
              producer.send(new ProducerRecord<>(s.modality() + ".events",
                  item.eventId().getBytes(StandardCharsets.UTF_8), item.event()));
            }
          }
        }
        for (String modality : samples.keySet()) {
          String id = runId + "-" + modality + "-bad";
          sentAt.put(id, System.nanoTime());
          producer.send(new ProducerRecord<>(modality + ".events",
              id.getBytes(StandardCharsets.UTF_8),
              "not an event".getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
      }
      out.printf("Sent %d sample events and %d bad records; results as they arrive:%n%n",
          expected.size(), samples.size());
      out.printf("%-6s %-24s %-22s %-22s %s%n", "", "event", "predicted", "expected", "ms");

      int wanted = expected.size() + samples.size();
      int received = 0;
      long deadline = start + timeout.toNanos();
      AvroSerde<EnrichedEvent> serde = AvroSerde.of(EnrichedEvent.class);
      while (received < wanted && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
          if (!key.startsWith(runId)) {
            continue;
          }
          long now = System.nanoTime();
          double latencyMs = (now - sentAt.getOrDefault(key, now)) / 1e6;
          String modality = record.topic().substring(0, record.topic().indexOf('.'));
          Summary summary = summaries.get(modality);
          received++;
          if (record.topic().endsWith(".dead-letters")) {
            summary.deadLetters++;
            var reason = record.headers().lastHeader("kinfer.error.reason");
            out.printf("%-6s %-24s dead letter: %s%n", modality, shortId(key),
                reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8));
            continue;
          }
          EnrichedEvent e = serde.decode(record.value());
          String truth = expected.get(key);
          boolean right = e.getTopLabel().equals(truth);
          summary.record(right, latencyMs, now - start);
          out.printf(Locale.ROOT, "%-6s %-24s %-22s %-22s %6.0f %s%n", modality, shortId(key),
              clip(e.getTopLabel() + String.format(Locale.ROOT, " %.2f",
                  e.getPredictions().get(0).getScore()), 22), clip(truth, 22), latencyMs,
              right ? "ok" : "MISS");
        }
      }
      if (received < wanted) {
        out.printf("%nTimed out after %s with %d of %d results.%n", timeout, received, wanted);
      }
    }
    printSummary(summaries);
    return summaries;
  }

  private void printSummary(Map<String, Summary> summaries) {
    out.printf("%n%-6s %7s %9s %10s %9s %9s %12s%n", "", "events", "accuracy", "events/s",
        "p50 ms", "p99 ms", "dead letters");
    summaries.values().forEach(s -> out.printf(Locale.ROOT, "%-6s %7d %8.1f%% %10.1f %9.0f %9.0f %12d%n",
        s.modality, s.count(), 100 * s.accuracy(), s.eventsPerSecond(), s.percentile(50),
        s.percentile(99), s.deadLetters));
    out.println("\nLatency is end to end: produce → pipeline → committed result read back.");
  }

  private static String shortId(String id) {
    return id.length() > 24 ? id.substring(id.length() - 24) : id;
  }

  private static String clip(String s, int width) {
    return s.length() <= width ? s : s.substring(0, width - 1) + "…";
  }

  private KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kinfer.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kinfer.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "kinfer-demo-" + UUID.randomUUID());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Per-modality figures. */
  public static final class Summary {
    final String modality;
    final List<Double> latencies = new ArrayList<>();
    int correct;
    int deadLetters;
    long lastNanos;

    Summary(String modality) {
      this.modality = modality;
    }

    void record(boolean right, double latencyMs, long sinceStart) {
      latencies.add(latencyMs);
      if (right) {
        correct++;
      }
      lastNanos = Math.max(lastNanos, sinceStart);
    }

    public int count() {
      return latencies.size();
    }

    public int deadLetters() {
      return deadLetters;
    }

    public double accuracy() {
      return latencies.isEmpty() ? 0 : (double) correct / latencies.size();
    }

    double eventsPerSecond() {
      return lastNanos == 0 ? 0 : count() / (lastNanos / 1e9);
    }

    double percentile(int p) {
      if (latencies.isEmpty()) {
        return 0;
      }
      List<Double> sorted = latencies.stream().sorted().toList();
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
  }
}
