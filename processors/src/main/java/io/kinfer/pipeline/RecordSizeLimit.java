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
    long valueBytes = data == null ? 0 : data.length;
    // Cheap bound first (a char is at most 3 UTF-8 bytes): no encoding for ordinary records.
    if (valueBytes + headerBytes(headers, false) > maxBytes
        && valueBytes + headerBytes(headers, true) > maxBytes) {
      long headerBytes = headerBytes(headers, true);
      long size = valueBytes + headerBytes;
      throw new SerializationException("record of " + size + " bytes (value "
          + valueBytes + ", headers " + headerBytes + ") is over"
          + " kinfer.limits.max-record-bytes (" + maxBytes + ")");
    }
    return inner.deserialize(topic, headers, data);
  }

  /** The headers' size: exact (names encoded) or an upper bound that allocates nothing. */
  private static long headerBytes(Headers headers, boolean exact) {
    long bytes = 0;
    if (headers != null) {
      for (Header h : headers) {
        bytes += (exact ? h.key().getBytes(StandardCharsets.UTF_8).length : 3L * h.key().length())
            + (h.value() == null ? 0 : h.value().length);
      }
    }
    return bytes;
  }

  @Override
  public void close() {
    inner.close();
  }
}
