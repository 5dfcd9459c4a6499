package io.kinfer.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CommitScheduleTest {

  /** Looked at every 5 ms (the punctuation), commits are due every 100 ms from the first look. */
  @Test
  void commitsAreDueEveryIntervalFromTheFirstLook() {
    CommitSchedule schedule = new CommitSchedule(100);
    List<Long> commits = new ArrayList<>();
    for (long now = 1_000; now <= 1_500; now += 5) {
      if (schedule.due(now)) {
        commits.add(now);
      }
    }
    assertEquals(List.of(1_100L, 1_200L, 1_300L, 1_400L, 1_500L), commits);
  }

  /**
   * A commit made late (the thread was busy when it fell due) does not push the next back: the
   * gaps stay one interval on average, where a timer restarted after each commit drifts.
   */
  @Test
  void aLateCommitDoesNotPushTheNextBack() {
    CommitSchedule schedule = new CommitSchedule(100);
    assertFalse(schedule.due(0));
    assertTrue(schedule.due(112), "due at 100, looked at 112");
    assertFalse(schedule.due(199));
    assertTrue(schedule.due(200), "the next is due at 200, not 212");
    assertFalse(schedule.due(250));
  }

  /** After a stall of several intervals, one commit, then the schedule goes on from there. */
  @Test
  void periodsMissedInAStallAreSkippedNotMadeUp() {
    CommitSchedule schedule = new CommitSchedule(100);
    schedule.due(0);
    assertTrue(schedule.due(530));
    assertFalse(schedule.due(540), "no burst of commits for the periods missed");
    assertFalse(schedule.due(629));
    assertTrue(schedule.due(630));
  }

  @Test
  void oneSchedulePerThread() throws Exception {
    CommitSchedule mine = CommitSchedule.forCurrentThread(100);
    assertSame(mine, CommitSchedule.forCurrentThread(100));
    AtomicReference<CommitSchedule> other = new AtomicReference<>();
    Thread thread = new Thread(() -> other.set(CommitSchedule.forCurrentThread(100)));
    thread.start();
    thread.join(10_000);
    assertNotSame(mine, other.get());
    assertNotSame(mine, CommitSchedule.forCurrentThread(50), "another interval, a new schedule");
  }

  /** Kafka Streams' own timer: ten intervals, well within its 10 s transaction timeout. */
  @Test
  void kafkaStreamsOwnTimerIsASafetyNet() {
    assertEquals(1_000, CommitSchedule.backstop(100));
    assertEquals(200, CommitSchedule.backstop(20));
    assertEquals(6_000, CommitSchedule.backstop(1_000));
    assertEquals(65_000, CommitSchedule.backstop(60_000), "at most 5 s over the interval");
    assertThrows(IllegalArgumentException.class, () -> new CommitSchedule(0));
  }
}
