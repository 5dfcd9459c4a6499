package io.kinfer.batching;

import io.kinfer.batching.BatchScorer.Scored;
import io.kinfer.inference.ModelPredictor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Forms the model calls of every task that one stream thread runs for a pipeline. A pipeline
 * has a task per input partition (four by default) and a stream thread runs them all; when
 * each task filled its own batches, a model call carried only the records of one partition,
 * and under an open-loop load (records arriving at a steady rate, not a backlog) the calls
 * stayed small and the model saturated below the rate it sustains on full batches. Here a
 * batch takes the waiting records of all of the thread's tasks, oldest task first.
 *
 * <p>Records never leave their task: each task ({@link Lane}) keeps its records in its own
 * changelogged buffer, takes its share of a batch from it, and forwards its own results, in
 * its own turn on the stream thread, in the same transaction as their removal from its buffer.
 * Under exactly-once v2 the thread's tasks share one producer and commit together, so a batch
 * spanning them adds no new way to lose or repeat a record: a task that closes drops its share
 * and whoever restores its buffer scores those records again.
 *
 * <p>Used by the stream thread only (its tasks' {@code process} and punctuations), apart from
 * the scoring itself, which runs on the pipeline's {@link ScoringThreads}, one batch of this
 * thread after the other (one predictor, not thread-safe).
 */
final class StreamThreadBatcher<I> {

  /**
   * Batches this thread may have sent off and not had scored yet: two keep the model busy
   * while the stream thread prepares the next; a third waits for the oldest to be scored.
   */
  static final int MAX_IN_FLIGHT = 2;

  /** One task of the stream thread, as a source of records for shared batches. */
  interface Lane<I> {
    /**
     * Records that may join a batch now: those waiting, up to the room the task's share of
     * batches in flight leaves (none while its model is out).
     */
    int ready();

    /** Records waiting in the task's buffer, whether or not they may join a batch now. */
    int waiting();

    /** When the oldest of {@link #ready()} records arrived (meaningful when some are). */
    long oldestArrivalMillis();

    /**
     * Adds up to {@code max} of its ready records to {@code batch}, oldest first.
     *
     * @return how many it added
     */
    int joinBatch(Batch<I> batch, int max);
  }

  /** A batch being formed from several tasks' records, then scored in one model call. */
  static final class Batch<I> {
    private final List<I> inputs = new ArrayList<>();
    private final CompletableFuture<Scored> scored = new CompletableFuture<>();
    private final long sentOffMillis;

    private Batch(long sentOffMillis) {
      this.sentOffMillis = sentOffMillis;
    }

    /** Appends a task's prepared inputs; returns where they start in the batch. */
    int add(List<I> prepared) {
      int offset = inputs.size();
      inputs.addAll(prepared);
      return offset;
    }

    long sentOffMillis() {
      return sentOffMillis;
    }

    /** The whole batch's scores, by position; complete once the model call is done. */
    CompletableFuture<Scored> scored() {
      return scored;
    }
  }

  private final Thread owner;
  private final ModelPredictor<I> predictor;
  private final ScoringThreads scoringThreads;
  private final BatchSettings settings;
  private final List<Lane<I>> lanes = new CopyOnWriteArrayList<>();
  private final ArrayDeque<CompletableFuture<Scored>> inFlight = new ArrayDeque<>();
  private final ThreadPace pace = new ThreadPace();
  /** The last batch handed to the scoring threads: the next one runs after it. */
  private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

  StreamThreadBatcher(Thread owner, ModelPredictor<I> predictor, ScoringThreads scoringThreads,
      BatchSettings settings) {
    this.owner = owner;
    this.predictor = predictor;
    this.scoringThreads = scoringThreads;
    this.settings = settings;
  }

  boolean ownedBy(Thread thread) {
    return owner == thread;
  }

  void join(Lane<I> lane) {
    if (!lanes.contains(lane)) {
      lanes.add(lane);
    }
  }

  void leave(Lane<I> lane) {
    lanes.remove(lane);
  }

  /** Records of all of the thread's tasks that may join a batch now. */
  int ready() {
    int ready = 0;
    for (Lane<I> lane : lanes) {
      ready += lane.ready();
    }
    return ready;
  }

  /** Records waiting in the buffers of all of the thread's tasks. */
  int waiting() {
    int waiting = 0;
    for (Lane<I> lane : lanes) {
      waiting += lane.waiting();
    }
    return waiting;
  }

  /** Whether the thread keeps up with its input, for early commits. */
  ThreadPace pace() {
    return pace;
  }

  /** Whether the model has nothing to score, for this thread or any other of the pipeline. */
  boolean idle() {
    return scoringThreads.idle();
  }

  /**
   * Whether what is ready goes now though it does not fill a call: with send-when-idle, when
   * the model has nothing to score and the thread does not read a backlog ({@link
   * ThreadPace#readsBacklog}), which would fill the call in a moment.
   */
  boolean sendPartFull(long nowMillis) {
    return settings.sendWhenIdle() && idle() && !pace.readsBacklog(nowMillis);
  }

  /**
   * Sends off a batch of up to {@code max-batch} ready records, taken from the tasks whose
   * oldest record is oldest first. Waits for the oldest batch in flight to be scored when
   * more than {@link #MAX_IN_FLIGHT} would be.
   *
   * @return the records sent off
   */
  int send(long nowMillis) {
    List<Lane<I>> byAge = new ArrayList<>();
    for (Lane<I> lane : lanes) {
      if (lane.ready() > 0) {
        byAge.add(lane);
      }
    }
    byAge.sort(Comparator.comparingLong(Lane::oldestArrivalMillis));
    Batch<I> batch = new Batch<>(nowMillis);
    int room = settings.maxBatch();
    for (Lane<I> lane : byAge) {
      if (room == 0) {
        break;
      }
      room -= lane.joinBatch(batch, room);
    }
    if (batch.inputs.isEmpty()) {
      return 0;
    }
    List<I> inputs = List.copyOf(batch.inputs);
    batch.inputs.clear();
    last = last.handleAsync((previous, error) -> {
      try {
        batch.scored.complete(BatchScorer.score(predictor, inputs));
      } catch (Throwable bug) {
        batch.scored.completeExceptionally(bug);
      }
      return null;
    }, scoringThreads);
    // Refused by scoring threads that are shutting down: the batch fails rather than hangs.
    last.whenComplete((done, refused) -> {
      if (refused != null) {
        batch.scored.completeExceptionally(refused);
      }
    });
    inFlight.add(batch.scored);
    if (unscored() > MAX_IN_FLIGHT) {
      pace.saturated(nowMillis);
    }
    while (inFlight.size() > MAX_IN_FLIGHT) {
      inFlight.poll().handle((scored, error) -> null).join();
    }
    return inputs.size();
  }

  /**
   * A punctuation's sending: full batches while enough records are ready, then what is ready
   * if the model is idle ({@link #sendPartFull}) or the oldest ready record has waited
   * {@code max-delay}.
   *
   * @param beforeEach run before each full batch (the calling task makes room for its own)
   */
  void sendDue(long nowMillis, Runnable beforeEach) {
    while (true) {
      beforeEach.run();
      if (ready() < settings.maxBatch() || send(nowMillis) == 0) {
        break;
      }
    }
    if (ready() == 0 || unscored() >= MAX_IN_FLIGHT || pace.readsBacklog(nowMillis)) {
      // A part-full call waits: with two of the thread's calls still to score it would wait
      // behind them (and block this thread), and under a backlog the records read next fill
      // it in a moment. Under a backlog most calls had left part-full at max-delay, counted
      // from arrival times that include the thread's waits for the model (Kafka Streams' clock
      // is read once per task's run of records).
      return;
    }
    if (sendPartFull(nowMillis)
        || nowMillis - oldestReadyMillis() >= settings.maxDelay().toMillis()) {
      send(nowMillis);
    }
  }

  /** This thread's calls sent off and not scored yet (they are scored in order). */
  private int unscored() {
    while (!inFlight.isEmpty() && inFlight.peek().isDone()) {
      inFlight.poll();
    }
    return inFlight.size();
  }

  private long oldestReadyMillis() {
    long oldest = Long.MAX_VALUE;
    for (Lane<I> lane : lanes) {
      if (lane.ready() > 0) {
        oldest = Math.min(oldest, lane.oldestArrivalMillis());
      }
    }
    return oldest;
  }

  /** After the pipeline's scoring threads stopped. */
  void close() {
    predictor.close();
  }
}
