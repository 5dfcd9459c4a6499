package io.kinfer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke run of {@code kinfer bench} so it cannot rot: every figure is measured and printed.
 * No speed is asserted here (shared machines are noisy); the command prints the ratios.
 */
@Timeout(300)
class BenchTest {

  @Test
  void measuresModelAndPipelineAtBothBatchSizes() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Bench.Result> results = new Bench(TestModels.MODELS_DIR, 96, 8, 3,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(List.of("text"));
    assertEquals(1, results.size());
    Bench.Result r = results.get(0);
    for (Bench.Figure f : List.of(r.model1(), r.modelN(), r.pipeline1(), r.pipelineN())) {
      assertTrue(f.eventsPerSecond() > 0 && f.p50Ms() > 0 && f.p99Ms() >= f.p50Ms(),
          "measured: " + f);
    }
    assertEquals(8, r.pipelineN().batch());
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("pipeline gain/model gain"), text);
    assertTrue(text.contains("batch 8, turn 3:"), "each pair measured three times: " + text);
  }

  @Test
  void aFigureIsTheMedianOfItsTurns() {
    List<Bench.Figure> turns = List.of(figure(300), figure(100), figure(200), figure(900));
    assertEquals(200, Bench.median(turns).eventsPerSecond(), "the lower middle of four");
    assertEquals(200, Bench.median(turns.subList(0, 3)).eventsPerSecond());
  }

  private static Bench.Figure figure(double eventsPerSecond) {
    return new Bench.Figure("model only", 8, eventsPerSecond, 1, 2, 1, 0);
  }
}
