package io.kinfer.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the dead-letter record of a bad input: the original key and value bytes, the original
 * headers, and why. Header names follow Kafka Streams' own DLQ records ({@code __streams.errors.*},
 * KIP-1034) plus {@code kinfer.error.stage} (deserialize, decode, predict) and
 * {@code kinfer.error.reason}.
 */
public final class DeadLetters {

  public static final String STAGE = "kinfer.error.stage";
  public static final String REASON = "kinfer.error.reason";
  static final String EXCEPTION = "__streams.errors.exception";
  static final String MESSAGE = "__streams.errors.message";
  static final String TOPIC = "__streams.errors.topic";
  static final String PARTITION = "__streams.errors.partition";
  static final String OFFSET = "__streams.errors.offset";

  private DeadLetters() {}

  /** The DLQ topic from the streams config; required so nothing is dropped silently. */
  static String topic(Map<String, ?> configs) {
    Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
    if (topic == null || topic.toString().isBlank()) {
      throw new IllegalStateException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
          + " is not set: Kinfer's dead-letter handlers need a topic");
    }
    return topic.toString();
  }

  /** The largest record Kinfer writes, from the streams config (Kafka's default otherwise). */
  public static final String MAX_BYTES = "kinfer.limits.dead-letter-bytes";

  static int maxBytes(Map<String, ?> configs) {
    Object max = configs.get(MAX_BYTES);
    return max == null ? 1_000_000 : Integer.parseInt(max.toString());
  }

  static List<ProducerRecord<byte[], byte[]>> of(String topic, ErrorHandlerContext context,
      byte[] key, byte[] value, String stage, Exception error, int maxBytes) {
    RecordHeaders headers = new RecordHeaders();
    if (context.headers() != null) {
      context.headers().forEach(headers::add);
    }
    describe(headers, stage, reason(error), error, context.topic(), context.partition(),
        context.offset());
    DeadLetterFit fit = DeadLetterFit.of(key, value, headers, maxBytes);
    return List.of(new ProducerRecord<>(topic, null, Math.max(0, context.timestamp()), fit.key(),
        fit.value(), fit.headers()));
  }

  /** The reason a dead letter gives for {@code error}. */
  static String reason(Exception error) {
    String reason = error.getMessage() == null ? error.getClass().getSimpleName()
        : error.getMessage();
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
  }

  /** Reasons are cut to this many characters: they quote inputs at times. */
  static final int MAX_REASON = 2000;

  /** Where the failed record came from: topic-partition@offset. */
  static String origin(ErrorHandlerContext context) {
    return context.topic() + "-" + context.partition() + "@" + context.offset();
  }

  /** Adds the reason headers; partition and offset -1 when unknown (a batch, after buffering). */
  public static void describe(RecordHeaders headers, String stage, String reason, Exception error,
      String topic, int partition, long offset) {
    add(headers, STAGE, stage);
    add(headers, REASON, reason);
    add(headers, EXCEPTION, error.getClass().getName());
    add(headers, MESSAGE, reason);
    add(headers, TOPIC, topic);
    add(headers, PARTITION, String.valueOf(partition));
    add(headers, OFFSET, String.valueOf(offset));
  }

  private static void add(RecordHeaders headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }
}
