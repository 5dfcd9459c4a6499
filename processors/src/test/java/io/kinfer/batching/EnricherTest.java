package io.kinfer.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kinfer.Events;
import io.kinfer.inference.Scores;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Modality;
import io.kinfer.schema.ModelInfo;
import io.kinfer.schema.Prediction;
import io.kinfer.schema.Timings;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnricherTest {

  private final Enricher enricher = new Enricher(Modality.IMAGE,
      new ModelInfo("m", "3", "TensorFlow 2.16.1", "cpu()"), List.of("a", "b", "c", "d"), 2);

  @Test
  void ranksTheTopKLabelsBestFirstWithTiesInSynsetOrder() {
    EnrichedEvent e = enricher.enrich(Events.envelope("x"),
        new Scores(new float[] {0.1f, 0.4f, 0.1f, 0.4f}, null), new Timings(1.0, 2.0, 1),
        Instant.EPOCH);
    assertEquals(List.of(new Prediction("b", 0.4f), new Prediction("d", 0.4f)),
        e.getPredictions());
    assertEquals("b", e.getTopLabel());
    assertEquals("x", e.getEnvelope().getEventId());
    assertNull(e.getEmbedding());
  }

  @Test
  void carriesTheEmbeddingAndRejectsAScoreCountThatDoesNotMatchTheLabels() {
    EnrichedEvent e = enricher.enrich(Events.envelope("x"),
        new Scores(new float[] {1, 0, 0, 0}, new float[] {0.5f, -1f}), new Timings(0.0, 0.0, 1),
        Instant.EPOCH);
    assertEquals(List.of(0.5f, -1f), e.getEmbedding());
    assertThrows(IllegalStateException.class, () -> enricher.enrich(Events.envelope("x"),
        new Scores(new float[] {1, 0}, null), new Timings(0.0, 0.0, 1), Instant.EPOCH));
  }
}
