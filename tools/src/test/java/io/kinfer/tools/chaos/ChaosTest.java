package io.kinfer.tools.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.TestModels;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short crash case of {@code kinfer chaos}, on real processes: two service instances as
 * child JVMs, SIGKILLed twice while events of all modalities flow, and a broker bounce. Every
 * event must come out exactly once: enriched, or dead-lettered if it was bad.
 */
@Timeout(600)
class ChaosTest {

  @Test
  void nothingIsLostOrDuplicatedAcrossKillsABrokerBounceAndTwoInstances() throws Exception {
    ChaosRun.Report report = new ChaosRun(new ChaosRun.Options(3_000, 2, true, 2, 0.02, 42L,
        TestModels.MODELS_DIR, Duration.ofMinutes(5)), System.out).run();
    System.out.println("chaos: " + report.summary());
    assertEquals(0, report.lost(), "lost: " + report.examples());
    assertEquals(0, report.duplicated(), "duplicated: " + report.examples());
    assertEquals(0, report.misrouted(), "misrouted: " + report.examples());
    assertTrue(report.brokerBounced());
    assertTrue(report.bad() > 0, "some inputs were bad");
    assertEquals(report.bad(), report.deadLettered(), "every bad input dead-lettered once");
    assertEquals(report.events() - report.bad(), report.enriched());
  }
}
