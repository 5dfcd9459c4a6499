package io.kinfer.deadletter;

import java.util.Map;
import io.kinfer.wire.RegistryUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization exception hook: bytes that are not an event of the topic's
 * schema are dead-lettered as they came, and processing goes on. A schema registry that does
 * not answer is no fault of the record's: the pipeline stops instead.
 */
public final class DeserializationDeadLetterHandler implements DeserializationExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeserializationDeadLetterHandler.class);
  private DeadLetterHook hook;

  @Override
  public void configure(Map<String, ?> configs) {
    hook = DeadLetterHook.from(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
      Exception exception) {
    if (exception instanceof RegistryUnavailableException) {
      // Not the record's fault: stop, commit nothing, read it again once the registry answers.
      LOG.error("Stopping the pipeline (at {}-{}@{}): {}", context.topic(), context.partition(),
          context.offset(), exception.getMessage());
      return Response.fail();
    }
    LOG.debug("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(),
        context.offset(), exception.getMessage());
    return Response.resume(hook.deadLetter(context, record.key(), record.value(), "deserialize",
        exception));
  }
}
