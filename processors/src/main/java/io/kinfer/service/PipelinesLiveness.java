package io.kinfer.service;

import io.kinfer.config.KinferSettings;
import io.kinfer.pipeline.PipelineRunner;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Liveness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code /health/liveness}: DOWN once a pipeline has stopped (an error, or a model outage that
 * outlasted its retries), which only a restart mends: the restart scores its buffered records.
 */
@Singleton
@Liveness
public class PipelinesLiveness implements HealthIndicator {

  private final PipelineRunner runner;
  private final KinferSettings settings;

  public PipelinesLiveness(PipelineRunner runner, KinferSettings settings) {
    this.runner = runner;
    this.settings = settings;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Map<String, PipelineHealth.Verdict> verdicts = PipelineHealth.of(runner, settings);
    Map<String, Object> details = PipelineHealth.details(verdicts);
    boolean alive = verdicts.values().stream().noneMatch(PipelineHealth.Verdict::stopped);
    return Publishers.just(HealthResult.builder("pipelines", alive ? HealthStatus.UP
        : HealthStatus.DOWN).details(details).build());
  }
}
