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
 * A smoke run of {@code kinfer bench --neighbours} so it cannot rot: the four figures are
 * measured and printed as measured. No speed is asserted (shared machines are noisy).
 */
@Timeout(120)
class NeighboursTest {

  @Test
  void measuresOneAndTwoCallersWithoutAndWithANeighbour() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<double[][]> rates = new Neighbours(TestModels.MODELS_DIR, 64, 8, 1,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(List.of("image"));
    assertEquals(1, rates.size());
    String text = printed.toString(StandardCharsets.UTF_8);
    for (double[] callers : rates.get(0)) {
      for (double rate : callers) {
        assertTrue(rate > 0, "every figure measured: " + text);
      }
    }
    assertTrue(text.contains("turn 1: 1 thread"), text);
    String two = text.lines().filter(l -> l.startsWith("2 threads")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for two threads: " + text));
    assertTrue(two.contains(String.format(Locale.ROOT, "%.0f", rates.get(0)[1][0]))
        && two.contains(String.format(Locale.ROOT, "%.0f", rates.get(0)[1][1])),
        "the printed figures are the measured ones: " + two);
  }

  @Test
  void theMedianOfAnEvenCountIsTheLowerOfTheMiddleTwo() {
    assertEquals(2.0, Neighbours.median(new double[] {4, 1, 2, 3}));
    assertEquals(3.0, Neighbours.median(new double[] {5, 3, 1}));
  }
}
