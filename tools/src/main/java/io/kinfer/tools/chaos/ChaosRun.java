package io.kinfer.tools.chaos;

import io.kinfer.tools.client.EventFiles;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageFormat;
import io.kinfer.broker.EmbeddedKafkaBroker;
import io.kinfer.broker.Topics;
import io.kinfer.config.KinferSettings;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.ImageEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kinfer chaos}: a broker with a persistent log in this JVM, the service as child JVMs,
 * events of all modalities (some bad) produced while the children are SIGKILLed at random
 * moments and restarted, optionally a broker bounce and two instances at once. The events go
 * out in one slice per kill, each sent once the next victim runs and shortly before it is
 * killed, so every kill hits work in flight however fast the pipelines are. Then every event
 * id is checked on the committed output and dead-letter topics: lost, duplicated,
 * dead-lettered or enriched.
 */
public final class ChaosRun {

  static final List<String> MODALITIES = List.of("image", "audio", "text");

  /** What to do. */
  public record Options(int events, int kills, boolean bounceBroker, int instances,
      double badShare, long seed, Path modelsDir, Duration settleTimeout) {}

  /** What happened. */
  public record Report(int events, int bad, int enriched, int deadLettered, int lost,
      int duplicated, int misrouted, int kills, boolean brokerBounced, int instances,
      Duration duration, List<String> examples) {
    public boolean clean() {
      return lost == 0 && duplicated == 0 && misrouted == 0;
    }

    public String summary() {
      return String.format("events %,d (bad %,d): enriched %,d, dead-lettered %,d, lost %d,"
              + " duplicated %d, misrouted %d | %d kills, broker bounced: %s, instances: %d,"
              + " %d s", events, bad, enriched, deadLettered, lost, duplicated, misrouted, kills,
          brokerBounced, instances, duration.toSeconds());
    }
  }

  private final Options options;
  private final PrintStream out;

  public ChaosRun(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /**
   * The three pipelines' default topics, four partitions each, created before any service
   * instance starts, with the sizes the service would give them.
   */
  public static void createTopics(String bootstrap) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (String m : MODALITIES) {
      topics.put(m + ".events", 4);
      topics.put(m + ".enriched", 4);
      topics.put(m + ".dead-letters", 4);
    }
    Properties client = new Properties();
    client.put("bootstrap.servers", bootstrap);
    Topics.ensure(client, topics, Topics.maxMessageBytes(
        new KinferSettings().getLimits().getMaxRecordBytes()), java.util.Set.of());
  }

  public Report run() throws Exception {
    long started = System.nanoTime();
    Random random = new Random(options.seed());
    Path work = Files.createTempDirectory("kinfer-chaos-");
    Path brokerDir = work.resolve("broker");
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, brokerDir);
    String bootstrap = broker.bootstrapServers();
    int port = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    out.println("chaos: broker at " + bootstrap + ", work folder " + work);
    createTopics(bootstrap);

    Map<String, Boolean> expectBad = new LinkedHashMap<>();
    List<ProducerRecord<byte[], byte[]>> records = events(random, expectBad);
    List<ServiceInstance> instances = new ArrayList<>();
    Outcomes outcomes = new Outcomes(bootstrap,
        MODALITIES.stream().map(m -> m + ".enriched").toList(),
        MODALITIES.stream().map(m -> m + ".dead-letters").toList());
    boolean bounced = false;
    KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
    try {
      for (int i = 0; i < options.instances(); i++) {
        instances.add(ServiceInstance.start(i, bootstrap, work, options.modelsDir()));
      }
      int slices = Math.max(1, options.kills());
      int produced = 0;
      long killsStarted = System.nanoTime();
      for (int k = 1; k <= options.kills(); k++) {
        ServiceInstance victim = instances.get(k % instances.size());
        // Kill while it works: once its pipelines run, send the next slice, then kill it at a
        // random moment 0.5-3 s later.
        victim.awaitRunning(Duration.ofMinutes(3));
        int end = (int) ((long) k * records.size() / slices);
        send(producer, records.subList(produced, end));
        produced = end;
        Thread.sleep(500 + random.nextInt(2_500));
        long perKill = (System.nanoTime() - killsStarted) / k;
        out.printf("chaos: kill %d/%d: SIGKILL instance %d (%,d of %,d events produced, %,d"
            + " settled; kills done in about %d s, then the rest settles)%n", k,
            options.kills(), victim.slot(), produced, records.size(), outcomes.settled(),
            perKill * (options.kills() - k) / 1_000_000_000L);
        victim.kill();
        if (options.bounceBroker() && !bounced && k >= (options.kills() + 1) / 2) {
          out.println("chaos: bouncing the broker");
          broker.close();
          broker = EmbeddedKafkaBroker.start(port, brokerDir);
          bounced = true;
        }
        instances.set(k % instances.size(), ServiceInstance.start(victim.slot(), bootstrap, work,
            options.modelsDir()));
      }
      if (options.bounceBroker() && !bounced) {
        out.println("chaos: bouncing the broker");
        broker.close();
        broker = EmbeddedKafkaBroker.start(port, brokerDir);
        bounced = true;
      }
      send(producer, records.subList(produced, records.size()));
      long deadline = System.nanoTime() + options.settleTimeout().toNanos();
      while (outcomes.settled() < records.size() && System.nanoTime() < deadline) {
        Thread.sleep(500);
      }
      Thread.sleep(3_000); // late duplicates would show up here
    } finally {
      for (ServiceInstance instance : instances) {
        instance.stop();
      }
      producer.close();
      outcomes.close();
      broker.close();
    }
    return report(expectBad, outcomes, bounced, Duration.ofNanos(System.nanoTime() - started));
  }

  private Report report(Map<String, Boolean> expectBad, Outcomes outcomes, boolean bounced,
      Duration duration) {
    int enriched = 0;
    int dead = 0;
    int lost = 0;
    int duplicated = 0;
    int misrouted = 0;
    int bad = 0;
    List<String> examples = new ArrayList<>();
    for (var entry : expectBad.entrySet()) {
      Outcomes.Count c = outcomes.get(entry.getKey());
      bad += entry.getValue() ? 1 : 0;
      if (c == null) {
        lost++;
        note(examples, "lost " + entry.getKey());
        continue;
      }
      enriched += c.enriched > 0 ? 1 : 0;
      dead += c.deadLettered > 0 ? 1 : 0;
      if (c.enriched + c.deadLettered > 1) {
        duplicated++;
        note(examples, "duplicated " + entry.getKey() + " (enriched " + c.enriched
            + ", dead-lettered " + c.deadLettered + ")");
      }
      if (entry.getValue() ? c.enriched > 0 : c.deadLettered > 0) {
        misrouted++;
        note(examples, "misrouted " + entry.getKey());
      }
    }
    return new Report(expectBad.size(), bad, enriched, dead, lost, duplicated, misrouted,
        options.kills(), bounced, options.instances(), duration, examples);
  }

  private static void note(List<String> examples, String line) {
    if (examples.size() < 10) {
      examples.add(line);
    }
  }

  /** M events round-robin over the modalities; a share of them bad in three ways. */
  private List<ProducerRecord<byte[], byte[]>> events(Random random,
      Map<String, Boolean> expectBad) throws IOException {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(options.events());
    // Real inputs: the committed samples.
    Path samples = options.modelsDir().resolve("samples");
    byte[] png = Files.readAllBytes(samples.resolve("image/fashion-000.png"));
    byte[] wav;
    try (var files = Files.list(samples.resolve("audio"))) {
      wav = Files.readAllBytes(files.filter(f -> f.toString().endsWith(".wav")).sorted()
          .findFirst().orElseThrow());
    }
    for (int i = 0; i < options.events(); i++) {
      String modality = MODALITIES.get(i % 3);
      String id = String.format("chaos-%06d", i);
      boolean bad = random.nextDouble() < options.badShare();
      byte[] value;
      if (bad) {
        value = switch (random.nextInt(3)) {
          case 0 -> "garbage, not avro".getBytes(StandardCharsets.UTF_8);
          case 1 -> null;
          default -> undecodable(modality, id);
        };
      } else {
        value = switch (modality) {
          case "image" -> image(id, ImageFormat.PNG, png);
          case "audio" -> audio(id, wav);
          default -> EventFiles.text(envelope(id), "a small animal with a long tail " + i);
        };
      }
      expectBad.put(id, bad);
      records.add(new ProducerRecord<>(modality + ".events",
          id.getBytes(StandardCharsets.UTF_8), value));
    }
    return records;
  }

  private static byte[] undecodable(String modality, String id) {
    return switch (modality) {
      case "image" -> image(id, ImageFormat.PNG, new byte[] {1, 2, 3});
      case "audio" -> audio(id, new byte[] {4, 5, 6});
      default -> EventFiles.text(envelope(id), "  ");
    };
  }

  private static Envelope envelope(String id) {
    return EventFiles.envelope(id, "kinfer-chaos", Map.of());
  }

  private static byte[] image(String id, ImageFormat format, byte[] bytes) {
    return AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder().setEnvelope(envelope(id))
        .setFormat(format).setImage(ByteBuffer.wrap(bytes)).build());
  }

  private static byte[] audio(String id, byte[] bytes) {
    return AvroSerde.of(AudioEvent.class).encode(AudioEvent.newBuilder().setEnvelope(envelope(id))
        .setEncoding(AudioEncoding.WAV).setAudio(ByteBuffer.wrap(bytes)).build());
  }

  /** Idempotent, so a broker bounce or a retry never writes an event twice. */
  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends {@code slice} and waits until the broker has it. */
  private void send(KafkaProducer<byte[], byte[]> producer,
      List<ProducerRecord<byte[], byte[]>> slice) {
    for (ProducerRecord<byte[], byte[]> r : slice) {
      producer.send(r, (meta, e) -> {
        if (e != null) {
          out.println("chaos: producer failed: " + e);
        }
      });
    }
    producer.flush();
  }
}
