package io.kinfer.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The memory budget is stated once and used everywhere it applies: {@code kinfer memory}
 * measures with the flags the Docker images run with, and the launcher gives run and demo the
 * same flags with room for the embedded broker (without touching the heap at start).
 */
class MemoryBudgetTest {

  private static final Path ROOT = Path.of("..");

  @Test
  void theDockerImagesRunWithTheFlagsKinferMemoryMeasures() throws Exception {
    for (String image : new String[] {"docker/Dockerfile", "docker/Dockerfile.gpu"}) {
      String text = Files.readString(ROOT.resolve(image));
      assertTrue(text.contains("JAVA_TOOL_OPTIONS=\"" + MemoryCommand.BUDGET + " "),
          image + " runs with the budget " + MemoryCommand.BUDGET);
    }
  }

  @Test
  void theLauncherGivesRunAndDemoTheBudgetPlusTheBroker() throws Exception {
    String launcher = Files.readString(ROOT.resolve("kinfer"));
    // The same flags with room for the broker, and without touching the heap at start: a local
    // start does not pay 1.4 s for failing early in a container that is too small.
    String withBroker = MemoryCommand.BUDGET.replace("-Xms512m -Xmx512m -XX:+AlwaysPreTouch",
        "-Xms768m -Xmx768m");
    assertTrue(!withBroker.equals(MemoryCommand.BUDGET), "the budget starts with "
        + "-Xms512m -Xmx512m -XX:+AlwaysPreTouch: " + MemoryCommand.BUDGET);
    assertTrue(launcher.contains("budget=\"" + withBroker + "\""), "launcher: " + withBroker);
    assertTrue(launcher.contains("run|demo) default_opts=\"$budget\""));
  }
}
