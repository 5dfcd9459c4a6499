package io.kinfer.deadletter;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization exception hook: bytes that are not an event of the topic's
 * schema are dead-lettered as they came, and processing goes on.
 */
public final class DeserializationDeadLetterHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeserializationDeadLetterHandler.class);
  private String topic;
  private DeadLetterListener listener;
  private int maxBytes;

  @Override
  public void configure(Map<String, ?> configs) {
    topic = DeadLetters.topic(configs);
    listener = DeadLetterListener.from(configs);
    maxBytes = DeadLetters.maxBytes(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
      Exception exception) {
    LOG.debug("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(),
        context.offset(), exception.getMessage());
    listener.deadLettered("deserialize", DeadLetters.reason(exception),
        DeadLetters.origin(context));
    return Response.resume(DeadLetters.of(topic, context, record.key(), record.value(),
        "deserialize", exception, maxBytes));
  }
}
