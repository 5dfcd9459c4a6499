package io.kinfer.batching;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.TestModels;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What "the model is idle" means for send-when-idle when a pipeline's tasks share a scorer. */
@Timeout(60)
class BatchScorerTest {

  @Test
  void aStreamThreadWithNothingInFlightIsNotIdleWhileAnotherKeepsTheSharedScorerBusy()
      throws Exception {
    try (ScoringThreads shared = new ScoringThreads("idle-test", 1)) {
      StreamThreadBatcher<java.awt.image.BufferedImage> task =
          shared.batcherForCurrentThread(TestModels.image(), new BatchSettings(8,
              java.time.Duration.ofMillis(20), 3, 1, java.time.Duration.ofSeconds(1)));
      assertTrue(task.idle(), "nothing is being scored");
      CountDownLatch otherTaskBatch = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      shared.execute(() -> {
        started.countDown();
        try {
          otherTaskBatch.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      assertFalse(task.idle(), "another stream thread's batch is being scored: a record would wait"
          + " behind it anyway, so it should wait for batch-mates instead");
      otherTaskBatch.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!task.idle() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertTrue(task.idle(), "the shared scorer is idle again");
    }
  }
}
