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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
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
 * nothing is lost or scored twice; with caching, a record scored before the next commit never
 * has its bytes written to the changelog (at most a tombstone for its key).
 *
 * <p><b>Overlap.</b> Given a {@code background} executor (the pipeline's
 * {@link BackgroundScorer}), a full batch is scored there while the stream thread goes on
 * reading and decoding the next ones; a task may have {@link #MAX_IN_FLIGHT} batches sent off
 * and not yet forwarded, so the scorer has the next batch queued while the stream thread
 * forwards, commits or polls. Their records stay in the store until their results are
 * forwarded, oldest batch first, which happens on the stream thread: when a task sends off a
 * batch beyond {@link #MAX_IN_FLIGHT}, at a punctuation once the scores are ready, and at the
 * latest at the first punctuation {@code maxDelay} after sending off. Results and the deletion
 * of their buffer entries
 * therefore always land in the same transaction; a crash or a rebalance while a batch is being
 * scored leaves its records in the store, and whoever restores the store scores them again.
 * A batch sent off because its oldest record waited {@code maxDelay} (there is no backlog then)
 * is scored at once: the stream thread waits for it and every batch in flight, and forwards
 * their results.
 * Without {@code background}, every batch is scored on the stream thread.
 *
 * <p>The inputs of a batch are prepared ({@link ServedModel#prepare}: for the keyword model,
 * their log-mel frames) on the stream thread as the batch is sent off, so that this work
 * overlaps the scoring of earlier batches. Not as each record arrives: that would slow the
 * filling of batches, so that under a backlog their oldest record would wait {@code maxDelay}
 * and they would be sent off part-full.
 *
 * <p>If a batch fails to predict, its records are retried one by one so one bad input cannot
 * fail its batch-mates; those that still fail go to the dead-letter topic with the reason.
 */
final class BatchingProcessor<E extends SpecificRecord, I>
    implements Processor<byte[], E, byte[], Object> {

  static final String STORE = "batch-buffer";
  static final String ENRICHED = "enriched";
  static final String DEAD_LETTERS = "dead-letters";

  /**
   * Batches a task may have sent off and not forwarded yet. Two keep the scorer busy while the
   * stream thread forwards one batch's results, commits or polls; their records stay in the
   * store until forwarded.
   */
  static final int MAX_IN_FLIGHT = 2;

  private final Modality<E, I> modality;
  private final ServedModel<I> model;
  private final Enricher enricher;
  private final AvroSerde<E> serde;
  private final int maxBatch;
  private final Duration maxDelay;
  private final Executor background;
  private final String inputTopic;
  private final Clock clock;
  // Events and decoded inputs of buffered records, to avoid decoding twice; empty after a
  // restore, when they are decoded again from the stored bytes.
  private final Map<Long, Decoded<E, I>> decoded = new HashMap<>();
  private ProcessorContext<byte[], Object> context;
  private KeyValueStore<Long, byte[]> buffer;
  private Predictor<I, Scores> predictor;
  private long nextSequence;
  // Records with a sequence up to this one are in a batch already (being scored, or scored).
  private long lastBatchedSequence = -1;
  private int waiting;
  private long oldestArrivalMillis;
  // Batches sent to the background scorer whose results are not forwarded yet, oldest first.
  private final ArrayDeque<Batch<E, I>> inFlight = new ArrayDeque<>();

  BatchingProcessor(Modality<E, I> modality, ServedModel<I> model, int topK, int maxBatch,
      Duration maxDelay, Executor background, String inputTopic, Clock clock) {
    this.modality = modality;
    this.model = model;
    this.enricher = new Enricher(modality.schemaValue(), model.info(), model.labels(), topK);
    this.serde = modality.serde();
    this.maxBatch = maxBatch;
    this.maxDelay = maxDelay;
    this.background = background;
    this.inputTopic = inputTopic;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(STORE);
    this.predictor = model.newPredictor();
    // Kafka Streams may init this instance again after close() (a task revived after a dirty
    // close, or resumed): start from what the store holds, nothing else.
    decoded.clear();
    inFlight.clear();
    nextSequence = 0;
    lastBatchedSequence = -1;
    waiting = 0;
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
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
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
      flush(background != null);
    }
  }

  private void punctuate(long now) {
    while (!inFlight.isEmpty() && (inFlight.peek().scores().isDone()
        || now - inFlight.peek().sentOffMillis() >= maxDelay.toMillis())) {
      forwardOldest();
    }
    if (waiting > 0 && now - oldestArrivalMillis >= maxDelay.toMillis()) {
      flush(false);
    }
  }

  /**
   * Scores up to {@code maxBatch} waiting records in one call, on the background scorer when
   * there is one (so the model is never called from more threads than it has). When
   * {@code leaveInBackground}, their results are forwarded later, and the oldest batches in
   * flight are forwarded now (waiting for them if need be) so that at most
   * {@link #MAX_IN_FLIGHT} stay in flight; otherwise every batch in flight is forwarded now.
   */
  void flush(boolean leaveInBackground) {
    Batch<E, I> batch = collectWaiting();
    if (batch != null) {
      List<I> inputs = batch.inputs().stream().map(Decoded::input).toList();
      // Sent off before older results are forwarded, so the scorer has the next batch queued
      // while the stream thread forwards.
      inFlight.add(batch.withScores(background == null
          ? CompletableFuture.completedFuture(score(inputs))
          : CompletableFuture.supplyAsync(() -> score(inputs), background)));
    }
    int keep = leaveInBackground ? MAX_IN_FLIGHT : 0;
    while (inFlight.size() > keep) {
      forwardOldest();
    }
  }

  /**
   * Up to {@code maxBatch} waiting records, in arrival order, as a batch to score; null when none
   * wait. A restored record that no longer decodes is dead-lettered here, not blamed on the
   * record being processed.
   */
  private Batch<E, I> collectWaiting() {
    List<Long> sequences = new ArrayList<>(Math.min(waiting, maxBatch));
    List<BufferedEvent> events = new ArrayList<>(Math.min(waiting, maxBatch));
    List<Decoded<E, I>> inputs = new ArrayList<>(Math.min(waiting, maxBatch));
    List<Long> undecodable = new ArrayList<>();
    long last = lastBatchedSequence;
    try (KeyValueIterator<Long, byte[]> all = buffer.range(lastBatchedSequence + 1,
        Long.MAX_VALUE)) {
      while (all.hasNext() && sequences.size() < maxBatch) {
        KeyValue<Long, byte[]> entry = all.next();
        BufferedEvent event = BufferedEvent.fromBytes(entry.value);
        last = entry.key;
        Decoded<E, I> d = decoded.remove(entry.key);
        if (d == null) {
          try {
            E original = serde.decode(event.event());
            d = new Decoded<>(original, modality.decode(original));
          } catch (RuntimeException e) {
            deadLetter(event, "decode", "a buffered " + modality.name()
                + " event restored after a restart no longer decodes: " + e.getMessage(), e);
            undecodable.add(entry.key);
            continue;
          }
        }
        sequences.add(entry.key);
        events.add(event);
        // Prepared here, on the stream thread, while the scorer works on earlier batches.
        inputs.add(new Decoded<>(d.event(), model.prepare(d.input())));
      }
    }
    undecodable.forEach(buffer::delete);
    waiting = Math.max(0, waiting - sequences.size() - undecodable.size());
    lastBatchedSequence = last;
    if (sequences.isEmpty()) {
      return null;
    }
    return new Batch<>(sequences, events, inputs, context.currentSystemTimeMs(), null);
  }

  /** Waits for the oldest batch in flight, then forwards its results in arrival order. */
  private void forwardOldest() {
    Batch<E, I> batch = inFlight.poll();
    Scored scored = join(batch.scores());
    for (int i = 0; i < batch.sequences().size(); i++) {
      BufferedEvent event = batch.events().get(i);
      Scores s = scored.scores().get(i);
      if (s == null) {
        Exception error = scored.failures().get(i);
        deadLetter(event, "predict", "model " + model.info().getName() + " failed on this "
            + modality.name() + " event: " + error.getMessage(), error);
      } else {
        Timings timings = new Timings((double) (batch.sentOffMillis() - event.arrivedMillis()),
            scored.inferenceMs(), batch.sequences().size());
        context.forward(new Record<>(event.key(), (Object) enricher.enrich(
            modality.envelope(batch.inputs().get(i).event()), s, timings, clock.instant()),
            event.timestamp(), event.headers()), ENRICHED);
      }
      buffer.delete(batch.sequences().get(i));
    }
  }

  private static Scored join(CompletableFuture<Scored> scores) {
    try {
      return scores.join();
    } catch (CompletionException e) {
      // Not a bad input (those are caught per record): the pipeline must stop, as it would
      // had the call been made on the stream thread.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  /** One call for the batch; on failure, one call per record to isolate the bad ones. */
  private Scored score(List<I> inputs) {
    long started = System.nanoTime();
    try {
      List<Scores> scores = predictor.batchPredict(inputs);
      return new Scored(scores, Map.of(), (System.nanoTime() - started) / 1e6);
    } catch (TranslateException | RuntimeException batchFailure) {
      List<Scores> scores = new ArrayList<>(inputs.size());
      Map<Integer, Exception> failures = new HashMap<>();
      for (int i = 0; i < inputs.size(); i++) {
        try {
          scores.add(predictor.predict(inputs.get(i)));
        } catch (TranslateException | RuntimeException e) {
          scores.add(null);
          failures.put(i, e);
        }
      }
      return new Scored(scores, failures, (System.nanoTime() - started) / 1e6);
    }
  }

  private void deadLetter(BufferedEvent event, String stage, String reason, Exception error) {
    RecordHeaders headers = new RecordHeaders(event.headers().toArray());
    DeadLetters.describe(headers, stage, reason, error, inputTopic, -1, -1);
    context.forward(new Record<>(event.key(), (Object) event.event(), event.timestamp(), headers),
        DEAD_LETTERS);
  }

  /** A buffered record's event and model input, kept in memory while it waits. */
  private record Decoded<E, I>(E event, I input) {}

  /** Records scored together, in arrival order, and their scores once ready. */
  private record Batch<E, I>(List<Long> sequences, List<BufferedEvent> events,
      List<Decoded<E, I>> inputs, long sentOffMillis, CompletableFuture<Scored> scores) {

    Batch<E, I> withScores(CompletableFuture<Scored> scores) {
      return new Batch<>(sequences, events, inputs, sentOffMillis, scores);
    }
  }

  /** Scores by batch position (null where the record failed) and how long scoring took. */
  private record Scored(List<Scores> scores, Map<Integer, Exception> failures,
      double inferenceMs) {}

  @Override
  public void close() {
    // Batches still being scored are dropped, not forwarded: their records are still in the
    // store, so whoever restores the store scores them. Wait for them so the predictor is idle.
    for (Batch<E, I> batch : inFlight) {
      batch.scores().handle((scored, error) -> null).join();
    }
    inFlight.clear();
    if (predictor != null) {
      predictor.close();
    }
  }
}
