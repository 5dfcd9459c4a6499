package io.kinfer.batching;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record waiting in the batch buffer, as stored in the changelogged state store: the key, the
 * event bytes, the record timestamp and headers, and when it arrived (for the queue-wait
 * timing). Compact binary, versioned by its first byte.
 *
 * <p>A record that arrives holds its decoded event, not its bytes ({@link #encodedLater}): the
 * bytes are made only if the record is saved before a commit or dead-lettered, and most records
 * are scored and forwarded before either (Avro-encoding every image event as it arrived was 6% of
 * the image stream thread's samples under a backlog).
 */
final class BufferedEvent {

  /** 2: header names as length-prefixed UTF-8 (1 wrote them with writeUTF, which caps them
   *  at 64 KiB and failed on longer ones). Both are read. */
  private static final byte FORMAT = 2;

  private final byte[] key;
  private final long timestamp;
  private final Headers headers;
  private final long arrivedMillis;
  private byte[] event;
  private Supplier<byte[]> encoding;

  BufferedEvent(byte[] key, byte[] event, long timestamp, Headers headers, long arrivedMillis) {
    this.key = key;
    this.event = event;
    this.timestamp = timestamp;
    this.headers = headers;
    this.arrivedMillis = arrivedMillis;
  }

  /** A record whose event bytes {@code encoding} makes when they are first needed. */
  static BufferedEvent encodedLater(byte[] key, Supplier<byte[]> encoding, long timestamp,
      Headers headers, long arrivedMillis) {
    BufferedEvent later = new BufferedEvent(key, null, timestamp, headers, arrivedMillis);
    later.encoding = encoding;
    return later;
  }

  byte[] key() {
    return key;
  }

  /** The event's bytes (encoded now if they were left for later). */
  byte[] event() {
    if (encoding != null) {
      event = encoding.get();
      encoding = null;
    }
    return event;
  }

  long timestamp() {
    return timestamp;
  }

  Headers headers() {
    return headers;
  }

  long arrivedMillis() {
    return arrivedMillis;
  }

  byte[] toBytes() {
    try {
      byte[] event = event();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(event.length + 64);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(FORMAT);
      out.writeLong(timestamp);
      out.writeLong(arrivedMillis);
      writeBytes(out, key);
      writeBytes(out, event);
      Header[] all = headers.toArray();
      out.writeInt(all.length);
      for (Header h : all) {
        writeBytes(out, h.key().getBytes(StandardCharsets.UTF_8));
        writeBytes(out, h.value());
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BufferedEvent fromBytes(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != 1 && format != FORMAT) {
        throw new IllegalStateException("batch buffer entry has format " + format
            + "; this Kinfer reads formats 1 and " + FORMAT);
      }
      long timestamp = in.readLong();
      long arrived = in.readLong();
      byte[] key = readBytes(in);
      byte[] event = readBytes(in);
      RecordHeaders headers = new RecordHeaders();
      int count = in.readInt();
      for (int i = 0; i < count; i++) {
        String name = format == 1 ? in.readUTF()
            : new String(readBytes(in), StandardCharsets.UTF_8);
        headers.add(name, readBytes(in));
      }
      return new BufferedEvent(key, event, timestamp, headers, arrived);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(value.length);
      out.write(value);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int length = in.readInt();
    return length < 0 ? null : in.readNBytes(length);
  }
}
