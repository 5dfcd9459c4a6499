package io.kinfer.observe;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts latencies in buckets 10% apart from 0.1 ms to about two minutes, cheaply enough for
 * every record (one array increment), so that percentiles over any interval come from the
 * difference of two snapshots, within 5%.
 */
final class LatencyHistogram {

  private static final double SMALLEST_MS = 0.1;
  private static final double GROWTH = 1.1;
  static final int BUCKETS = 150;
  private static final double LOG_GROWTH = Math.log(GROWTH);

  private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

  void record(double millis) {
    int bucket = millis <= SMALLEST_MS ? 0
        : (int) Math.min(BUCKETS - 1, 1 + Math.log(millis / SMALLEST_MS) / LOG_GROWTH);
    counts.incrementAndGet(bucket);
  }

  long[] snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = counts.get(i);
    }
    return copy;
  }

  /**
   * The {@code quantile} (0..1) of what was recorded between two snapshots, in milliseconds
   * (the middle of its bucket); NaN when nothing was.
   */
  static double quantile(long[] before, long[] after, double quantile) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      total += after[i] - before[i];
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = (long) Math.ceil(quantile * total);
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += after[i] - before[i];
      if (seen >= Math.max(1, rank)) {
        return i == 0 ? SMALLEST_MS : SMALLEST_MS * Math.pow(GROWTH, i - 0.5);
      }
    }
    return SMALLEST_MS * Math.pow(GROWTH, BUCKETS - 1);
  }
}
