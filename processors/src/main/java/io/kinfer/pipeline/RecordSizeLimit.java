package io.kinfer.pipeline;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Refuses an input record whose value and headers together exceed {@code
 * kinfer.limits.max-record-bytes} before its value is decoded: the deserialization handler
 * dead-letters it (cut to fit), and the pipeline goes on.
 */
final class RecordSizeLimit<T> implements Deserializer<T> {

  private final Deserializer<T> inner;
  private final int maxBytes;

  RecordSizeLimit(Deserializer<T> inner, int maxBytes) {
    this.inner = inner;
    this.maxBytes = maxBytes;
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    return deserialize(topic, null, data);
  }

  @Override
  public T deserialize(String topic, Headers headers, byte[] data) {
    long headerBytes = 0;
    if (headers != null) {
      for (Header h : headers) {
        headerBytes += h.key().getBytes(StandardCharsets.UTF_8).length
            + (h.value() == null ? 0 : h.value().length);
      }
    }
    long size = (data == null ? 0 : data.length) + headerBytes;
    if (size > maxBytes) {
      throw new SerializationException("record of " + size + " bytes (value "
          + (data == null ? 0 : data.length) + ", headers " + headerBytes + ") is over"
          + " kinfer.limits.max-record-bytes (" + maxBytes + ")");
    }
    return inner.deserialize(topic, headers, data);
  }

  @Override
  public void close() {
    inner.close();
  }
}
