package io.kinfer.pipeline;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Kinfer's timestamp policy: a record's own timestamp when it is valid (0 or later); otherwise
 * (a negative CreateTime, which non-Java clients can write and brokers accept) the event's
 * {@code envelope.eventTime} when that is valid; otherwise the partition's latest valid time;
 * otherwise the wall clock. A record is never refused or stopped for its timestamp, and the
 * result and any dead letter carry the time chosen here.
 */
public final class EventTimestamps implements TimestampExtractor {

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.timestamp() >= 0) {
      return record.timestamp();
    }
    long eventTime = eventTime(record.value());
    if (eventTime >= 0) {
      return eventTime;
    }
    return partitionTime >= 0 ? partitionTime : System.currentTimeMillis();
  }

  private static long eventTime(Object value) {
    if (value instanceof GenericRecord event && event.getSchema().getField("envelope") != null
        && event.get("envelope") instanceof GenericRecord envelope
        && envelope.get("eventTime") instanceof java.time.Instant time) {
      return time.toEpochMilli();
    }
    return -1;
  }
}
