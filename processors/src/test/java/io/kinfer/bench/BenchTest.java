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
    List<Bench.Result> results = new Bench(TestModels.MODELS_DIR, 96, 8,
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
  }
}
