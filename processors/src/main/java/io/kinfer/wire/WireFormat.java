package io.kinfer.wire;

import io.kinfer.config.KinferSettings;
import io.kinfer.config.RegistrySettings;
import io.kinfer.schema.AvroSerde;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * How Kinfer's records look on Kafka ({@code kinfer.wire-format}): {@link #PLAIN} Avro binary of
 * the published schema, or {@link RegistryFraming} (a magic byte, a schema id, Avro binary of
 * the writer's schema version) as Confluent-compatible serializers write it. Events are read,
 * results written and dead letters of decoded events re-written in the same format; records
 * that could not be read at all are dead-lettered as they came. The tools' produce and consume
 * follow the same setting.
 */
public interface WireFormat {

  /** Plain Avro binary, no framing, no registry: the embedded demo's default. */
  WireFormat PLAIN = new WireFormat() {
    @Override
    public <E extends SpecificRecord> Deserializer<E> reader(AvroSerde<E> serde) {
      return serde.deserializer();
    }

    @Override
    public <E extends SpecificRecord> Serializer<E> writer(AvroSerde<E> serde) {
      return serde.serializer();
    }

    @Override
    public <E extends SpecificRecord> UnaryOperator<byte[]> reframe(AvroSerde<E> serde,
        String topic) {
      return UnaryOperator.identity();
    }

    @Override
    public String toString() {
      return "plain Avro";
    }
  };

  /** Reads records into Kinfer's schema of {@code serde}'s type (events, or results). */
  <E extends SpecificRecord> Deserializer<E> reader(AvroSerde<E> serde);

  /** Writes records of {@code serde}'s type (results, or events). */
  <E extends SpecificRecord> Serializer<E> writer(AvroSerde<E> serde);

  /**
   * Turns plain Avro of {@code serde}'s schema into the value written to {@code topic}: a
   * decoded event, kept as plain Avro while it waits for its batch, into its dead letter; an
   * event a tool encoded into what a producer sends.
   */
  default <E extends SpecificRecord> UnaryOperator<byte[]> reframe(AvroSerde<E> serde,
      String topic) {
    Serializer<E> writer = writer(serde);
    return plain -> writer.serialize(topic, serde.decode(plain));
  }

  /** The format {@code kinfer.wire-format} and {@code kinfer.registry.*} name. */
  static WireFormat of(KinferSettings settings, RegistrySettings registry) {
    if (!"registry".equals(settings.getWireFormat())) {
      return PLAIN;
    }
    return new RegistryFraming(new RegistryOptions(registry.getUrl(), registry.isAutoRegister(),
        registry.getUsername(), registry.getPassword(), registry.tls()));
  }

  /**
   * Checks before any record is read that a pipeline's results and dead letters can be written
   * (the registry answers, the schemas are or can be registered); throws
   * {@link IllegalStateException} saying what to change.
   */
  default void check(String outputTopic, String deadLetterTopic, AvroSerde<?> events) {}
}
