package io.kinfer.batching;

import java.time.Duration;

/**
 * How a pipeline batches: at most {@code maxBatch} records per model call, none waiting longer
 * than {@code maxDelay} for batch-mates, {@code topK} labels per result; when the model fails,
 * {@code outageRetries} retries starting {@code outageBackoff} apart (doubling) before the
 * pipeline stops; dead letters are cut to {@code deadLetterBytes} ({@link
 * io.kinfer.deadletter.DeadLetterFit}). With {@code sendWhenIdle}, a record that arrives while
 * the model has nothing to score is sent at once with whatever waits, instead of waiting up
 * to {@code maxDelay} for batch-mates that may not come (scoring in the background only).
 * With {@code earlyCommit}, forwarded results are committed at once while the pipeline keeps
 * up (fewer than {@code maxBatch} records waiting, and see {@link ThreadPace}), at most every
 * {@link #EARLY_COMMIT_GAP}, rather than at the next commit interval; under a backlog the
 * commit interval paces commits.
 */
public record BatchSettings(int maxBatch, Duration maxDelay, int topK, int outageRetries,
    Duration outageBackoff, int deadLetterBytes, boolean sendWhenIdle, boolean earlyCommit) {

  /** Committing every commit interval only. */
  public BatchSettings(int maxBatch, Duration maxDelay, int topK, int outageRetries,
      Duration outageBackoff, int deadLetterBytes, boolean sendWhenIdle) {
    this(maxBatch, maxDelay, topK, outageRetries, outageBackoff, deadLetterBytes, sendWhenIdle,
        false);
  }

  /** With dead letters cut to Kafka's default record size. */
  public BatchSettings(int maxBatch, Duration maxDelay, int topK, int outageRetries,
      Duration outageBackoff) {
    this(maxBatch, maxDelay, topK, outageRetries, outageBackoff, 1_000_000);
  }

  /** Waiting for batch-mates up to {@code maxDelay} even when the model is idle. */
  public BatchSettings(int maxBatch, Duration maxDelay, int topK, int outageRetries,
      Duration outageBackoff, int deadLetterBytes) {
    this(maxBatch, maxDelay, topK, outageRetries, outageBackoff, deadLetterBytes, false);
  }

  /** The shortest time between two early commits of a stream thread. */
  public static final Duration EARLY_COMMIT_GAP = Duration.ofMillis(20);

  public BatchSettings {
    if (maxBatch < 1 || topK < 1 || outageRetries < 0) {
      throw new IllegalArgumentException("max-batch and top-k must be at least 1 and"
          + " outage-retries at least 0, got " + maxBatch + ", " + topK + ", " + outageRetries);
    }
    if (maxDelay.isNegative() || maxDelay.isZero() || outageBackoff.isNegative()
        || outageBackoff.isZero()) {
      throw new IllegalArgumentException("max-delay and outage-backoff must be positive, got "
          + maxDelay + ", " + outageBackoff);
    }
  }
}
