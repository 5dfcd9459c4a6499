package io.kinfer.batching;

import java.time.Duration;

/**
 * How long a stream thread's main consumer waits in poll when no record comes. Kinfer sets
 * Kafka Streams' {@code poll.ms} to the punctuation interval (5 ms), so that results scored in
 * the background and batches due at {@code max-delay} do not wait for a poll to end; but then a
 * pipeline with nothing to do also woke 200 times a second (0.02–0.04 of a core for each idle
 * pipeline of {@code ./kinfer run} on a 2-core machine). Once a stream thread has had nothing
 * buffered, nothing in flight and nothing forwarded for {@link #QUIET_AFTER}, its consumer
 * waits up to {@link #QUIET_POLL} instead ({@code io.kinfer.pipeline.QuietPolls}): a record that
 * comes ends the wait at once, and the thread is busy again.
 *
 * <p>Per stream thread: the processor marks its thread busy, the consumer (polled on the same
 * thread) reads it. Punctuations run only while the thread runs its tasks; a rebalance marks
 * the thread busy through its tasks' {@code init} and {@code close}, so that a thread waiting
 * for its tasks after a rebalance does not wait 100 ms a poll at once. A record that does not
 * deserialize never reaches the processor: on an idle pipeline its dead letter is committed
 * at the first punctuation after its commit is due, up to 100 ms later than on a busy one.
 */
public final class PollPace {

  /** How long a thread must have been idle before its polls wait longer. */
  public static final Duration QUIET_AFTER = Duration.ofSeconds(1);

  /** The longest an idle thread's poll waits (Kafka Streams' default {@code poll.ms}). */
  public static final Duration QUIET_POLL = Duration.ofMillis(100);

  /** When the thread was last busy (System.nanoTime); a new thread counts as busy now. */
  private static final ThreadLocal<long[]> LAST_BUSY =
      ThreadLocal.withInitial(() -> new long[] {System.nanoTime()});

  private PollPace() {}

  /**
   * How often a task looks for scored results to forward and for batches due, and how long a
   * busy thread's poll waits ({@code poll.ms}): {@code max-delay / 2}, at most {@link
   * #FORWARD_EVERY} (a result scored by a batch another task sent waits for this task's turn),
   * at least 1 ms.
   */
  public static Duration punctuationInterval(Duration maxDelay) {
    Duration half = maxDelay.dividedBy(2);
    Duration interval = half.compareTo(FORWARD_EVERY) > 0 ? FORWARD_EVERY : half;
    return interval.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : interval;
  }

  /** The longest a scored result waits for its task's punctuation. */
  static final Duration FORWARD_EVERY = Duration.ofMillis(5);

  /**
   * The calling stream thread has records buffered, in flight or just forwarded, or its tasks
   * change (a task starts or closes: a rebalance, whose polls until the thread runs again stay
   * short for a second).
   */
  static void busy() {
    LAST_BUSY.get()[0] = System.nanoTime();
  }

  /** How long the calling thread's consumer may wait, asked to wait {@code requested}. */
  public static Duration pollTimeout(Duration requested) {
    return pollTimeout(requested, System.nanoTime() - LAST_BUSY.get()[0]);
  }

  /**
   * @param idleNanos how long the thread has not been busy
   * @return {@code requested}, or {@link #QUIET_POLL} when the thread has been idle for
   *     {@link #QUIET_AFTER} and {@code requested} is shorter but not zero
   */
  static Duration pollTimeout(Duration requested, long idleNanos) {
    // A zero timeout is Kafka Streams' own (partitions revoked, shutting down): kept.
    if (idleNanos >= QUIET_AFTER.toNanos() && !requested.isZero()
        && requested.compareTo(QUIET_POLL) < 0) {
      return QUIET_POLL;
    }
    return requested;
  }
}
