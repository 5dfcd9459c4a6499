package io.kinfer.batching;

/**
 * Punctual commits: a stream thread commits on a fixed schedule, every {@code commit-interval}
 * from its first punctuation, rather than when Kafka Streams' own timer says so. Kafka Streams
 * starts the next interval when a commit has finished and looks at the clock between rounds
 * of its loop, so at 100 ms its commits came about every 110–120 ms, and up to 150 ms apart
 * under load (measured with {@code kinfer bench --latency}); under exactly-once a result is
 * visible to read-committed consumers only at a commit, so that drift added to every
 * record's latency.
 *
 * <p>Any task of the thread may find a commit {@link #due}: it then asks Kafka Streams to commit
 * ({@code context.commit()}), which commits all the thread's tasks in the same round of the
 * loop. Kafka Streams' own interval is set to {@link #backstop} so that it rarely commits on
 * its own. Used by one stream thread only (one schedule per thread).
 */
public final class CommitSchedule {

  /**
   * Kafka Streams setting (in the application's configs) that turns punctual commits on: the
   * commit interval in ms.
   */
  public static final String CONFIG = "kinfer.commit-every-ms";

  private static final ThreadLocal<CommitSchedule> PER_THREAD = new ThreadLocal<>();

  private final long everyMillis;
  private long nextDue = Long.MIN_VALUE;

  CommitSchedule(long everyMillis) {
    if (everyMillis < 1) {
      throw new IllegalArgumentException("commit interval must be at least 1 ms, got "
          + everyMillis);
    }
    this.everyMillis = everyMillis;
  }

  /** The calling stream thread's schedule of commits every {@code everyMillis}. */
  static CommitSchedule forCurrentThread(long everyMillis) {
    CommitSchedule schedule = PER_THREAD.get();
    if (schedule == null || schedule.everyMillis != everyMillis) {
      schedule = new CommitSchedule(everyMillis);
      PER_THREAD.set(schedule);
    }
    return schedule;
  }

  /**
   * Whether a commit is due at {@code nowMillis}; if so, counts it as made. The first call
   * starts the schedule. Commits are due at fixed times: one made late does not push the next
   * back, and periods that passed without a look (a stalled thread) are skipped, not made up.
   */
  boolean due(long nowMillis) {
    if (nextDue == Long.MIN_VALUE) {
      nextDue = nowMillis + everyMillis;
      return false;
    }
    if (nowMillis < nextDue) {
      return false;
    }
    nextDue += everyMillis;
    if (nextDue <= nowMillis) {
      nextDue = nowMillis + everyMillis;
    }
    return true;
  }

  /**
   * Kafka Streams' own commit interval while commits are punctual: ten intervals, at most
   * five seconds more than one (a transaction must commit well within Kafka Streams' 10 s
   * transaction timeout). It still commits then, as a safety net: about one commit in ten.
   */
  public static long backstop(long everyMillis) {
    return Math.max(everyMillis, Math.min(10 * everyMillis, everyMillis + 5_000));
  }
}
