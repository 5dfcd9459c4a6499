package io.kinfer.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A stream thread's polls stay short while it works and wait longer once it is idle. */
class PollPaceTest {

  private static final Duration SHORT = Duration.ofMillis(5);
  private static final long MS = 1_000_000L;

  @Test
  void aBusyThreadPollsAsKafkaStreamsAsks() {
    assertEquals(SHORT, PollPace.pollTimeout(SHORT, 0));
    assertEquals(SHORT, PollPace.pollTimeout(SHORT, 999 * MS));
  }

  @Test
  void aThreadIdleForASecondWaitsUpToTheQuietPoll() {
    assertEquals(PollPace.QUIET_POLL, PollPace.pollTimeout(SHORT, 1_000 * MS));
    assertEquals(PollPace.QUIET_POLL, PollPace.pollTimeout(Duration.ofMillis(1), 60_000 * MS));
  }

  @Test
  void tasksPunctuateEveryHalfMaxDelayAtMostEveryFiveMsAtLeastEveryMs() {
    assertEquals(SHORT, PollPace.punctuationInterval(Duration.ofMillis(20)));
    assertEquals(Duration.ofMillis(2), PollPace.punctuationInterval(Duration.ofMillis(4)));
    assertEquals(Duration.ofMillis(1), PollPace.punctuationInterval(Duration.ofMillis(1)));
  }

  @Test
  void aZeroTimeoutIsKeptEvenWhenIdle() {
    assertEquals(Duration.ZERO, PollPace.pollTimeout(Duration.ZERO, 60_000 * MS));
  }

  @Test
  void aLongerWaitAskedForIsKept() {
    Duration longer = Duration.ofMillis(250);
    assertEquals(longer, PollPace.pollTimeout(longer, 60_000 * MS));
  }

  @Test
  void aThreadIsBusyFromItsStartAndAgainWhenMarked() throws Exception {
    Duration[] seen = new Duration[2];
    Thread thread = new Thread(() -> {
      seen[0] = PollPace.pollTimeout(SHORT);
      PollPace.busy();
      seen[1] = PollPace.pollTimeout(SHORT);
    });
    thread.start();
    thread.join();
    assertEquals(SHORT, seen[0]);
    assertEquals(SHORT, seen[1]);
  }
}
