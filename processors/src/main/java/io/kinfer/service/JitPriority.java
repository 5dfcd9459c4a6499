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
 * Optionally runs the JIT's optimizing compiler (C2) at a lower OS priority than the pipelines:
 * the {@code kinfer.jit-nice} system property, a nice value ({@code -Dkinfer.jit-nice=10}); off
 * (0) by default.
 *
 * <p>On a small machine the compiler competes with the model for the cores: Kafka's client and
 * broker code is large and warms up slowly, so C2 went on compiling minutes into a bench run,
 * one method at a time (0.5–1 s of C2 each), and image turns in which it was busy gave the
 * lowest ratios. At a lower priority it compiles with what the pipelines leave; but under full
 * load it then gets about a tenth of a core, and code the pipelines need compiled (the audio
 * features on the stream thread) stays slower for longer. Measured on 2 December 2026 (README,
 * "The JIT as a neighbour"): no clear gain in one bench run, and the audio pipeline fell behind
 * at 50% and 70% of its peak in a latency run right after its start. Hence off by default.
 *
 * <p>Linux only (nice is per thread there); elsewhere, or when the call fails, nothing changes.
 * Raising a thread's nice value needs no privilege.
 */
public final class JitPriority {

  private static final Logger LOG = LoggerFactory.getLogger(JitPriority.class);
  /** Off: the compiler threads keep the JVM's priority. */
  static final int DEFAULT_NICE = 0;
  private static final int PRIO_PROCESS = 0;
  private static volatile boolean lowered;

  private JitPriority() {}

  /** Lowers the priority of this JVM's C2 compiler threads as configured, once. */
  public static synchronized void lower() {
    if (lowered) {
      return;
    }
    lowered = true;
    lower(Integer.getInteger("kinfer.jit-nice", DEFAULT_NICE));
  }

  /** Sets this JVM's C2 compiler threads to nice {@code nice} (0 or less: nothing). */
  static void lower(int nice) {
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
