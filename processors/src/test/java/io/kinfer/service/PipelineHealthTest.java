package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.pipeline.PipelineRunner.PipelineStatus;
import io.kinfer.schema.ModelInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;

/** What readiness and liveness say for each state a pipeline can be in. */
class PipelineHealthTest {

  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final ModelInfo MODEL = new ModelInfo("image-cnn", "3", "TensorFlow 2.16.1",
      "cpu()");

  private static PipelineHealth.Verdict verdict(State state, Duration ago, String failure) {
    Map<String, PipelineHealth.Verdict> all = PipelineHealth.of(List.of(new PipelineStatus(
        "image", state, NOW.minus(ago), MODEL, failure)), Duration.ofSeconds(60), NOW);
    return all.get("image");
  }

  @Test
  void runningIsUpWithItsModel() {
    PipelineHealth.Verdict v = verdict(State.RUNNING, Duration.ofMinutes(5), null);
    assertTrue(v.up());
    assertFalse(v.stopped());
    assertEquals("image-cnn/3", v.details().get("model"));
    assertEquals("cpu()", v.details().get("device"));
  }

  @Test
  void aShortRebalanceIsUpALongOneIsDownWithTheBound() {
    assertTrue(verdict(State.REBALANCING, Duration.ofSeconds(10), null).up());
    PipelineHealth.Verdict long_ = verdict(State.REBALANCING, Duration.ofSeconds(90), null);
    assertFalse(long_.up());
    assertFalse(long_.stopped(), "a rebalance may end: not a liveness failure");
    assertTrue(long_.details().get("reason").toString().contains("rebalancing for 90 s"),
        long_.details().toString());
  }

  @Test
  void aPipelineStoppedByAnOutageIsDownAndNotAliveWithTheReason() {
    PipelineHealth.Verdict v = verdict(State.ERROR, Duration.ofSeconds(1),
        "model image-cnn/3 cannot score even its warm-up input");
    assertFalse(v.up());
    assertTrue(v.stopped());
    assertTrue(v.details().get("reason").toString().contains("warm-up input"));
    assertTrue(v.details().get("reason").toString().contains("restart"));
  }

  @Test
  void startingIsNotReadyButAlive() {
    PipelineHealth.Verdict v = verdict(State.CREATED, Duration.ZERO, null);
    assertFalse(v.up());
    assertFalse(v.stopped());
    assertEquals("starting", v.details().get("reason"));
  }
}
