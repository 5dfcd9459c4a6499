package io.kinfer.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.TestModels;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Timeout;

/**
 * A smoke run of {@code kinfer bench} so it cannot rot: every figure is measured from results
 * that came back exactly once, batching shows in the results, and the printed ratios are the
 * measured ones. No speed is asserted here (shared machines are noisy).
 */
@Timeout(300)
class BenchTest {

  @Test
  void measuresModelAndPipelineAtBothBatchSizesWithEveryResultBackOnce(@TempDir Path out)
      throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<Bench.Result> results = new Bench(TestModels.MODELS_DIR, 96, List.of(8), 3,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(List.of("text"));
    assertEquals(1, results.size());
    Bench.Result r = results.get(0);
    assertEquals(List.of(1, 8), r.pairs().stream().map(Bench.Pair::batch).toList());
    Bench.Pair one = r.atOne();
    Bench.Pair eight = r.best();
    assertEquals(List.of(1, 8, 1, 8), List.of(one.model().batch(), eight.model().batch(),
        one.pipeline().batch(), eight.pipeline().batch()));
    // 96 events at batch 8 are 12 calls of 8; the pipeline's results say how they were scored.
    assertEquals(8.0, eight.model().meanBatch());
    assertEquals(1.0, one.pipeline().meanBatch(), "max-batch 1 scores every record alone");
    assertTrue(eight.pipeline().meanBatch() > 1.5, "under a backlog of 96 events, max-batch 8"
        + " fills batches: mean " + eight.pipeline().meanBatch());
    for (Bench.Figure f : List.of(one.pipeline(), eight.pipeline())) {
      assertEquals(0, f.duplicates(), "exactly once: " + f);
      assertTrue(f.modelBusy() > 0 && f.modelBusy() <= 1.05 && f.batchMs() > 0,
          "the model's busy share and call time come from the results' timings: " + f);
    }
    String text = printed.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("batch 8, turn 3:"), "each pair measured three times: " + text);
    String ratios = text.lines().filter(l -> l.startsWith("text ") && l.contains("x "))
        .findFirst().orElseThrow(() -> new AssertionError("no ratio line: " + text));
    assertTrue(ratios.contains(String.format(Locale.ROOT, "%.2f", r.pipelineShareOfModel()))
        && ratios.contains(String.format(Locale.ROOT, "%.2f", r.gainShare())),
        "the printed ratios are the measured ones: " + ratios + " vs " + r);

    new BenchReport(out, new PrintStream(printed, true, StandardCharsets.UTF_8))
        .throughput(results, 96, 3);
    JsonNode json = new ObjectMapper().readTree(out.resolve("throughput.json").toFile());
    JsonNode text8 = json.at("/results/0/pairs/1");
    assertEquals(8, text8.get("batch").asInt());
    assertEquals(eight.pipeline().eventsPerSecond(),
        text8.at("/pipeline/eventsPerSecond").asDouble(), 1e-9, "the JSON holds the figures");
    assertEquals(r.pipelineShareOfModel(), json.at("/results/0/pipelineShareOfModel").asDouble(),
        1e-9);
    assertTrue(text8.at("/cpuMicrosPerEvent/stream").asDouble() > 0, text8.toString());
    BenchReportTest.assertChart(out.resolve("throughput.png"), 1);
    java.nio.file.Files.delete(out.resolve("throughput.png"));
    new BenchReport(out, new PrintStream(printed, true, StandardCharsets.UTF_8)).redraw();
    BenchReportTest.assertChart(out.resolve("throughput.png"), 1);
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
  void theSteadyRateLeavesOutTheWaitForTheFirstCommitAndTheLastBatch() {
    // 100 results a millisecond apart, the first after 100 ms (the first commit), the last 50
    // ms late (a part-full batch): 1,000/s sustained, though the whole round ran 250 ms.
    long[] doneAt = new long[100];
    for (int i = 0; i < 100; i++) {
      doneAt[i] = 100_000_000L + i * 1_000_000L;
    }
    doneAt[99] += 50_000_000L;
    assertEquals(1000, Measurement.steadyRate(doneAt, 100 / 0.25), 1e-6);
    assertEquals(400, Measurement.steadyRate(new long[] {1, 2, 3}, 400),
        "too few results for a middle: the whole round's rate");
  }

  @Test
  void aFigureIsTheMedianOfItsTurns() {
    List<Bench.Figure> turns = List.of(figure(300), figure(100), figure(200), figure(900));
    assertEquals(200, Bench.median(turns).eventsPerSecond(), "the lower middle of four");
    assertEquals(200, Bench.median(turns.subList(0, 3)).eventsPerSecond());
  }

  @Test
  void aRatioIsTheMedianOfItsTurnsRatiosNotARatioOfMedians() {
    // The machine slows down in turn 2 and speeds up in turn 3: each turn's pipeline against
    // its own model gives 0.9, 0.8, 0.85 (median 0.85); the medians of the figures, 900 of
    // turn 1 over 1000 of turn 1, happen to pair up here but need not.
    List<Bench.Figure> model = List.of(figure(1000), figure(500), figure(2000));
    List<Bench.Figure> pipeline = List.of(figure(900), figure(400), figure(1700));
    List<Double> turns = List.of(0.9, 0.8, 0.85);
    Bench.Pair thirtyTwo = new Bench.Pair(32, Bench.median(model), Bench.median(pipeline),
        java.util.Map.of(), turns);
    assertEquals(0.85, thirtyTwo.pipelineShareOfModel(), 1e-9);
    Bench.Pair one = new Bench.Pair(1, figure(100), figure(90), java.util.Map.of(),
        List.of(0.95, 0.9, 1.0));
    assertEquals(0.85 / 0.95, new Bench.Result("text", List.of(one, thirtyTwo)).gainShare(),
        1e-9, "the gain ratio is the share at the best size over the share at 1");
    assertEquals(0.9, new Bench.Pair(1, figure(100), figure(90), java.util.Map.of(), List.of())
        .pipelineShareOfModel(), 1e-9, "no turns (an older JSON file): the figures' ratio");
  }

  private static Bench.Figure figure(double eventsPerSecond) {
    return new Bench.Figure("model only", 8, eventsPerSecond, eventsPerSecond, 1, 2, 1, 0, 8, 0,
        1, 1);
  }

  /** Polls that read one commit's results count once; the gaps are between commits. */
  @Test
  void resultsBecomeVisibleAtEachCommitNotAtEachPoll() {
    long ms = 1_000_000L;
    double[] gaps = BenchPipeline.visibleEvery(List.of(0L, 3 * ms, 110 * ms, 112 * ms,
        130 * ms, 240 * ms));
    assertEquals(List.of(110.0, 130.0), java.util.Arrays.stream(gaps).boxed().toList());
  }
}
