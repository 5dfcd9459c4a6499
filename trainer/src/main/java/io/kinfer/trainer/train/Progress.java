package io.kinfer.trainer.train;

import java.io.PrintStream;
import java.time.Duration;

/** A one-line progress bar with loss, accuracy, speed and ETA, redrawn at most twice a second. */
final class Progress {

  private final PrintStream out;
  private final boolean terminal = System.console() != null;
  private long lastDraw;

  Progress(PrintStream out) {
    this.out = out;
  }

  void step(int epoch, int epochs, long done, long total, double loss, double accuracy,
      double examplesPerSecond, Duration eta, boolean force) {
    long now = System.nanoTime();
    if (!force && now - lastDraw < (terminal ? 500_000_000L : 15_000_000_000L)) {
      return;
    }
    lastDraw = now;
    int width = 24;
    int filled = (int) (width * done / Math.max(1, total));
    String bar = "#".repeat(filled) + "-".repeat(width - filled);
    String line = String.format("  epoch %d/%d [%s] %3d%%  loss %.4f  acc %5.2f%%  %,.0f ex/s  ETA %s",
        epoch, epochs, bar, 100 * done / Math.max(1, total), loss, 100 * accuracy,
        examplesPerSecond, format(eta));
    if (terminal) {
      out.print("\r" + line);
      if (force) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  static String format(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600 ? String.format("%dh%02dm", s / 3600, s / 60 % 60)
        : String.format("%dm%02ds", s / 60, s % 60);
  }
}
