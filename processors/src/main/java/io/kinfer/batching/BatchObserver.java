package io.kinfer.batching;

/**
 * What the batching core reports as it works, for metrics. Called on the stream thread (and,
 * for {@link #batchScored}, on the thread that forwards the batch); implementations must be
 * cheap and thread-safe.
 */
public interface BatchObserver {

  /** Reports nothing. */
  BatchObserver NONE = new BatchObserver() {};

  /** A record was decoded and buffered. */
  default void buffered() {}

  /**
   * A batch's results were forwarded.
   *
   * @param size records in the model call
   * @param modelSeconds time of the model call(s) for the batch
   */
  default void batchScored(int size, double modelSeconds) {}

  /**
   * One record's result left.
   *
   * @param queueWaitSeconds from arrival to its batch being sent off
   * @param endToEndSeconds from the event's record timestamp to now
   */
  default void enriched(double queueWaitSeconds, double endToEndSeconds) {}

  /** A record was dead-lettered by the batching core ({@code decode} after a restore, or
   *  {@code predict}). */
  default void deadLettered(String stage) {}

  /** Batches sent off and not yet forwarded, and records waiting in the buffer, right now. */
  default void inFlight(int batches, int buffered) {}

  /** The processor closed: it holds nothing any more. */
  default void closed() {}
}
