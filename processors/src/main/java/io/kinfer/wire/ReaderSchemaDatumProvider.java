package io.kinfer.wire;

import io.apicurio.registry.serde.avro.AvroDatumProvider;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Apicurio's hook for Avro readers and writers, set to read every writer's schema version
 * through Kinfer's own schema of one generated class ({@link #READER_CLASS}): Avro's schema
 * resolution fills fields the writer lacks with their defaults and skips fields Kinfer does not
 * know, so producers on older and newer compatible versions are read alike.
 */
public final class ReaderSchemaDatumProvider<T> implements AvroDatumProvider<T> {

  /** Serde setting: the generated class whose schema events are read into. */
  public static final String READER_CLASS = "kinfer.reader-class";

  private SpecificData model = new SpecificData();
  private Schema reader;

  @Override
  public void configure(AvroKafkaSerdeConfig config) {
    Object type = config.originals().get(READER_CLASS);
    if (type == null) {
      return; // a serializer: writes each record with its own schema
    }
    try {
      Class<?> readerClass = type instanceof Class<?> c ? c : Class.forName(type.toString());
      model = new SpecificData(readerClass.getClassLoader());
      reader = model.getSchema(readerClass);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("no reader class " + type, e);
    }
  }

  @Override
  public DatumReader<T> createDatumReader(Schema writer) {
    return new SpecificDatumReader<>(writer, reader == null ? writer : reader, model);
  }

  @Override
  public DatumWriter<T> createDatumWriter(T data, Schema schema) {
    return new SpecificDatumWriter<>(schema, model);
  }

  @Override
  public Schema toSchema(T data) {
    return ((GenericContainer) data).getSchema();
  }
}
