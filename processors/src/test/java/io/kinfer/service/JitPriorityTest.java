package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** With {@code kinfer.jit-nice=10}, the JVM's C2 compiler threads run at nice 10 (at least). */
@EnabledOnOs(value = OS.LINUX, disabledReason = "nice values per thread are Linux's")
class JitPriorityTest {

  @Test
  void theOptimizingCompilerRunsNicerThanTheRest() throws Exception {
    JitPriority.lower(10);
    Map<String, Integer> niceByThread = new HashMap<>();
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        String stat = Files.readString(task.resolve("stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        niceByThread.put(Files.readString(task.resolve("comm")).trim() + "#" + task.getFileName(),
            Integer.parseInt(fields[16]));
      }
    }
    var compilers = niceByThread.entrySet().stream()
        .filter(e -> e.getKey().startsWith("C2 CompilerThre")).toList();
    assertFalse(compilers.isEmpty(), "no C2 compiler thread among " + niceByThread.keySet());
    // At least nice 10: a JVM started nicer than that keeps its own (lowering needs a privilege).
    compilers.forEach(e -> assertTrue(e.getValue() >= 10,
        e.getKey() + " runs at nice " + e.getValue()));
  }
}
