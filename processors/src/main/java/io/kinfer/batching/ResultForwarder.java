package io.kinfer.batching;

import io.kinfer.batching.BatchBuffer.Buffered;
import io.kinfer.batching.BatchBuffer.Rejected;
import io.kinfer.batching.BatchScorer.Result;
import io.kinfer.batching.BatchScorer.Scored;
import io.kinfer.deadletter.DeadLetterFit;
import io.kinfer.deadletter.DeadLetters;
import io.kinfer.decode.EventDecoder;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.Timings;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards a task's scored records from its processor context, in arrival order: each result,
 * enriched, to {@link BatchingProcessor#ENRICHED} with the event's own key, timestamp and
 * headers; each record the model failed on, and each restored record that no longer decodes,
 * to {@link BatchingProcessor#DEAD_LETTERS}. Each record leaves the task's buffer as it is
 * forwarded, so in the same transaction.
 */
final class ResultForwarder<E extends SpecificRecord, I> {

  /** What the dead letters say and carry, the same for every task of a pipeline. */
  record DeadLetterSpec(String inputTopic, int maxBytes, UnaryOperator<byte[]> value) {}

  private final ProcessorContext<byte[], Object> context;
  private final EventDecoder<E, I> decoder;
  private final String modelName;
  private final Enricher enricher;
  private final BatchBuffer<E, I> buffer;
  private final BatchObserver observer;
  private final Clock clock;
  private final DeadLetterSpec deadLetters;

  ResultForwarder(ProcessorContext<byte[], Object> context, EventDecoder<E, I> decoder,
      String modelName, Enricher enricher, BatchBuffer<E, I> buffer, BatchObserver observer,
      Clock clock, DeadLetterSpec deadLetters) {
    this.context = context;
    this.decoder = decoder;
    this.modelName = modelName;
    this.enricher = enricher;
    this.buffer = buffer;
    this.observer = observer;
    this.clock = clock;
    this.deadLetters = deadLetters;
  }

  /** A share of a model call that scored (not an outage). */
  void forward(Result<Buffered<E, I>> share) {
    Scored scored = share.scored();
    List<Buffered<E, I>> records = share.items();
    if (share.firstShare()) {
      observer.batchScored(scored.callSize(), scored.inferenceMs() / 1e3);
    }
    long now = clock.millis();
    for (int i = 0; i < records.size(); i++) {
      Buffered<E, I> record = records.get(i);
      BufferedEvent stored = record.stored();
      if (scored.scores().get(i) == null) {
        Exception error = scored.failures().get(i);
        deadLetter(stored, "predict", "model " + modelName + " failed on this "
            + decoder.name() + " event: " + error.getMessage(), error,
            "event " + decoder.envelope(record.event()).getEventId());
      } else {
        double queueWaitMs = share.sentOffMillis() - stored.arrivedMillis();
        Timings timings = new Timings(queueWaitMs, scored.inferenceMs(), scored.callSize());
        Envelope envelope = decoder.envelope(record.event());
        EnrichedEvent result = enricher.enrich(envelope, scored.scores().get(i), timings,
            clock.instant());
        context.forward(new Record<>(stored.key(), (Object) result, stored.timestamp(),
            stored.headers()), BatchingProcessor.ENRICHED);
        observer.enriched(record.event(), result, queueWaitMs / 1e3,
            (now - envelope.getEventTime().toEpochMilli()) / 1e3);
      }
      buffer.remove(record.sequence());
    }
  }

  /** A buffered record restored after a restart that no longer decodes. */
  void deadLetterRestored(Rejected rejected) {
    deadLetter(rejected.stored(), "decode", "a buffered " + decoder.name() + " event restored"
        + " after a restart no longer decodes: " + rejected.error().getMessage(),
        rejected.error(), deadLetters.inputTopic() + " (restored from the batch buffer)");
    buffer.remove(rejected.sequence());
  }

  private void deadLetter(BufferedEvent event, String stage, String reason, Exception error,
      String origin) {
    RecordHeaders headers = new RecordHeaders(event.headers().toArray());
    DeadLetters.describe(headers, stage, reason, error, deadLetters.inputTopic(), -1, -1);
    DeadLetterFit fit = DeadLetterFit.of(event.key(), deadLetters.value().apply(event.event()),
        headers, deadLetters.maxBytes());
    observer.deadLettered(stage, reason, origin);
    context.forward(new Record<>(fit.key(), (Object) fit.value(), event.timestamp(),
        fit.headers()), BatchingProcessor.DEAD_LETTERS);
  }
}
