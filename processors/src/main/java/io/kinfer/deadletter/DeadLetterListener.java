package io.kinfer.deadletter;

import java.util.List;
import java.util.Map;

/**
 * Told of each dead letter the Kafka Streams hooks write, for metrics and the live page. The
 * pipeline passes its listener to the hooks in the streams config under {@link #CONFIG}.
 */
@FunctionalInterface
public interface DeadLetterListener {

  String CONFIG = "kinfer.dead-letter.listener";

  /**
   * @param stage {@code deserialize} or {@code decode}
   * @param reason what was wrong, as in the dead letter's reason header
   * @param origin where the record came from: topic-partition@offset
   */
  void deadLettered(String stage, String reason, String origin);

  /** The listener in a streams config, or one that ignores everything. */
  static DeadLetterListener from(Map<String, ?> configs) {
    return configs.get(CONFIG) instanceof DeadLetterListener listener ? listener
        : (stage, reason, origin) -> { };
  }

  /** Tells each of {@code listeners}, in order. */
  static DeadLetterListener all(List<DeadLetterListener> listeners) {
    List<DeadLetterListener> all = List.copyOf(listeners);
    return (stage, reason, origin) -> all.forEach(l -> l.deadLettered(stage, reason, origin));
  }
}
