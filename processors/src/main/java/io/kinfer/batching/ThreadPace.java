package io.kinfer.batching;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether a stream thread keeps up with its input, and so may commit as soon as results are
 * forwarded (early commits). Used by the stream thread only.
 *
 * <p>A thread keeps up when the last record it took was written less than {@link
 * #CURRENT_WITHIN} before (its Kafka timestamp) and it waited for input in the last {@link
 * #CAUGHT_UP_WITHIN}. Under a backlog it reads records written seconds ago, even when it waits
 * for a fetch now and then. Records stamped with an older time by their producer never look
 * current, and their pipeline commits at the commit interval.
 */
final class ThreadPace {

  /** How recently the last record taken must have been written for the thread to keep up. */
  static final Duration CURRENT_WITHIN = Duration.ofMillis(500);

  /**
   * How recently the thread must have run out of input for an early commit: a thread that
   * processes records without a pause may be behind (its backlog waits in Kafka or in Kafka
   * Streams' own buffers, which this cannot see), and the commit interval paces its commits.
   */
  static final Duration CAUGHT_UP_WITHIN = Duration.ofMillis(100);

  /**
   * How long after the model was last saturated early commits stay off: each is a
   * transaction, and a saturated pipeline needs the CPU for the records.
   */
  static final Duration SATURATED_FOR = Duration.ofMillis(100);

  /** Early commits at most every this many times the thread's mean commit time. */
  static final int COMMIT_TIME_SHARE = 4;

  /** Real time, in ns (Kafka Streams' clock is cached, and the test driver's is a mock). */
  private final LongSupplier nanoTime;
  private long lastRecordAgeMillis = Long.MAX_VALUE;
  private long lastProcessedNanos;
  /** When the thread last had no input to process (it waited in poll). */
  private long lastCaughtUpNanos;
  /** When a call last had to wait for the model (two unscored already). */
  private long lastSaturatedMillis = Long.MIN_VALUE / 2;
  private long lastEarlyCommit = Long.MIN_VALUE / 2;

  ThreadPace() {
    this(System::nanoTime);
  }

  ThreadPace(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.lastProcessedNanos = nanoTime.getAsLong();
    this.lastCaughtUpNanos = lastProcessedNanos - Duration.ofDays(1).toNanos();
  }

  /** A task of the thread took a record written {@code ageMillis} ago (its Kafka timestamp). */
  void took(long ageMillis) {
    lastRecordAgeMillis = ageMillis;
  }

  /** A task of the thread is done with a record (and with any call it sent off). */
  void processed() {
    lastProcessedNanos = nanoTime.getAsLong();
  }

  /**
   * A task of the thread punctuates: Kafka Streams punctuates after each round of processing,
   * so a punctuation a millisecond or more after the last record was done with means the
   * thread waited for input in between (real time: Kafka Streams' clock is cached).
   */
  void punctuated() {
    long now = nanoTime.getAsLong();
    if (now - lastProcessedNanos >= 1_000_000L) {
      lastCaughtUpNanos = now;
    }
  }

  /** A call had to wait for the model: two of the thread's calls were unscored already. */
  void saturated(long nowMillis) {
    lastSaturatedMillis = nowMillis;
  }

  /**
   * Whether the thread reads a backlog: a call had to wait for the model in the last {@link
   * #SATURATED_FOR} and the thread has not waited for input in the last {@link
   * #CAUGHT_UP_WITHIN}. The model then falls idle only while the thread commits, and the
   * records it reads next fill a whole call in a moment: sending the first of them alone (the
   * model is idle) would spend a call on a few records, once a commit, and each such call costs
   * the model about what a full one does.
   */
  boolean readsBacklog(long nowMillis) {
    return nowMillis - lastSaturatedMillis < SATURATED_FOR.toMillis()
        && nanoTime.getAsLong() - lastCaughtUpNanos > CAUGHT_UP_WITHIN.toNanos();
  }

  /** Whether the last record the thread took was written over {@link #CURRENT_WITHIN} ago. */
  boolean behind() {
    return lastRecordAgeMillis > CURRENT_WITHIN.toMillis();
  }

  /**
   * Whether the thread may commit early now; if so, counts from now. It may when it keeps up
   * (not {@link #behind()}, and it waited for input in the last {@link #CAUGHT_UP_WITHIN}), the
   * model was not saturated in the last {@link #SATURATED_FOR}, and its last early commit was
   * at least {@link BatchSettings#EARLY_COMMIT_GAP} ago and {@link #COMMIT_TIME_SHARE} times as
   * long as a commit takes ({@code commitMillis}): commits run on the stream thread, and a
   * thread whose commits are slow (a busy broker, a stream thread that also computes features)
   * must not spend most of its time on them.
   */
  boolean earlyCommitDue(long nowMillis, double commitMillis) {
    long gap = Math.max(BatchSettings.EARLY_COMMIT_GAP.toMillis(),
        Math.round(COMMIT_TIME_SHARE * commitMillis));
    if (nowMillis - lastEarlyCommit < gap
        || nowMillis - lastSaturatedMillis < SATURATED_FOR.toMillis()
        || nanoTime.getAsLong() - lastCaughtUpNanos > CAUGHT_UP_WITHIN.toNanos() || behind()) {
      return false;
    }
    lastEarlyCommit = nowMillis;
    return true;
  }
}
