package io.kinfer.batching;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * How long the calling stream thread's commits take: Kafka Streams' own {@code
 * commit-latency-avg} of the thread (a commit runs on the stream thread, which reads and
 * forwards nothing meanwhile). 0 until Kafka Streams has measured one.
 */
final class CommitTime {

  private static final long LOOK_AGAIN_NANOS = 1_000_000_000L;

  private final StreamsMetrics metrics;
  private Metric average;
  private String thread;
  private long lookedAtNanos;

  CommitTime(StreamsMetrics metrics) {
    this.metrics = metrics;
  }

  double millis() {
    String current = Thread.currentThread().getName();
    if (!current.equals(thread)) {
      thread = current;
      average = null;
      lookedAtNanos = System.nanoTime() - 2 * LOOK_AGAIN_NANOS;
    }
    if (average == null && System.nanoTime() - lookedAtNanos > LOOK_AGAIN_NANOS) {
      lookedAtNanos = System.nanoTime();
      average = find(current);
    }
    Object value = average == null ? null : average.metricValue();
    return value instanceof Double ms && ms > 0 && !ms.isInfinite() ? ms : 0;
  }

  private Metric find(String threadName) {
    for (Map.Entry<MetricName, ? extends Metric> e : metrics.metrics().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("commit-latency-avg") && name.group().equals("stream-thread-metrics")
          && threadName.equals(name.tags().get("thread-id"))) {
        return e.getValue();
      }
    }
    return null;
  }
}
