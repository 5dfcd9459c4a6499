package io.kinfer.service;

import io.kinfer.config.KafkaClientSettings;
import io.kinfer.pipeline.PipelineRunner;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Publisher;

/**
 * {@code /health/readiness}'s {@code broker} part: DOWN when Kafka does not answer. Checked
 * once at the first probe, then every 5 s on a thread of its own, so later probes never wait
 * on the network.
 */
@Singleton
@Readiness
public class BrokerReadiness implements HealthIndicator {

  static final Duration EVERY = Duration.ofSeconds(5);

  private final PipelineRunner runner;
  private final KafkaClientSettings kafka;
  private ScheduledExecutorService checker;
  private BrokerProbe probe;
  private volatile Optional<String> problem = Optional.of("not checked yet");

  public BrokerReadiness(PipelineRunner runner, KafkaClientSettings kafka) {
    this.runner = runner;
    this.kafka = kafka;
  }

  @Override
  public Publisher<HealthResult> getResult() {
    startChecking();
    Optional<String> now = problem;
    return Publishers.just(HealthResult.builder("broker", now.isEmpty() ? HealthStatus.UP
        : HealthStatus.DOWN).details(Map.of("bootstrap",
            String.valueOf(runner.bootstrapServers()), "reason", now.orElse("none"))).build());
  }

  private synchronized void startChecking() {
    String bootstrap = runner.bootstrapServers();
    if (checker != null || bootstrap == null) {
      return;
    }
    probe = new BrokerProbe(kafka.clientProperties(bootstrap), Duration.ofSeconds(3));
    checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kinfer-broker-check");
      t.setDaemon(true);
      return t;
    });
    problem = probe.problem(); // the first answer is waited for (at most 3 s), once
    checker.scheduleWithFixedDelay(() -> problem = probe.problem(), EVERY.toMillis(),
        EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @PreDestroy
  synchronized void stop() {
    if (checker != null) {
      checker.shutdownNow();
      probe.close();
    }
  }
}
