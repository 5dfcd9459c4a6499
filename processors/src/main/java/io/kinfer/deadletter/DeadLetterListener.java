package io.kinfer.deadletter;

import java.util.Map;

/**
 * Told of each dead letter the Kafka Streams hooks write, for metrics. The pipeline passes its
 * listener to the hooks in the streams config under {@link #CONFIG}.
 */
@FunctionalInterface
public interface DeadLetterListener {

  String CONFIG = "kinfer.dead-letter.listener";

  /** @param stage {@code deserialize} or {@code decode} */
  void deadLettered(String stage);

  /** The listener in a streams config, or one that ignores everything. */
  static DeadLetterListener from(Map<String, ?> configs) {
    return configs.get(CONFIG) instanceof DeadLetterListener listener ? listener : stage -> { };
  }
}
