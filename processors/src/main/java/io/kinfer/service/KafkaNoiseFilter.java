package io.kinfer.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;

/**
 * Drops the Kafka client warnings that normal operation produces (so a WARN line means
 * something): transactional retries while a rebalance moves partitions
 * ({@code CONCURRENT_TRANSACTIONS}), a topic that another instance created first ("already
 * exists"), and the first activation of the embedded broker's controller. Anything else at WARN
 * or above, and these at ERROR, still shows. One ERROR goes too: the admin client's "unknown
 * topic" while Kafka Streams reads the end offsets of a changelog topic it has just created
 * (the new topic's metadata is not everywhere yet; the lookup is retried and succeeds).
 * Installed by logback.xml.
 */
public final class KafkaNoiseFilter extends TurboFilter {

  private static final List<String> EXPECTED = List.of("CONCURRENT_TRANSACTIONS",
      "already exists", "Performing controller activation");

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format,
      Object[] params, Throwable t) {
    String name = logger.getName();
    if (level == Level.ERROR && format != null && name.endsWith(".PartitionLeaderStrategy")
        && format.startsWith("Received unknown topic error for topic")
        && matchesParams(params, "-changelog")) {
      return FilterReply.DENY;
    }
    if (level != Level.WARN || format == null
        || !(name.startsWith("org.apache.kafka") || name.startsWith("kafka."))) {
      return FilterReply.NEUTRAL;
    }
    for (String expected : EXPECTED) {
      if (format.contains(expected) || matchesParams(params, expected)) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }

  private static boolean matchesParams(Object[] params, String expected) {
    if (params == null) {
      return false;
    }
    for (Object p : params) {
      if (p != null && String.valueOf(p).contains(expected)) {
        return true;
      }
    }
    return false;
  }
}
