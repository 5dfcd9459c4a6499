package io.kinfer.service;

import io.kinfer.config.KinferSettings;
import io.kinfer.pipeline.PipelineRunner;
import io.kinfer.pipeline.PipelineRunner.PipelineStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether each pipeline serves: RUNNING with its model loaded, or rebalancing for less than the
 * grace period. Anything else is DOWN with a reason a person can act on.
 */
final class PipelineHealth {

  private PipelineHealth() {}

  /** A pipeline's verdict: up or not, and what to show. */
  record Verdict(boolean up, boolean stopped, Map<String, Object> details) {}

  static Map<String, Verdict> of(List<PipelineStatus> statuses, Duration rebalanceGrace,
      Instant now) {
    Map<String, Verdict> all = new LinkedHashMap<>();
    for (PipelineStatus status : statuses) {
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("state", status.state().name());
      details.put("since", status.since().toString());
      if (status.model() != null) {
        details.put("model", status.model().getName() + "/" + status.model().getVersion());
        details.put("device", status.model().getDevice());
      }
      String reason = reason(status, rebalanceGrace, now);
      boolean stopped = switch (status.state()) {
        case ERROR, PENDING_ERROR, PENDING_SHUTDOWN, NOT_RUNNING -> true;
        default -> false;
      };
      if (reason != null) {
        details.put("reason", reason);
      }
      all.put(status.name(), new Verdict(reason == null, stopped, details));
    }
    return all;
  }

  private static String reason(PipelineStatus status, Duration grace, Instant now) {
    return switch (status.state()) {
      case RUNNING -> null;
      case REBALANCING -> Duration.between(status.since(), now).compareTo(grace) < 0 ? null
          : "rebalancing for " + Duration.between(status.since(), now).toSeconds() + " s, longer"
              + " than kinfer.management.rebalance-grace (" + grace.toSeconds() + " s)";
      case CREATED -> "starting";
      case ERROR, PENDING_ERROR -> "stopped by an error: " + (status.failure() != null
          ? status.failure() : "see the log") + "; restart the service";
      case PENDING_SHUTDOWN, NOT_RUNNING -> "stopped";
    };
  }

  /** Each pipeline's details, keyed by name, as both endpoints show them. */
  static Map<String, Object> details(Map<String, Verdict> verdicts) {
    Map<String, Object> details = new LinkedHashMap<>();
    verdicts.forEach((name, verdict) -> details.put(name, verdict.details()));
    return details;
  }

  /** Reads the pipelines and the configured grace, for the two indicators. */
  static Map<String, Verdict> of(PipelineRunner runner, KinferSettings settings) {
    return of(runner.statuses(), settings.getManagement().getRebalanceGrace(), Instant.now());
  }
}
