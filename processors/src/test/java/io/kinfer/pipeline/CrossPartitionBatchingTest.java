package io.kinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kinfer.Committed;
import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real broker: a pipeline's tasks (one per input partition) on one stream thread fill
 * one model call together. Max-delay is ten minutes and send-when-idle is off, so only a full
 * call can send the records within the test's two minutes, and no partition gets a full call's
 * worth alone: the results come back only if the call spans the partitions.
 */
@Timeout(240)
class CrossPartitionBatchingTest {

  private static final int PARTITIONS = 4;
  private static final int MAX_BATCH = 8;

  @TempDir Path tmp;

  @Test
  void recordsOfFourPartitionsShareOneModelCallOfMaxBatch() throws Exception {
    try (TestService running = TestService.start(tmp.resolve("state"), Map.of(
        "kinfer.pipelines.audio.enabled", false, "kinfer.pipelines.text.enabled", false,
        "kinfer.pipelines.image.partitions", PARTITIONS,
        "kinfer.pipelines.image.max-batch", MAX_BATCH,
        "kinfer.pipelines.image.max-delay", "10m",
        "kinfer.pipelines.image.send-when-idle", false))) {
      String bootstrap = running.service().bootstrapServers();
      AvroSerde<ImageEvent> serde = AvroSerde.of(ImageEvent.class);
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
          new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < MAX_BATCH; i++) {
          String id = "spread-" + i;
          producer.send(new ProducerRecord<>("image.events", i % PARTITIONS,
              id.getBytes(StandardCharsets.UTF_8), serde.encode(Events.png(id, i)))).get();
        }
      }
      Map<String, EnrichedEvent> results = Committed.results(bootstrap, "image.enriched",
          MAX_BATCH);
      results.forEach((id, result) -> assertEquals(MAX_BATCH,
          result.getTimings().getBatchSize(), id + " was scored in a call of "
              + result.getTimings().getBatchSize() + ", not with the other partitions'"));
    }
  }
}
