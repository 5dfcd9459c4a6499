package io.kinfer.pipeline;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.kinfer.modality.Modality;
import io.kinfer.runtime.Scores;
import io.kinfer.runtime.ServedModel;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Timings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * decode → buffer → predict in batches → enrich → forward. Each record is decoded (bad content
 * throws {@link BadInputException}, dead-lettered by the handler with its raw bytes), then kept
 * in a changelogged state store until {@code maxBatch} records wait or the oldest has waited
 * {@code maxDelay}; then one DJL call scores them all and each result leaves with its own key,
 * timestamp and headers, in arrival order. Kafka Streams commits input offsets for buffered
 * records, so the buffer is a state store: under exactly-once it is restored after a crash and
 * nothing is lost or scored twice; with caching, entries flushed before a commit never reach
 * the changelog.
 *
 * <p>If a batch fails to predict, its records are retried one by one so one bad input cannot
 * fail its batch-mates; those that still fail go to the dead-letter topic with the reason.
 */
final class BatchingProcessor<E extends SpecificRecord, I>
    implements Processor<byte[], E, byte[], Object> {

  static final String STORE = "batch-buffer";
  static final String ENRICHED = "enriched";
  static final String DEAD_LETTERS = "dead-letters";

  private final Modality<E, I> modality;
  private final ServedModel<I> model;
  private final Enricher enricher;
  private final AvroSerde<E> serde;
  private final int maxBatch;
  private final Duration maxDelay;
  private final String inputTopic;
  private final Clock clock;
  // Events and decoded inputs of buffered records, to avoid decoding twice; empty after a
  // restore, when they are decoded again from the stored bytes.
  private final Map<Long, Decoded<E, I>> decoded = new HashMap<>();
  // Why the record at a batch position could not be scored; filled by predict().
  private final Map<Integer, Exception> failures = new HashMap<>();
  private ProcessorContext<byte[], Object> context;
  private KeyValueStore<Long, byte[]> buffer;
  private Predictor<I, Scores> predictor;
  private long nextSequence;
  private int waiting;
  private long oldestArrivalMillis;

  BatchingProcessor(Modality<E, I> modality, ServedModel<I> model, int topK, int maxBatch,
      Duration maxDelay, String inputTopic, Clock clock) {
    this.modality = modality;
    this.model = model;
    this.enricher = new Enricher(modality.schemaValue(), model.info(), model.labels(), topK);
    this.serde = modality.serde();
    this.maxBatch = maxBatch;
    this.maxDelay = maxDelay;
    this.inputTopic = inputTopic;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(STORE);
    this.predictor = model.newPredictor();
    // After a restart the restored buffer may hold records: count them and go on after them.
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        long arrived = BufferedEvent.fromBytes(entry.value).arrivedMillis();
        oldestArrivalMillis = waiting == 0 ? arrived : Math.min(oldestArrivalMillis, arrived);
        waiting++;
        nextSequence = Math.max(nextSequence, entry.key + 1);
      }
    }
    Duration tick = maxDelay.dividedBy(2).compareTo(Duration.ofMillis(1)) < 0
        ? Duration.ofMillis(1) : maxDelay.dividedBy(2);
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, now -> {
      if (waiting > 0 && now - oldestArrivalMillis >= maxDelay.toMillis()) {
        flush();
      }
    });
  }

  @Override
  public void process(Record<byte[], E> record) {
    E event = record.value();
    if (event == null) {
      throw new BadInputException("record has a null value (a tombstone), not a "
          + modality.name() + " event");
    }
    I input = modality.decode(event);
    long now = context.currentSystemTimeMs();
    long sequence = nextSequence++;
    buffer.put(sequence, new BufferedEvent(record.key(), serde.encode(event), record.timestamp(),
        record.headers(), now).toBytes());
    decoded.put(sequence, new Decoded<>(event, input));
    if (waiting++ == 0) {
      oldestArrivalMillis = now;
    }
    if (waiting >= maxBatch) {
      flush();
    }
  }

  /** Scores every buffered record in one call and forwards the results in arrival order. */
  void flush() {
    List<Long> sequences = new ArrayList<>(waiting);
    List<BufferedEvent> events = new ArrayList<>(waiting);
    List<Decoded<E, I>> inputs = new ArrayList<>(waiting);
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        BufferedEvent event = BufferedEvent.fromBytes(entry.value);
        sequences.add(entry.key);
        events.add(event);
        Decoded<E, I> d = decoded.remove(entry.key);
        if (d == null) {
          E original = serde.decode(event.event());
          d = new Decoded<>(original, modality.decode(original));
        }
        inputs.add(d);
      }
    }
    if (sequences.isEmpty()) {
      waiting = 0;
      return;
    }
    long flushStart = context.currentSystemTimeMs();
    long started = System.nanoTime();
    List<Scores> scores = predict(inputs.stream().map(Decoded::input).toList());
    double inferenceMs = (System.nanoTime() - started) / 1e6;
    for (int i = 0; i < sequences.size(); i++) {
      BufferedEvent event = events.get(i);
      Scores s = scores.get(i);
      if (s == null) {
        continue; // dead-lettered in predict()
      }
      Timings timings = new Timings((double) (flushStart - event.arrivedMillis()), inferenceMs,
          sequences.size());
      context.forward(new Record<>(event.key(), (Object) enricher.enrich(
          modality.envelope(inputs.get(i).event()), s, timings, clock.instant()),
          event.timestamp(), event.headers()), ENRICHED);
    }
    for (int i = 0; i < sequences.size(); i++) {
      if (scores.get(i) == null) {
        deadLetter(events.get(i), failures.get(i));
      }
      buffer.delete(sequences.get(i));
    }
    failures.clear();
    waiting = 0;
  }

  /** One call for the batch; on failure, one call per record to isolate the bad ones. */
  private List<Scores> predict(List<I> inputs) {
    try {
      return predictor.batchPredict(inputs);
    } catch (TranslateException | RuntimeException batchFailure) {
      List<Scores> scores = new ArrayList<>(inputs.size());
      for (int i = 0; i < inputs.size(); i++) {
        try {
          scores.add(predictor.predict(inputs.get(i)));
        } catch (TranslateException | RuntimeException e) {
          scores.add(null);
          failures.put(i, e);
        }
      }
      return scores;
    }
  }

  private void deadLetter(BufferedEvent event, Exception error) {
    RecordHeaders headers = new RecordHeaders(event.headers().toArray());
    DeadLetters.describe(headers, "predict", "model " + model.info().getName()
        + " failed on this " + modality.name() + " event: " + error.getMessage(), error,
        inputTopic, -1, -1);
    context.forward(new Record<>(event.key(), (Object) event.event(), event.timestamp(), headers),
        DEAD_LETTERS);
  }

  /** A buffered record's event and model input, kept in memory while it waits. */
  private record Decoded<E, I>(E event, I input) {}

  @Override
  public void close() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
