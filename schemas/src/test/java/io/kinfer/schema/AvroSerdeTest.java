package io.kinfer.schema;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static Envelope envelope(String id) {
    return Envelope.newBuilder().setEventId(id).setSource("test")
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setAttributes(Map.of("camera", "7")).build();
  }

  /** One serde per class, shared by threads that each encode and decode their own records. */
  @Test
  void oneSerdePerClassSharedAcrossThreads() throws Exception {
    assertSame(AvroSerde.of(TextEvent.class), AvroSerde.of(TextEvent.class));
    assertNotSame((Object) AvroSerde.of(TextEvent.class), AvroSerde.of(AudioEvent.class));
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Boolean>> done = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String prefix = "thread " + t + " ";
        done.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            TextEvent text = TextEvent.newBuilder().setEnvelope(envelope(prefix + i))
                .setText(prefix + "text " + i).build();
            if (!text.equals(roundTrip(AvroSerde.of(TextEvent.class), text))) {
              return false;
            }
          }
          return true;
        }));
      }
      for (var d : done) {
        assertTrue(d.get(60, java.util.concurrent.TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void roundTripsEveryEventType() {
    ImageEvent image = ImageEvent.newBuilder().setEnvelope(envelope("i1"))
        .setFormat(ImageFormat.RAW).setImage(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
        .setWidth(2).setHeight(2).build();
    AudioEvent audio = AudioEvent.newBuilder().setEnvelope(envelope("a1"))
        .setEncoding(AudioEncoding.PCM16LE).setAudio(ByteBuffer.wrap(new byte[] {0, 1})).build();
    TextEvent text = TextEvent.newBuilder().setEnvelope(envelope("t1")).setText("héllo").build();
    EnrichedEvent enriched = EnrichedEvent.newBuilder().setEnvelope(envelope("t1"))
        .setModality(Modality.TEXT)
        .setModel(new ModelInfo("m", "1", "TensorFlow 2.16.1", "cpu()"))
        .setPredictions(List.of(new Prediction("a", 0.9f), new Prediction("b", 0.1f)))
        .setTopLabel("a").setEmbedding(List.of(0.5f, -0.5f))
        .setTimings(new Timings(1.5, 2.5, 3)).setProcessedAt(Instant.ofEpochMilli(5)).build();

    assertEquals(image, roundTrip(AvroSerde.of(ImageEvent.class), image));
    assertEquals(audio, roundTrip(AvroSerde.of(AudioEvent.class), audio));
    assertEquals(text, roundTrip(AvroSerde.of(TextEvent.class), text));
    assertEquals(enriched, roundTrip(AvroSerde.of(EnrichedEvent.class), enriched));
    assertEquals(16000, audio.getSampleRate(), "default sample rate from the schema");
  }

  @Test
  void readsWhatAGenericWriterWroteFromTheAvscAlone() throws Exception {
    // What a producer in another language does: the .avsc plus a plain binary encoder.
    var schemas = SchemaCompatibilityTest.parseFolder(java.nio.file.Path.of("src/main/avro"));
    GenericRecord env = new GenericData.Record(schemas.get("Envelope"));
    env.put("eventId", "x-1");
    env.put("source", "python");
    env.put("eventTime", 42L);
    env.put("attributes", Map.of());
    GenericRecord text = new GenericData.Record(schemas.get("TextEvent"));
    text.put("envelope", env);
    text.put("text", "a dog");
    text.put("language", null);
    var out = new java.io.ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(text.getSchema()).write(text, encoder);
    encoder.flush();

    TextEvent decoded = AvroSerde.of(TextEvent.class).decode(out.toByteArray());
    assertEquals("x-1", decoded.getEnvelope().getEventId());
    assertEquals("a dog", decoded.getText());
  }

  @Test
  void garbageAndTruncatedBytesFailWithSerializationException() {
    AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);
    byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
    assertThrows(SerializationException.class, () -> serde.decode(garbage));
    byte[] good = serde.encode(TextEvent.newBuilder().setEnvelope(envelope("t"))
        .setText("some words").build());
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 3);
    assertThrows(SerializationException.class, () -> serde.decode(truncated));
    byte[] trailing = java.util.Arrays.copyOf(good, good.length + 2);
    assertThrows(SerializationException.class, () -> serde.decode(trailing));
  }

  @Test
  void nullStaysNull() {
    AvroSerde<ImageEvent> serde = AvroSerde.of(ImageEvent.class);
    assertNull(serde.decode(null));
    assertNull(serde.encode(null));
    assertArrayEquals(null, serde.serializer().serialize("t", null));
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(
      AvroSerde<T> serde, T record) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", record));
  }
}
