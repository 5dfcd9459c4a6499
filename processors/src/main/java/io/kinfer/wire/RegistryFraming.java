package io.kinfer.wire;

import io.apicurio.registry.rest.client.exception.NotFoundException;
import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.client.exception.RuleViolationException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.apicurio.registry.resolver.SchemaResolverConfig;
import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import io.apicurio.registry.serde.data.KafkaSerdeRecord;
import io.apicurio.rest.client.error.ApicurioRestClientException;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Registry framing ({@code kinfer.wire-format=registry}): what Confluent-compatible Avro
 * serializers write (magic byte 0, the schema's 4-byte id, Avro binary of the writer's schema
 * version), through Apicurio Registry's serde. Events are read by resolving the writer's schema
 * by id and projecting it onto Kinfer's schema; results and dead letters of decoded events are
 * written framed, their schemas registered under {@code <topic>-value} (Confluent's topic-name
 * subjects) or looked up there when {@link RegistryOptions#autoRegister()} is off.
 *
 * <p>The ids are the registry's content ids, which its Confluent-compatible API
 * ({@code /apis/ccompat/v7}) hands to Confluent's clients, so both kinds of client share one
 * registry. What goes wrong is told apart: bytes that are not framed, an id the registry does
 * not know or a schema Kinfer cannot read are the record's fault ({@link SerializationException},
 * a dead letter); a registry that does not answer is not ({@link RegistryUnavailableException},
 * the pipeline stops with nothing dead-lettered).
 */
public final class RegistryFraming implements WireFormat {

  private static final int HEADER_BYTES = 5;

  private final RegistryOptions options;

  public RegistryFraming(RegistryOptions options) {
    this.options = options;
  }

  @Override
  public String toString() {
    return options.toString();
  }

  @Override
  public <E extends SpecificRecord> Deserializer<E> reader(AvroSerde<E> serde) {
    Map<String, Object> config = serdeConfig();
    config.put(ReaderSchemaDatumProvider.READER_CLASS, serde.type());
    AvroKafkaDeserializer<E> apicurio = new AvroKafkaDeserializer<>();
    apicurio.configure(config, false);
    return new FramedEvents<>(apicurio, serde.type().getSimpleName(), options.url());
  }

  @Override
  public <E extends SpecificRecord> Serializer<E> writer(AvroSerde<E> serde) {
    AvroKafkaSerializer<E> apicurio = new AvroKafkaSerializer<>();
    apicurio.configure(serdeConfig(), false);
    return (topic, record) -> write(apicurio, topic, record);
  }

  @Override
  public void check(String outputTopic, String deadLetterTopic, AvroSerde<?> events) {
    AvroKafkaSerializer<Object> apicurio = new AvroKafkaSerializer<>();
    apicurio.configure(serdeConfig(), false);
    try {
      resolve(apicurio, outputTopic, EnrichedEvent.getClassSchema());
      resolve(apicurio, deadLetterTopic, events.schema());
    } finally {
      apicurio.close();
    }
  }

  /** Registers (or finds) the schema the serializer will use for {@code topic}'s values. */
  private void resolve(AvroKafkaSerializer<Object> apicurio, String topic, Schema schema) {
    String subject = topic + "-value";
    try {
      apicurio.getSchemaResolver().resolveSchema(new KafkaSerdeRecord<>(
          new KafkaSerdeMetadata(topic, false, null), new GenericData.Record(schema)));
    } catch (RuntimeException e) {
      RuntimeException cause = registryError(e);
      if (cause instanceof NotFoundException) {
        throw new IllegalStateException("the schema registry at " + options.url() + " has no"
            + " version of Kinfer's " + schema.getName() + " schema under subject '" + subject
            + "' and kinfer.registry.auto-register is false: register schemas/src/main/avro/"
            + schema.getName() + ".avsc there, or set kinfer.registry.auto-register=true", e);
      }
      if (cause instanceof RuleViolationException) {
        throw new IllegalStateException("the schema registry at " + options.url() + " refused"
            + " Kinfer's " + schema.getName() + " schema under subject '" + subject + "': "
            + describe(cause) + "; the subject's rules or versions do not fit Kinfer's schema",
            e);
      }
      if (cause == null) {
        throw e;
      }
      throw new IllegalStateException(unavailable(cause) + "; check kinfer.registry.url"
          + (options.username() == null ? "" : ", .username and .password")
          + " and, for https, kinfer.registry.truststore", e);
    }
  }

  private <T> byte[] write(AvroKafkaSerializer<T> apicurio, String topic, T record) {
    try {
      return apicurio.serialize(topic, record);
    } catch (RuntimeException e) {
      RuntimeException cause = registryError(e);
      if (cause == null) {
        throw e;
      }
      throw new RegistryUnavailableException(unavailable(cause) + " while writing to " + topic
          + ": the pipeline stops rather than write an unframed record; start it again once"
          + " the registry answers", e);
    }
  }

  private String unavailable(RuntimeException cause) {
    return "the schema registry at " + options.url() + " did not answer as expected ("
        + describe(cause) + ")";
  }

  private Map<String, Object> serdeConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(SerdeConfig.REGISTRY_URL, options.url());
    // Confluent's framing: magic byte and a 4-byte id in the value, no headers; the id is the
    // content id, the one the registry's Confluent-compatible API gives out.
    config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
    config.put(SerdeConfig.USE_ID, "contentId");
    config.put(SerdeConfig.ENABLE_HEADERS, false);
    config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, options.autoRegister());
    // Schemas already known stay in use while the registry is away; only a new one stops.
    config.put(SchemaResolverConfig.FAULT_TOLERANT_REFRESH, true);
    // A short retry rides out a blip without holding the stream thread for long.
    config.put(SerdeConfig.RETRY_COUNT, 2);
    config.put(SerdeConfig.RETRY_BACKOFF_MS, 250);
    config.put(AvroKafkaSerdeConfig.AVRO_DATUM_PROVIDER,
        ReaderSchemaDatumProvider.class.getName());
    if (options.username() != null) {
      config.put(SerdeConfig.AUTH_USERNAME, options.username());
      config.put(SerdeConfig.AUTH_PASSWORD, options.password());
    }
    options.tls().forEach((key, value) -> config.put("apicurio.registry.request.ssl." + key,
        value));
    return config;
  }

  /** The registry client's error in {@code e}'s causes, or null when it is none. */
  static RuntimeException registryError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApicurioRestClientException registry) {
        return registry;
      }
    }
    return null;
  }

  /** What the registry said, without a stack trace: its error name, code and message. */
  static String describe(RuntimeException registry) {
    if (registry instanceof RestClientException rest && rest.getError() != null) {
      Error error = rest.getError();
      StringBuilder what = new StringBuilder();
      if (error.getErrorCode() != null && error.getErrorCode() > 0) {
        what.append("HTTP ").append(error.getErrorCode()).append(' ');
      }
      if (error.getName() != null) {
        what.append(error.getName());
      }
      if (error.getMessage() != null) {
        what.append(what.length() > 0 ? ": " : "").append(error.getMessage());
      }
      if (what.length() > 0) {
        return what.toString().trim();
      }
    }
    Throwable root = registry;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.toString();
  }

  /** Reads framed events; tells the record's faults from the registry's. */
  private static final class FramedEvents<E> implements Deserializer<E> {

    private final AvroKafkaDeserializer<E> apicurio;
    private final String type;
    private final String url;
    /** Ids the registry said it lacks: their records are dead-lettered without asking again. */
    private final Map<Integer, String> missing = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Integer, String> eldest) {
        return size() > 1024;
      }
    };

    FramedEvents(AvroKafkaDeserializer<E> apicurio, String type, String url) {
      this.apicurio = apicurio;
      this.type = type;
      this.url = url;
    }

    @Override
    public E deserialize(String topic, byte[] data) {
      return deserialize(topic, null, data);
    }

    @Override
    public E deserialize(String topic, Headers headers, byte[] data) {
      if (data == null) {
        return null;
      }
      if (data.length < HEADER_BYTES || data[0] != 0) {
        throw new SerializationException("not a registry-framed Avro record: " + (data.length
            < HEADER_BYTES ? data.length + " bytes, fewer than the magic byte and 4-byte schema"
            + " id" : String.format("the first byte is 0x%02x, not the magic byte 0", data[0]))
            + "; kinfer.wire-format=registry reads what Confluent-compatible Avro serializers"
            + " write");
      }
      int id = ByteBuffer.wrap(data, 1, 4).getInt();
      String lacking;
      synchronized (missing) {
        lacking = missing.get(id);
      }
      if (lacking != null) {
        throw new SerializationException(lacking);
      }
      try {
        return apicurio.deserialize(topic, headers, data);
      } catch (RuntimeException e) {
        RuntimeException registry = registryError(e);
        if (registry instanceof NotFoundException) {
          String reason = "schema id " + id + " is not in the schema registry at " + url + " ("
              + describe(registry) + ")";
          synchronized (missing) {
            missing.put(id, reason);
          }
          throw new SerializationException(reason, e);
        }
        if (registry != null) {
          throw new RegistryUnavailableException("the schema registry at " + url + " did not"
              + " answer as expected (" + describe(registry) + ") while reading " + topic
              + ": the pipeline stops rather than dead-letter events it could not check; start"
              + " it again once the registry answers (offsets were not committed)", e);
        }
        throw new SerializationException("schema id " + id + " cannot be read as Kinfer's "
            + type + ": " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      apicurio.close();
    }
  }
}
