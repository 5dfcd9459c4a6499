package io.kinfer.pipeline;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events whose content cannot be scored ({@link BadInputException}) are dead-lettered with the
 * source record's raw bytes; anything else is a bug or an outage and stops the pipeline rather
 * than being swallowed.
 */
public final class DeadLetterOnBadInput implements ProcessingExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnBadInput.class);
  private String topic;

  @Override
  public void configure(Map<String, ?> configs) {
    topic = DeadLetters.topic(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record,
      Exception exception) {
    if (!(exception instanceof BadInputException)) {
      LOG.error("Processing failed on {}-{}@{}; stopping the pipeline", context.topic(),
          context.partition(), context.offset(), exception);
      return Response.fail();
    }
    LOG.debug("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(),
        context.offset(), exception.getMessage());
    return Response.resume(DeadLetters.of(topic, context, context.sourceRawKey(),
        context.sourceRawValue(), "decode", exception));
  }
}
