package io.kinfer.service;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the JIT's optimizing compiler (C2) at a lower OS priority than the pipelines: nice
 * {@value #DEFAULT_NICE}, or the {@code kinfer.jit-nice} system property (0 leaves it alone).
 *
 * <p>On a small machine the compiler competes with the model for the cores: Kafka's client
 * and broker code is large and warms up slowly, so C2 went on compiling minutes into a run, one
 * method at a time (0.5–1 s of C2 each). In {@code ./kinfer bench}, image turns in which it
 * compiled 21–30% of the time gave pipeline ÷ model ratios of 0.63–0.74, against 0.87 in a turn
 * in which it compiled 5%. At a lower priority it compiles with what the pipelines leave, and
 * hot code still gets compiled, a little later under full load.
 *
 * <p>Linux only (nice is per thread there); elsewhere, or when the call fails, nothing changes.
 * Raising a thread's nice value needs no privilege.
 */
public final class JitPriority {

  private static final Logger LOG = LoggerFactory.getLogger(JitPriority.class);
  static final int DEFAULT_NICE = 10;
  private static final int PRIO_PROCESS = 0;
  private static volatile boolean lowered;

  private JitPriority() {}

  /** Lowers the priority of this JVM's C2 compiler threads, once. */
  public static synchronized void lower() {
    if (lowered) {
      return;
    }
    lowered = true;
    int nice = Integer.getInteger("kinfer.jit-nice", DEFAULT_NICE);
    if (nice <= 0 || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
        .contains("linux")) {
      return;
    }
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path task : tasks) {
        if (Files.readString(task.resolve("comm")).startsWith("C2 CompilerThre")) {
          int tid = Integer.parseInt(task.getFileName().toString());
          if (LibC.INSTANCE.setpriority(PRIO_PROCESS, tid, nice) != 0) {
            LOG.debug("setpriority({}, {}) failed", tid, nice);
          }
        }
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      LOG.debug("JIT compiler threads keep their priority: {}", e.toString());
    }
  }

  /** The C library's {@code setpriority(2)}. */
  private interface LibC extends Library {
    LibC INSTANCE = Native.load("c", LibC.class);

    int setpriority(int which, int who, int prio);
  }
}
