package io.kinfer.batching;

import java.time.Duration;

/**
 * The retry schedule while a task's model cannot score: after the first failure, tries again
 * after {@code backoff}, then twice as long each time; after {@code retries} failed retries it
 * gives up, and the pipeline stops with its records still buffered.
 */
final class ModelOutage {

  private final int retries;
  private final Duration backoff;
  private int failures;
  private long firstFailureMillis;
  private long retryAtMillis;

  ModelOutage(int retries, Duration backoff) {
    this.retries = retries;
    this.backoff = backoff;
  }

  boolean active() {
    return failures > 0;
  }

  boolean retryDue(long nowMillis) {
    return active() && nowMillis >= retryAtMillis;
  }

  int failures() {
    return failures;
  }

  long sinceMillis(long nowMillis) {
    return nowMillis - firstFailureMillis;
  }

  /**
   * Records one more failed attempt.
   *
   * @return the wait before the next attempt, or null when the retries are used up
   */
  Duration failed(long nowMillis) {
    if (failures++ == 0) {
      firstFailureMillis = nowMillis;
    }
    if (failures > retries) {
      return null;
    }
    Duration wait = backoff.multipliedBy(1L << Math.min(failures - 1, 20));
    retryAtMillis = nowMillis + wait.toMillis();
    return wait;
  }

  void recovered() {
    failures = 0;
  }
}
