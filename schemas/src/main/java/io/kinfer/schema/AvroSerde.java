package io.kinfer.schema;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for Kinfer's generated records on the default wire format: plain Avro binary of
 * the published schema, no framing, no registry. A producer in any language writes it with the
 * {@code .avsc} file and a binary encoder.
 *
 * <p>A null value stays null both ways (a tombstone is not an event; the pipeline dead-letters
 * it). Bytes that do not decode raise {@link SerializationException}, which Kafka Streams hands to
 * the deserialization exception handler.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

  static {
    // Avro 1.12 refuses to instantiate generated classes outside trusted packages; trust ours
    // in addition to whatever the application already trusts.
    String ours = AvroSerde.class.getPackageName();
    ClassSecurityValidator.ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    ClassSecurityValidator.setGlobal(
        type -> type.getPackageName().equals(ours) || current.isTrusted(type));
  }

  private final Class<T> type;
  private final Schema schema;
  private final SpecificData model = new SpecificData();
  // Readers and writers resolve the schema once; each thread keeps its own.
  private final ThreadLocal<SpecificDatumReader<T>> readers;
  private final ThreadLocal<SpecificDatumWriter<T>> writers;

  private AvroSerde(Class<T> type) {
    this.type = type;
    this.schema = model.getSchema(type);
    this.readers = ThreadLocal.withInitial(() -> new SpecificDatumReader<>(schema, schema, model));
    this.writers = ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(schema, model));
  }

  /**
   * The serde of one generated record class, e.g. {@code AvroSerde.of(ImageEvent.class)}: one per
   * class, shared (it is thread-safe). A serde per call would cost a new {@link SpecificData},
   * whose caches the class keeps alive: a producer encoding event after event through
   * {@code of(...)} held 12,600 of them, tens of MB, in the bench's heap.
   */
  @SuppressWarnings("unchecked")
  public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
    return (AvroSerde<T>) SERDES.get(type);
  }

  private static final ClassValue<AvroSerde<?>> SERDES = new ClassValue<>() {
    @Override
    protected AvroSerde<?> computeValue(Class<?> type) {
      return new AvroSerde<>(type.asSubclass(SpecificRecord.class));
    }
  };

  public Schema schema() {
    return schema;
  }

  /** The generated class this serde reads and writes. */
  public Class<T> type() {
    return type;
  }

  /** Encodes one record as plain Avro binary. */
  public byte[] encode(T record) {
    if (record == null) {
      return null;
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writers.get().write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      throw new SerializationException(
          "cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Decodes plain Avro binary; fails if bytes are left over or missing. */
  public T decode(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
      T record = readers.get().read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException(
            "not " + article() + ": " + bytes.length + " bytes hold trailing data"
                + " after the record; is the producer writing the published schema?");
      }
      return record;
    } catch (SerializationException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "not " + article() + " in plain Avro binary (" + bytes.length + " bytes): "
              + e, e);
    }
  }

  private String article() {
    String name = type.getSimpleName();
    return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
  }

  @Override
  public Serializer<T> serializer() {
    return (topic, record) -> encode(record);
  }

  @Override
  public Deserializer<T> deserializer() {
    return (topic, bytes) -> decode(bytes);
  }
}
