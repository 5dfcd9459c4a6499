package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Committed;
import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.TextEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the input limits cannot prevent: the output topic's {@code max.message.bytes} is lowered
 * under a running pipeline, so the broker refuses a large result. The refusal dooms the open
 * transaction (no dead letter could be written in it), so the pipeline stops at once, saying
 * which setting to raise, with nothing committed past the event before it: no silent loop, and
 * nothing lost when it is started again.
 */
@Timeout(300)
class RefusedResultTest {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path tmp;

  @Test
  void aRefusedResultStopsThePipelineNamingTheSettingToRaise() throws Exception {
    try (TestService running = start("exactly_once_v2")) {
      KinferService kinfer = running.service();
      String bootstrap = kinfer.bootstrapServers();
      sendAroundALargeResult(bootstrap);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!kinfer.failures().containsKey("text") && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      String failure = kinfer.failures().get("text");
      assertTrue(failure != null && failure.contains("raise the max.message.bytes"),
          "failure: " + failure);
      assertTrue(Committed.byKey(bootstrap, "text.enriched", Set.of("large", "after"),
          Duration.ofSeconds(3)).isEmpty(), "nothing of its partition committed past the event"
          + " before it");
    }
  }

  private TestService start(String guarantee) throws InterruptedException {
    return TestService.start(tmp.resolve(guarantee), Map.of("kinfer.processing-guarantee",
        guarantee, "kinfer.pipelines.image.enabled", false, "kinfer.pipelines.audio.enabled",
        false));
  }

  /** Lowers text.enriched's limit to 4,000 bytes, then sends before, large and after. */
  private static void sendAroundALargeResult(String bootstrap) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
          "text.enriched"), List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes",
          "4000"), AlterConfigOp.OpType.SET)))).all().get();
    }
    AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
        new ByteArraySerializer())) {
      send(producer, "before", serde.encode(Events.text("before", "an action")));
      // Its attributes are copied into the result: 20 KB, over the topic's 4,000 bytes.
      TextEvent large = TextEvent.newBuilder().setText("an action").setEnvelope(
          Envelope.newBuilder().setEventId("large").setSource("test")
              .setEventTime(Instant.ofEpochMilli(1_800_000_000_000L))
              .setAttributes(Map.of("pad", "x".repeat(20_000))).build()).build();
      send(producer, "large", serde.encode(large));
      send(producer, "after", serde.encode(Events.text("after", "an action")));
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value)
      throws Exception {
    // One partition: Kafka orders records within a partition only, and a stream thread's tasks
    // share model calls, so an event of another partition may be committed before it.
    producer.send(new ProducerRecord<>("text.events", 0, key.getBytes(StandardCharsets.UTF_8),
        value)).get();
  }
}
