package io.kinfer.wire;

import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How Kinfer's records look on Kafka ({@code kinfer.wire-format}): {@link #PLAIN} Avro binary of
 * the published schema, or {@link RegistryFraming} (a magic byte, a schema id, Avro binary of
 * the writer's schema version) as Confluent-compatible serializers write it. Events are read,
 * results written and dead letters of decoded events re-written in the same format; records
 * that could not be read at all are dead-lettered as they came.
 */
public interface WireFormat {

  /** Plain Avro binary, no framing, no registry: the embedded demo's default. */
  WireFormat PLAIN = new WireFormat() {
    private final AvroSerde<EnrichedEvent> results = AvroSerde.of(EnrichedEvent.class);

    @Override
    public <E extends SpecificRecord> Deserializer<E> events(AvroSerde<E> serde) {
      return serde.deserializer();
    }

    @Override
    public Serializer<EnrichedEvent> results() {
      return results.serializer();
    }

    @Override
    public <E extends SpecificRecord> UnaryOperator<byte[]> deadLetters(AvroSerde<E> serde,
        String deadLetterTopic) {
      return UnaryOperator.identity();
    }

    @Override
    public String toString() {
      return "plain Avro";
    }
  };

  /** Reads a pipeline's events (onto Kinfer's schema of {@code serde}'s type). */
  <E extends SpecificRecord> Deserializer<E> events(AvroSerde<E> serde);

  /** Writes results. */
  Serializer<EnrichedEvent> results();

  /**
   * Turns a decoded event, kept as plain Avro of {@code serde}'s schema while it waits for its
   * batch, into the value of its dead letter on this format.
   */
  <E extends SpecificRecord> UnaryOperator<byte[]> deadLetters(AvroSerde<E> serde,
      String deadLetterTopic);

  /**
   * Checks before any record is read that a pipeline's results and dead letters can be written
   * (the registry answers, the schemas are or can be registered); throws
   * {@link IllegalStateException} saying what to change.
   */
  default void check(String outputTopic, String deadLetterTopic, AvroSerde<?> events) {}
}
