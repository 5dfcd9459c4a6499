package io.kinfer.pipeline;

import io.kinfer.deadletter.DeadLetters;

import io.kinfer.deadletter.DeserializationDeadLetterHandler;
import io.kinfer.deadletter.ProcessingDeadLetterHandler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.TestModels;
import io.kinfer.config.PipelineSettings;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.decode.TextDecoder;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.Modality;
import io.kinfer.schema.TextEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The shared pipeline's logic with TopologyTestDriver and the real shipped models. */
class PipelineTopologyTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"),
      ZoneOffset.UTC);

  private static Properties config(PipelineSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "test-" + settings.getName());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeserializationDeadLetterHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        ProcessingDeadLetterHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        settings.getDeadLetterTopic());
    return props;
  }

  private static PipelineSettings settings(String name, String model) {
    PipelineSettings settings = new PipelineSettings(name);
    settings.setModel(model);
    settings.setTopK(3);
    settings.setMaxBatch(1); // batching has its own test: here each record flows at once
    settings.setOverlap(false);
    return settings;
  }

  @Test
  void imageEventsComeOutEnrichedInOrderWithKeysTimestampsAndHeaders() {
    PipelineSettings settings = settings("image", "image-cnn");
    ImageDecoder modality = new ImageDecoder();
    Topology topology = PipelineTopology.build(settings, modality, TestModels.image(), CLOCK,
        null);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(settings))) {
      TestInputTopic<byte[], ImageEvent> in = driver.createInputTopic("image.events",
          new ByteArraySerializer(), modality.serde().serializer());
      TestOutputTopic<byte[], EnrichedEvent> out = driver.createOutputTopic("image.enriched",
          new ByteArrayDeserializer(), AvroSerde.of(EnrichedEvent.class).deserializer());
      for (int i = 0; i < 5; i++) {
        TestRecord<byte[], ImageEvent> record = new TestRecord<>(key("img-" + i),
            Events.png("img-" + i, i), Instant.ofEpochMilli(1000 + i));
        record.headers().add("trace", ("t" + i).getBytes(StandardCharsets.UTF_8));
        in.pipeInput(record);
      }
      List<TestRecord<byte[], EnrichedEvent>> results = out.readRecordsToList();
      assertEquals(5, results.size());
      for (int i = 0; i < 5; i++) {
        TestRecord<byte[], EnrichedEvent> result = results.get(i);
        EnrichedEvent e = result.value();
        assertEquals("img-" + i, e.getEnvelope().getEventId(), "order within the partition");
        assertArrayEquals(key("img-" + i), result.key());
        assertEquals(1000 + i, result.timestamp());
        assertEquals("t" + i, new String(result.headers().lastHeader("trace").value(),
            StandardCharsets.UTF_8));
        assertEquals(Modality.IMAGE, e.getModality());
        assertEquals("image-cnn", e.getModel().getName());
        assertEquals(TestModels.image().info().getVersion(), e.getModel().getVersion());
        assertEquals(3, e.getPredictions().size());
        assertEquals(e.getPredictions().get(0).getLabel(), e.getTopLabel());
        assertTrue(e.getPredictions().get(0).getScore() >= e.getPredictions().get(1).getScore());
        assertTrue(TestModels.image().labels().contains(e.getTopLabel()));
        assertEquals(1, e.getTimings().getBatchSize());
        assertTrue(e.getTimings().getInferenceMs() > 0);
        assertEquals(CLOCK.instant(), e.getProcessedAt());
        assertNull(e.getEmbedding(), "the CNN has no embedding output");
      }
    }
  }

  @Test
  void badRecordsAreDeadLetteredWithTheirBytesAndReasonAndTheRestFlows() {
    PipelineSettings settings = settings("image", "image-cnn");
    ImageDecoder modality = new ImageDecoder();
    Topology topology = PipelineTopology.build(settings, modality, TestModels.image(), CLOCK,
        null);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(settings))) {
      TestInputTopic<byte[], byte[]> in = driver.createInputTopic("image.events",
          new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic("image.enriched",
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      TestOutputTopic<byte[], byte[]> dead = driver.createOutputTopic("image.dead-letters",
          new ByteArrayDeserializer(), new ByteArrayDeserializer());
      AvroSerde<ImageEvent> serde = modality.serde();
      byte[] garbage = "this is not avro".getBytes(StandardCharsets.UTF_8);
      byte[] notAnImage = serde.encode(ImageEvent.newBuilder(Events.png("bad-png", 1))
          .setImage(ByteBuffer.wrap("plain text, not pixels".getBytes(StandardCharsets.UTF_8)))
          .build());
      byte[] rawWrongSize = serde.encode(ImageEvent.newBuilder(Events.png("bad-raw", 2))
          .setFormat(ImageFormat.RAW).setWidth(28).setHeight(28).build());

      in.pipeInput(key("good-1"), serde.encode(Events.png("good-1", 1)));
      in.pipeInput(key("garbage"), garbage);
      in.pipeInput(key("bad-png"), notAnImage);
      in.pipeInput(key("tombstone"), (byte[]) null);
      in.pipeInput(key("bad-raw"), rawWrongSize);
      in.pipeInput(key("good-2"), serde.encode(Events.png("good-2", 2)));

      assertEquals(2, out.readRecordsToList().size());
      List<TestRecord<byte[], byte[]>> letters = dead.readRecordsToList();
      assertEquals(List.of("garbage", "bad-png", "tombstone", "bad-raw"),
          letters.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList());
      assertArrayEquals(garbage, letters.get(0).value(), "original bytes kept");
      assertArrayEquals(notAnImage, letters.get(1).value());
      assertNull(letters.get(2).value());
      assertEquals("deserialize", header(letters.get(0), DeadLetters.STAGE));
      assertEquals("decode", header(letters.get(1), DeadLetters.STAGE));
      assertTrue(header(letters.get(1), DeadLetters.REASON).contains("not a PNG or JPEG"),
          header(letters.get(1), DeadLetters.REASON));
      assertTrue(header(letters.get(2), DeadLetters.REASON).contains("null value"));
      assertTrue(header(letters.get(3), DeadLetters.REASON).contains("28x28"));
      assertEquals("image.events", header(letters.get(0), "__streams.errors.topic"));
    }
  }

  @Test
  void textResultsCarryTheEmbedding() {
    PipelineSettings settings = settings("text", "text-transformer");
    TextDecoder modality = new TextDecoder();
    Topology topology = PipelineTopology.build(settings, modality, TestModels.text(), CLOCK,
        null);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config(settings))) {
      TestInputTopic<byte[], TextEvent> in = driver.createInputTopic("text.events",
          new ByteArraySerializer(), modality.serde().serializer());
      TestOutputTopic<byte[], EnrichedEvent> out = driver.createOutputTopic("text.enriched",
          new ByteArrayDeserializer(), AvroSerde.of(EnrichedEvent.class).deserializer());
      in.pipeInput(key("t1"), Events.text("t1", "a small dog with a long tail"));
      in.pipeInput(key("t2"), Events.text("t2", "   "));
      EnrichedEvent e = out.readValue();
      assertEquals("t1", e.getEnvelope().getEventId());
      assertTrue(e.getEmbedding().size() >= 32, "the pooled embedding");
      assertTrue(out.isEmpty(), "blank text is dead-lettered, not enriched");
    }
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(TestRecord<byte[], byte[]> record, String key) {
    Header header = record.headers().lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

}
