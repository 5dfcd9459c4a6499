package io.kinfer.deadletter;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * What both Kafka Streams hooks share, read from the streams config: the dead-letter topic, the
 * listener to tell, and the largest record to write.
 */
record DeadLetterHook(String topic, DeadLetterListener listener, int maxBytes) {

  static DeadLetterHook from(Map<String, ?> configs) {
    return new DeadLetterHook(DeadLetters.topic(configs), DeadLetterListener.from(configs),
        DeadLetters.maxBytes(configs));
  }

  /** Tells the listener and returns the dead letter of a source record, cut to fit. */
  List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, byte[] key,
      byte[] value, String stage, Exception error) {
    listener.deadLettered(stage, DeadLetters.reason(error), DeadLetters.origin(context));
    return DeadLetters.of(topic, context, key, value, stage, error, maxBytes);
  }
}
