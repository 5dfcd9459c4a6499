package io.kinfer.observe;

import io.kinfer.schema.ModelInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kinfer's meters in the application's Micrometer registry (the one {@code /prometheus}
 * serves; a private one when metrics are switched off).
 */
@Singleton
public class KinferMetrics {

  private final MeterRegistry registry;

  public KinferMetrics(@Nullable MeterRegistry registry) {
    this.registry = registry != null ? registry : new SimpleMeterRegistry();
  }

  /** The meters of one pipeline and the model it serves. */
  public PipelineMetrics pipeline(String pipeline, ModelInfo model) {
    return new PipelineMetrics(registry, pipeline, model);
  }

  /**
   * Kafka Streams' own metrics (and its clients') for one pipeline, through Micrometer's
   * binder; close it when the streams close.
   */
  public AutoCloseable bind(KafkaStreams streams, String pipeline) {
    KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, Tags.of("pipeline", pipeline));
    metrics.bindTo(registry);
    return metrics;
  }
}
