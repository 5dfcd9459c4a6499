package io.kinfer.deadletter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A dead letter cut to fit the largest record its topic takes, so that writing it can never
 * fail for its size. When the whole record fits it is left alone. Otherwise, in this order:
 * the input's own headers are dropped when they take over a quarter of the budget (the reason
 * headers always stay), a key over 16 KiB is cut, and the value is cut to what is left; the
 * value's original size and SHA-256 go in {@link #ORIGINAL_BYTES} and {@link #ORIGINAL_SHA256},
 * and {@link #TRUNCATED} lists what was cut ({@code headers}, {@code key}, {@code value}).
 */
public record DeadLetterFit(byte[] key, byte[] value, RecordHeaders headers) {

  public static final String ORIGINAL_BYTES = "kinfer.original.value.bytes";
  public static final String ORIGINAL_SHA256 = "kinfer.original.value.sha256";
  public static final String TRUNCATED = "kinfer.truncated";
  /** Room for the record batch's own framing. */
  static final int OVERHEAD = 1024;
  static final int MAX_KEY = 16 * 1024;

  /** @param maxBytes the largest record the dead-letter topic and the producer take */
  public static DeadLetterFit of(byte[] key, byte[] value, Headers headers, int maxBytes) {
    RecordHeaders kept = new RecordHeaders(headers.toArray());
    if (size(key, value, kept) <= maxBytes) {
      return new DeadLetterFit(key, value, kept);
    }
    List<String> cut = new ArrayList<>();
    if (headersSize(kept) > maxBytes / 4) {
      RecordHeaders ours = new RecordHeaders();
      for (Header h : kept) {
        if (h.key().startsWith("kinfer.") || h.key().startsWith("__streams.")) {
          ours.add(h);
        }
      }
      kept = ours;
      cut.add("headers");
    }
    byte[] keptKey = key;
    if (key != null && key.length > MAX_KEY) {
      keptKey = Arrays.copyOf(key, MAX_KEY);
      cut.add("key");
    }
    byte[] keptValue = value;
    int valueBudget = maxBytes - size(keptKey, null, kept) - 256; // the three headers below
    if (value != null && value.length > valueBudget) {
      keptValue = Arrays.copyOf(value, Math.max(0, valueBudget));
      cut.add("value");
      kept.remove(ORIGINAL_BYTES);
      kept.add(ORIGINAL_BYTES, String.valueOf(value.length).getBytes(StandardCharsets.UTF_8));
      kept.remove(ORIGINAL_SHA256);
      kept.add(ORIGINAL_SHA256, sha256(value).getBytes(StandardCharsets.UTF_8));
    }
    kept.remove(TRUNCATED);
    kept.add(TRUNCATED, String.join(",", cut).getBytes(StandardCharsets.UTF_8));
    return new DeadLetterFit(keptKey, keptValue, kept);
  }

  /** An upper bound of the bytes a record takes on the wire. */
  static int size(byte[] key, byte[] value, Headers headers) {
    long size = OVERHEAD + (key == null ? 0 : key.length) + (value == null ? 0 : value.length)
        + headersSize(headers);
    return (int) Math.min(Integer.MAX_VALUE, size);
  }

  private static long headersSize(Headers headers) {
    long size = 0;
    for (Header h : headers) {
      size += 10 + h.key().getBytes(StandardCharsets.UTF_8).length
          + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
