package io.kinfer.service;

import io.kinfer.config.KinferSettings;
import io.kinfer.pipeline.PipelineRunner;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code /health/readiness}: UP when every enabled pipeline serves (see {@link PipelineHealth}),
 * DOWN with a reason per pipeline otherwise, or while none has started.
 */
@Singleton
@Readiness
public class PipelinesReadiness implements HealthIndicator {

  private final PipelineRunner runner;
  private final KinferSettings settings;

  public PipelinesReadiness(PipelineRunner runner, KinferSettings settings) {
    this.runner = runner;
    this.settings = settings;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    Map<String, PipelineHealth.Verdict> verdicts = PipelineHealth.of(runner, settings);
    Map<String, Object> details = PipelineHealth.details(verdicts);
    boolean up = !verdicts.isEmpty() && verdicts.values().stream().allMatch(v -> v.up());
    if (verdicts.isEmpty()) {
      details.put("reason", "no pipeline has started");
    }
    return Publishers.just(HealthResult.builder("pipelines", up ? HealthStatus.UP
        : HealthStatus.DOWN).details(details).build());
  }
}
