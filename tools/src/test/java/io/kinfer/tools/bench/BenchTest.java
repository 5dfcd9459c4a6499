package io.kinfer.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke run of {@code kinfer bench} so it cannot rot: every figure is measured from results
 * that came back exactly once, batching shows in the results, and the printed ratios are the
 * measured ones. No speed is asserted here (shared machines are noisy).
 */
@Timeout(300)
class BenchTest {

  @Test
  void measuresModelAndPipelineAtBothBatchSizesWithEveryResultBackOnce() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Bench.Result> results = new Bench(TestModels.MODELS_DIR, 96, 8, 3,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(List.of("text"));
    assertEquals(1, results.size());
    Bench.Result r = results.get(0);
    assertEquals(List.of(1, 8, 1, 8), List.of(r.model1().batch(), r.modelN().batch(),
        r.pipeline1().batch(), r.pipelineN().batch()));
    // 96 events at batch 8 are 12 calls of 8; the pipeline's results say how they were scored.
    assertEquals(8.0, r.modelN().meanBatch());
    assertEquals(1.0, r.pipeline1().meanBatch(), "max-batch 1 scores every record alone");
    assertTrue(r.pipelineN().meanBatch() > 1.5, "under a backlog of 96 events, max-batch 8"
        + " fills batches: mean " + r.pipelineN().meanBatch());
    for (Bench.Figure f : List.of(r.pipeline1(), r.pipelineN())) {
      assertEquals(0, f.duplicates(), "exactly once: " + f);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("batch 8, turn 3:"), "each pair measured three times: " + text);
    String ratios = text.lines().filter(l -> l.startsWith("text ") && l.contains("x "))
        .findFirst().orElseThrow(() -> new AssertionError("no ratio line: " + text));
    assertTrue(ratios.contains(String.format(Locale.ROOT, "%.2f", r.pipelineShareOfModel()))
        && ratios.contains(String.format(Locale.ROOT, "%.2f", r.gainShare())),
        "the printed ratios are the measured ones: " + ratios + " vs " + r);
  }

  @Test
  void measuresThePipelineWithAndWithoutTheLivePageOpen() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Double> ratios = new PageCost(TestModels.MODELS_DIR, 96, 8, 2,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(List.of("text"));
    String text = printed.toString(StandardCharsets.UTF_8);
    assertEquals(1, ratios.size());
    assertTrue(text.contains("turn 2: page closed"), text);
    assertTrue(text.matches("(?s).*page open \\d+ events/s \\([1-9]\\d* feed reads.*"),
        "the page's feed was read while the pipeline ran: " + text);
    assertTrue(text.contains(String.format(Locale.ROOT, "text: page open ÷ page closed (medians)"
        + " = %.3f", ratios.get(0))), "the printed ratio is the measured one: " + text);
  }

  @Test
  void aFigureIsTheMedianOfItsTurns() {
    List<Bench.Figure> turns = List.of(figure(300), figure(100), figure(200), figure(900));
    assertEquals(200, Bench.median(turns).eventsPerSecond(), "the lower middle of four");
    assertEquals(200, Bench.median(turns.subList(0, 3)).eventsPerSecond());
  }

  private static Bench.Figure figure(double eventsPerSecond) {
    return new Bench.Figure("model only", 8, eventsPerSecond, 1, 2, 1, 0, 8, 0);
  }
}
