package io.kinfer.batching;

import io.kinfer.batching.BatchBuffer.Buffered;
import io.kinfer.batching.BatchScorer.Result;
import io.kinfer.batching.BatchScorer.Scored;
import io.kinfer.decode.BadInputException;
import io.kinfer.decode.EventDecoder;
import io.kinfer.inference.ServedModel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes each event, buffers it ({@link BatchBuffer}) until {@code maxBatch} records wait or
 * the oldest has waited {@code maxDelay}, scores them in one model call ({@link BatchScorer}),
 * and forwards each result to {@link #ENRICHED} with its own key, timestamp and headers, in
 * arrival order. A record leaves the buffer in the same transaction as its result. Bad input
 * throws {@link BadInputException} or goes to {@link #DEAD_LETTERS}; a model outage is retried
 * with backoff and then stops the pipeline, dead-lettering nothing. See docs/batching.md.
 *
 * <p>It sequences the parts: its {@link TaskLane} takes part in the model calls of its stream
 * thread ({@link StreamThreadBatcher}), and its {@link ResultForwarder} sends what is scored
 * on, from this task's own context.
 */
public final class BatchingProcessor<E extends SpecificRecord, I>
    extends ContextualProcessor<byte[], E, byte[], Object> {

  public static final String STORE = BatchBuffer.STORE;
  public static final String ENRICHED = "enriched";
  public static final String DEAD_LETTERS = "dead-letters";
  private static final Logger LOG = LoggerFactory.getLogger(BatchingProcessor.class);

  private final EventDecoder<E, I> decoder;
  private final ServedModel<I> model;
  private final Enricher enricher;
  private final BatchSettings settings;
  private final ScoringThreads background;
  private final String inputTopic;
  private final Clock clock;
  private final BatchObserver observer;
  private final BatchBuffer<E, I> buffer;
  private final ResultForwarder.DeadLetterSpec deadLetters;
  private ModelOutage outage;
  private BatchScorer<Buffered<E, I>, I> scorer;
  /** This task's part in its stream thread's model calls. */
  private TaskLane<E, I> lane;
  private ResultForwarder<E, I> results;
  private CommitTime commitTime;
  /** Commits every this many ms on a fixed schedule ({@link CommitSchedule}); 0: off. */
  private long commitEveryMillis;

  /**
   * @param background the pipeline's {@link ScoringThreads}, to score a full batch while the
   *     stream thread reads the next; null to score on the stream thread
   * @param observer told what happens, for metrics
   */
  public BatchingProcessor(EventDecoder<E, I> decoder, ServedModel<I> model,
      BatchSettings settings, ScoringThreads background, String inputTopic, Clock clock,
      BatchObserver observer) {
    this(decoder, model, settings, background, inputTopic, clock, observer,
        UnaryOperator.identity());
  }

  /**
   * @param deadLetterValue turns a buffered event (plain Avro of the event schema) into its
   *     dead letter's value on the pipeline's wire format
   */
  public BatchingProcessor(EventDecoder<E, I> decoder, ServedModel<I> model,
      BatchSettings settings, ScoringThreads background, String inputTopic, Clock clock,
      BatchObserver observer, UnaryOperator<byte[]> deadLetterValue) {
    this.deadLetters = new ResultForwarder.DeadLetterSpec(inputTopic,
        settings.deadLetterBytes(), deadLetterValue);
    this.decoder = decoder;
    this.model = model;
    this.enricher = new Enricher(decoder.modality(), model.info(), model.labels(),
        settings.topK(), model.labelThreshold(), model.segmentHop());
    this.settings = settings;
    this.background = background;
    this.inputTopic = inputTopic;
    this.clock = clock;
    this.observer = observer;
    this.buffer = new BatchBuffer<>(decoder);
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    super.init(context);
    PollPace.busy();
    // Kafka Streams may init this instance again after close() (a revived or resumed task):
    // start from what the store holds, nothing else.
    buffer.open(BufferStore.in(context.getStateStore(STORE)));
    outage = new ModelOutage(settings.outageRetries(), settings.outageBackoff());
    scorer = new BatchScorer<>(model.newPredictor(), background);
    lane = new TaskLane<>(buffer, scorer, outage, model, settings, background, this::forward);
    commitTime = new CommitTime(context.metrics());
    Object every = context.appConfigs().get(CommitSchedule.CONFIG);
    commitEveryMillis = every == null ? 0 : Long.parseLong(every.toString());
    results = new ResultForwarder<>(context, decoder, model.info().getName(), enricher, buffer,
        observer, clock, deadLetters);
    if (background != null) {
      lane.batcher();
    }
    context.schedule(PollPace.punctuationInterval(settings.maxDelay()),
        PunctuationType.WALL_CLOCK_TIME, this::punctuate);
  }

  @Override
  public void process(Record<byte[], E> record) {
    PollPace.busy();
    E event = record.value();
    if (event == null) {
      throw new BadInputException("record has a null value (a tombstone), not a "
          + decoder.name() + " event");
    }
    I input = decoder.decode(event);
    buffer.add(BufferedEvent.encodedLater(record.key(), () -> decoder.serde().encode(event),
        record.timestamp(), record.headers(), context().currentSystemTimeMs()), event, input);
    observer.buffered();
    if (outage.active()) {
      // Retried at the punctuations; records keep arriving into the buffer meanwhile.
    } else if (background == null) {
      if (buffer.waiting() >= settings.maxBatch()) {
        flush();
      }
    } else {
      StreamThreadBatcher<I> shared = lane.batcher();
      lane.makeRoom();
      shared.pace().took(context().currentSystemTimeMs() - record.timestamp());
      long now = context().currentSystemTimeMs();
      if (shared.ready() >= settings.maxBatch() || shared.sendPartFull(now)) {
        // Full across the thread's tasks, or nothing is being scored: what waits goes now
        // rather than wait max-delay for batch-mates that may not come (a backlog fills
        // batches while the model works, and after a commit, see sendPartFull).
        shared.send(now);
      }
      shared.pace().processed();
    }
    observer.inFlight(scorer.inFlight(), buffer.waiting());
  }

  private void punctuate(long now) {
    if (buffer.waiting() > 0 || scorer.inFlight() > 0) {
      PollPace.busy();
    }
    try {
      flushDue(now);
    } finally {
      observer.inFlight(scorer.inFlight(), buffer.waiting());
    }
    if (commitEveryMillis > 0 && CommitSchedule.forCurrentThread(commitEveryMillis).due(now)) {
      context().commit();
    }
  }

  private void flushDue(long now) {
    if (background != null) {
      lane.batcher().pace().punctuated();
    }
    if (outage.active()) {
      if (outage.retryDue(now)) {
        sendAlone();
      }
      return;
    }
    deadLetterRejected();
    // Only what is scored already: waiting here for a batch queued behind other tasks' would
    // stop this stream thread from reading and filling the next batches.
    while (scorer.oldestScored() && !outage.active()) {
      forward(scorer.takeOldest());
    }
    if (outage.active()) {
      return;
    }
    if (background == null) {
      while (buffer.waiting() >= settings.maxBatch() && !outage.active()) {
        flush();
      }
      if (buffer.waiting() > 0 && !outage.active()
          && now - buffer.oldestArrivalMillis() >= settings.maxDelay().toMillis()) {
        flush();
      }
      return;
    }
    // A backlog (restored, or held during an outage) leaves a full batch at a time; a part-full
    // batch goes once its oldest record has waited max-delay (or the model is idle), sent off
    // like a full one: the stream thread does not wait for it.
    lane.batcher().sendDue(now, lane::makeRoom);
  }

  private void deadLetterRejected() {
    lane.takeRejected().forEach(results::deadLetterRestored);
  }

  /**
   * Sends up to {@code maxBatch} of this task's waiting records off to be scored alone, then
   * forwards every batch in flight, waiting for them; during an outage nothing (its retries
   * keep their schedule).
   */
  void flush() {
    if (!outage.active()) {
      sendAlone();
    }
  }

  /** {@link #flush()}, outage or not: overlap off, and an outage's retries. */
  private void sendAlone() {
    deadLetterRejected();
    BatchBuffer.Taken<E, I> taken = buffer.take(settings.maxBatch());
    taken.rejected().forEach(results::deadLetterRestored);
    List<Buffered<E, I>> records = taken.records();
    if (!records.isEmpty()) {
      scorer.send(records, records.stream().map(r -> model.prepare(r.input())).toList(),
          context().currentSystemTimeMs());
    }
    while (scorer.inFlight() > 0) {
      forward(scorer.takeOldest());
    }
  }

  private void forward(Result<Buffered<E, I>> batch) {
    Scored scored = batch.scored();
    if (scored.outage() != null) {
      onOutage(scored.outage());
      return;
    }
    if (outage.active()) {
      LOG.info("Model {}/{} scores again after {} failed attempts; resuming",
          model.info().getName(), model.info().getVersion(), outage.failures());
      outage.recovered();
    }
    results.forward(batch);
    // Forwarded results become visible at the next commit, which a punctuation asks for.
    PollPace.busy();
    commitEarly();
  }

  /**
   * With early commits, asks Kafka Streams to commit now that results were forwarded, while
   * the stream thread keeps up: results become visible to read-committed consumers at once
   * instead of at the next commit interval. Under a backlog the commit interval paces commits
   * (each is a transaction), so throughput does not pay for latency nobody gets.
   */
  private void commitEarly() {
    StreamThreadBatcher<I> batcher = lane.joined();
    if (settings.earlyCommit() && batcher != null && batcher.waiting() < settings.maxBatch()
        && batcher.pace().earlyCommitDue(context().currentSystemTimeMs(),
            commitTime.millis())) {
      context().commit();
    }
  }

  /** Nothing is dead-lettered: every record stays buffered and waits for the next attempt. */
  private void onOutage(Throwable cause) {
    scorer.abandon();
    buffer.rewind();
    lane.rewound();
    long now = context().currentSystemTimeMs();
    Duration wait = outage.failed(now);
    String what = "model " + model.info().getName() + "/" + model.info().getVersion()
        + " cannot score even its warm-up input (" + cause + ")";
    if (wait == null) {
      throw new ModelOutageException(what + "; gave up after " + outage.failures()
          + " attempts in " + outage.sinceMillis(now) / 1000 + " s. Nothing was dead-lettered:"
          + " the " + buffer.waiting() + " buffered records of this task stay in the changelogged"
          + " buffer and are scored once the model works (restart the service)", cause);
    }
    LOG.warn("Pipeline {}: {}; {} records stay buffered, attempt {} in {} ms", inputTopic, what,
        buffer.waiting(), outage.failures() + 1, wait.toMillis());
  }

  @Override
  public void close() {
    PollPace.busy();
    // Batches being scored are dropped, not forwarded: their records are still buffered, and
    // the commit of a clean close saves them in the store (BatchBuffer.save), so whoever
    // restores it scores them. Waits for them so the predictor is idle.
    if (lane != null) {
      lane.leave();
    }
    if (scorer != null) {
      scorer.close();
    }
    observer.closed();
  }
}
