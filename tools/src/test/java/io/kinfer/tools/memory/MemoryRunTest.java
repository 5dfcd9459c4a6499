package io.kinfer.tools.memory;

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
 * A short {@code kinfer memory} run so it cannot rot, and the hostile corpus end to end: the
 * service as a child JVM with the budget's heap takes every hostile record to exactly its
 * right outcome (one result or one dead letter) and stays up. The memory figures are printed,
 * not asserted: they belong to the full command on a quiet machine.
 */
@Timeout(600)
class MemoryRunTest {

  @Test
  void theHostileCorpusGetsItsRightOutcomesInsideTheBudgetsHeap() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    MemoryRun.Report report = new MemoryRun(new MemoryRun.Options(
        List.of("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-Xss1m"), 3, 20, 1,
        TestModels.MODELS_DIR), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
    String text = printed.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertTrue(report.serviceAlive(), "the service survives the hostile corpus: " + text);
    assertEquals(report.hostileRecords(), report.hostileCorrect(),
        "every hostile record gets exactly its right outcome: " + text);
    assertTrue(report.idleMb() > 0 && report.hostilePeakMb() >= report.idleMb(), text);
  }
}
