package io.kinfer.batching;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a stream thread reads a backlog, on a clock the test moves. */
class ThreadPaceTest {

  private static final long MS = 1_000_000L;

  private final AtomicLong nanos = new AtomicLong(5_000 * MS);
  private final ThreadPace pace = new ThreadPace(nanos::get);

  @Test
  void aThreadWhoseCallsWaitForTheModelAndThatNeverWaitsForInputReadsABacklog() {
    process(2);
    pace.saturated(1_000);
    assertTrue(pace.readsBacklog(1_000));
    assertTrue(pace.readsBacklog(1_099));
    assertFalse(pace.readsBacklog(1_100), "the model was last saturated 100 ms ago");
  }

  @Test
  void aThreadThatWaitedForInputLatelyDoesNotReadABacklog() {
    pace.processed();
    nanos.addAndGet(3 * MS);
    pace.punctuated();
    pace.saturated(1_000);
    assertFalse(pace.readsBacklog(1_000), "it waited for input 0 ms ago");
    process(99);
    assertFalse(pace.readsBacklog(1_000), "it waited for input 99 ms ago");
    process(2);
    assertTrue(pace.readsBacklog(1_000), "it has not waited for input for 101 ms");
  }

  @Test
  void punctuationsRightAfterRecordsAreNotWaitsForInput() {
    pace.saturated(1_000);
    for (int i = 0; i < 200; i++) {
      process(1);
      pace.punctuated();
    }
    assertTrue(pace.readsBacklog(1_000));
  }

  @Test
  void aModelNeverSaturatedMeansNoBacklog() {
    process(500);
    assertFalse(pace.readsBacklog(1_000));
  }

  /** Records processed back to back for {@code millis}, the last one done now. */
  private void process(long millis) {
    nanos.addAndGet(millis * MS);
    pace.processed();
  }
}
