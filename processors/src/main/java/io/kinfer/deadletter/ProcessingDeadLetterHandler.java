package io.kinfer.deadletter;

import io.kinfer.decode.BadInputException;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' processing exception hook (KIP-1033): an event whose content cannot be scored
 * ({@link BadInputException}) is dead-lettered with the source record's raw bytes; anything
 * else is a bug or an outage and stops the pipeline rather than being swallowed.
 */
public final class ProcessingDeadLetterHandler implements ProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessingDeadLetterHandler.class);
  private DeadLetterHook hook;

  @Override
  public void configure(Map<String, ?> configs) {
    hook = DeadLetterHook.from(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record,
      Exception exception) {
    if (!(exception instanceof BadInputException)) {
      String where = context.topic() == null ? "a punctuation of task " + context.taskId()
          : context.topic() + "-" + context.partition() + "@" + context.offset();
      LOG.error("Stopping the pipeline (at {}): {}", where, exception.getMessage(), exception);
      return Response.fail();
    }
    LOG.debug("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(),
        context.offset(), exception.getMessage());
    return Response.resume(hook.deadLetter(context, context.sourceRawKey(),
        context.sourceRawValue(), "decode", exception));
  }
}
