package io.kinfer.deadletter;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' production exception hook. Kinfer's limits keep every record it writes within
 * the sizes its topics were checked for at start, so a record the broker still refuses (a
 * topic's {@code max.message.bytes} lowered while Kinfer runs, an ACL removed) stops the
 * pipeline at once, with the reason: under exactly-once the refusal has doomed the open
 * transaction, so no dead letter could be written in it, and nothing past the last commit is
 * committed or lost; the pipeline goes on from there when started again. Kafka's default
 * handler would first try to write a dead letter from the producer's callback, which waits a
 * minute for the dead-letter topic's metadata before it stops.
 */
public final class RefusedRecordHandler implements ProductionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RefusedRecordHandler.class);

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public Response handleError(ErrorHandlerContext context,
      ProducerRecord<byte[], byte[]> record, Exception exception) {
    LOG.error("Stopping the pipeline: Kafka refused a record of {} bytes for {} ({}: {})",
        record.value() == null ? 0 : record.value().length, record.topic(),
        exception.getClass().getSimpleName(), exception.getMessage());
    return Response.fail();
  }

  @Override
  public Response handleSerializationError(ErrorHandlerContext context,
      ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
    LOG.error("Stopping the pipeline: a record for {} cannot be written: {}", record.topic(),
        exception.getMessage());
    return Response.fail();
  }
}
