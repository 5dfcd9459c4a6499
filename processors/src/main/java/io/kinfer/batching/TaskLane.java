package io.kinfer.batching;

import io.kinfer.batching.BatchBuffer.Buffered;
import io.kinfer.batching.BatchBuffer.Rejected;
import io.kinfer.batching.BatchScorer.Result;
import io.kinfer.inference.ServedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;

/**
 * One task's part in the model calls its stream thread forms with its other tasks ({@link
 * StreamThreadBatcher}): which of the task's buffered records may join a call now, its share
 * taken from the buffer and noted in the task's {@link BatchScorer}, and the bound on how many
 * of its records are sent off and not forwarded yet. Lives as long as one {@code init} of its
 * processor, on the stream thread.
 */
final class TaskLane<E extends SpecificRecord, I> implements StreamThreadBatcher.Lane<I> {

  /**
   * A task's records in flight, in full batches' worth: two, so the scorer has the next batch
   * while the stream thread forwards one's results, commits or polls, and the decoded inputs
   * held for results not forwarded yet stay bounded.
   */
  static final int MAX_RECORDS_IN_FLIGHT_BATCHES = 2;

  private final BatchBuffer<E, I> buffer;
  private final BatchScorer<Buffered<E, I>, I> scorer;
  private final ModelOutage outage;
  private final ServedModel<I> model;
  private final BatchSettings settings;
  private final ScoringThreads background;
  /** Forwards a share of a call from the task's own context (an outage included). */
  private final Consumer<Result<Buffered<E, I>>> forward;
  /** Restored records a call found no longer decode: dead-lettered in the task's own turn. */
  private final Map<Long, Rejected> rejectedLater = new LinkedHashMap<>();
  /** The stream thread's batcher, shared with its other tasks. */
  private StreamThreadBatcher<I> batcher;

  TaskLane(BatchBuffer<E, I> buffer, BatchScorer<Buffered<E, I>, I> scorer, ModelOutage outage,
      ServedModel<I> model, BatchSettings settings, ScoringThreads background,
      Consumer<Result<Buffered<E, I>>> forward) {
    this.buffer = buffer;
    this.scorer = scorer;
    this.outage = outage;
    this.model = model;
    this.settings = settings;
    this.background = background;
    this.forward = forward;
  }

  /** The calling stream thread's batcher (joined at the first call on a thread). */
  StreamThreadBatcher<I> batcher() {
    if (batcher == null || !batcher.ownedBy(Thread.currentThread())) {
      if (batcher != null) {
        batcher.leave(this);
      }
      batcher = background.batcherForCurrentThread(model, settings);
    }
    batcher.join(this);
    return batcher;
  }

  /** The batcher last joined, without joining one; null before the first or after leaving. */
  StreamThreadBatcher<I> joined() {
    return batcher;
  }

  /** Takes no part in calls any more (the task closes). */
  void leave() {
    if (batcher != null) {
      batcher.leave(this);
      batcher = null;
    }
  }

  /**
   * Forwards what is scored of this task's shares; then, when its share of calls in flight is
   * full and it alone has a full batch waiting, waits for its oldest share and forwards it, so
   * that the backlog moves on.
   */
  void makeRoom() {
    // What is scored leaves at once: a share that waits for the task's punctuation holds room
    // the task needs to take part in the next calls, and under a backlog they leave part-full.
    while (scorer.oldestScored() && !outage.active()) {
      forward.accept(scorer.takeOldest());
    }
    while (buffer.waiting() >= settings.maxBatch() && roomInFlight() == 0
        && scorer.inFlight() > 0 && !outage.active()) {
      forward.accept(scorer.takeOldest());
    }
  }

  /** Records this task may still send off before its oldest results must leave first. */
  private int roomInFlight() {
    return Math.max(0, MAX_RECORDS_IN_FLIGHT_BATCHES * settings.maxBatch()
        - scorer.recordsInFlight());
  }

  @Override
  public int ready() {
    return outage.active() ? 0 : Math.min(buffer.waiting(), roomInFlight());
  }

  @Override
  public int waiting() {
    return buffer.waiting();
  }

  @Override
  public long oldestArrivalMillis() {
    return buffer.oldestArrivalMillis();
  }

  @Override
  public int joinBatch(StreamThreadBatcher.Batch<I> batch, int max) {
    BatchBuffer.Taken<E, I> taken = buffer.take(Math.min(max, roomInFlight()));
    // Maybe in another task's turn: dead letters go from this task's own context.
    taken.rejected().forEach(r -> rejectedLater.put(r.sequence(), r));
    List<Buffered<E, I>> records = taken.records();
    if (records.isEmpty()) {
      return 0;
    }
    // Prepared here, on the stream thread, while the scorer works on earlier batches (not
    // as each record arrives: that work would delay filling the batch past max-delay).
    int offset = batch.add(records.stream().map(r -> model.prepare(r.input())).toList());
    scorer.joined(records, batch.sentOffMillis(), batch.scored(), offset);
    return records.size();
  }

  /** The restored records that calls found no longer decode, handed over once. */
  List<Rejected> takeRejected() {
    List<Rejected> rejected = new ArrayList<>(rejectedLater.values());
    rejectedLater.clear();
    return rejected;
  }

  /** After an outage rewound the buffer: the next take finds the rejected records again. */
  void rewound() {
    rejectedLater.clear();
  }
}
