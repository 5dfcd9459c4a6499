package io.kinfer.batching;

import io.kinfer.schema.EnrichedEvent;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the batching core reports as it works, for metrics and the live page. Called on the
 * stream thread (and, for {@link #batchScored}, on the thread that forwards the batch);
 * implementations must be cheap and thread-safe.
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
   * @param event the event as it came (do not change it)
   * @param result what was forwarded for it
   * @param queueWaitSeconds from arrival to its batch being sent off
   * @param endToEndSeconds from the event's time to now
   */
  default void enriched(SpecificRecord event, EnrichedEvent result, double queueWaitSeconds,
      double endToEndSeconds) {}

  /**
   * A record was dead-lettered by the batching core ({@code decode} after a restore, or
   * {@code predict}).
   *
   * @param origin which record: its event id, or where it came from
   */
  default void deadLettered(String stage, String reason, String origin) {}

  /** Batches sent off and not yet forwarded, and records waiting in the buffer, right now. */
  default void inFlight(int batches, int buffered) {}

  /** The processor closed: it holds nothing any more. */
  default void closed() {}

  /** Tells each of {@code observers} everything, in order (plain loops: called per record). */
  static BatchObserver all(List<BatchObserver> observers) {
    List<BatchObserver> all = List.copyOf(observers);
    return new BatchObserver() {
      @Override
      public void buffered() {
        for (BatchObserver o : all) {
          o.buffered();
        }
      }

      @Override
      public void batchScored(int size, double modelSeconds) {
        for (BatchObserver o : all) {
          o.batchScored(size, modelSeconds);
        }
      }

      @Override
      public void enriched(SpecificRecord event, EnrichedEvent result, double queueWaitSeconds,
          double endToEndSeconds) {
        for (BatchObserver o : all) {
          o.enriched(event, result, queueWaitSeconds, endToEndSeconds);
        }
      }

      @Override
      public void deadLettered(String stage, String reason, String origin) {
        for (BatchObserver o : all) {
          o.deadLettered(stage, reason, origin);
        }
      }

      @Override
      public void inFlight(int batches, int buffered) {
        for (BatchObserver o : all) {
          o.inFlight(batches, buffered);
        }
      }

      @Override
      public void closed() {
        for (BatchObserver o : all) {
          o.closed();
        }
      }
    };
  }
}
