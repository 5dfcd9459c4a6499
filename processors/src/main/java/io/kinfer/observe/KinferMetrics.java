package io.kinfer.observe;

import io.kinfer.schema.ModelInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kinfer's meters in the application's Micrometer registry (the one {@code /prometheus}
 * serves; an empty composite registry, which keeps nothing, when metrics are switched off).
 */
@Singleton
public class KinferMetrics {

  private final MeterRegistry registry;

  /** @param registry the application's registry; null when metrics are off: nothing is kept */
  public KinferMetrics(@Nullable MeterRegistry registry) {
    this.registry = registry != null ? registry : new CompositeMeterRegistry();
  }

  /** The meters of one pipeline and the model it serves. */
  public PipelineMetrics pipeline(String pipeline, ModelInfo model) {
    return new PipelineMetrics(registry, pipeline, model);
  }

  /**
   * Kafka Streams' own metrics (and its clients') for one pipeline, through Micrometer's
   * binder; close it when the streams close.
   */
  public AutoCloseable bind(KafkaStreams streams, String pipeline, BooleanSupplier serving) {
    Tags tags = Tags.of("pipeline", pipeline);
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, tags);
    metrics.bindTo(registry);
    Gauge up = Gauge.builder("kinfer.pipeline.up", serving, s -> s.getAsBoolean() ? 1 : 0)
        .tags(tags).description("1 while the pipeline serves (what readiness says), else 0")
        .register(registry);
    Gauge lag = Gauge.builder("kinfer.consumer.lag", streams, KinferMetrics::lag)
        .baseUnit("records").tags(tags)
        .description("Records in the input topic not read yet, summed over partitions")
        .register(registry);
    return () -> {
      metrics.close();
      registry.remove(up);
      registry.remove(lag);
    };
  }

  /** The main consumers' records-lag, summed over the partitions they read. */
  static double lag(KafkaStreams streams) {
    double sum = 0;
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName name = e.getKey();
      if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
          && name.tags().containsKey("partition")
          && !name.tags().getOrDefault("client-id", "").contains("restore")) {
        Object value = e.getValue().metricValue();
        if (value instanceof Number n && !Double.isNaN(n.doubleValue())) {
          sum += n.doubleValue();
        }
      }
    }
    return sum;
  }
}
