package io.kinfer.service;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a start's time went, in milliseconds since the JVM started: the application context
 * (JVM, classes, configuration), the embedded broker and then its topics with, alongside both,
 * the models (TensorFlow's natives, the SavedModels, their warm-up), the streams (and the topics
 * when the broker is not embedded), and the first assignment until every pipeline runs. Zero
 * for a phase that did not happen (no embedded broker).
 */
public record StartupTimeline(long contextMs, long brokerMs, long topicsMs, long modelsMs,
    long streamsMs, long runningMs) {

  /** Milliseconds since the JVM started. */
  static long now() {
    return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
  }

  /** One line for the log: the total, then each phase's share. */
  public String describe() {
    long afterContext = Math.max(Math.max(brokerMs, topicsMs), modelsMs);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "Every pipeline RUNNING %.1f s after the JVM started: JVM and configuration %.1f s",
        runningMs / 1e3, contextMs / 1e3));
    if (brokerMs > 0) {
      s.append(String.format(Locale.ROOT, ", embedded broker %.1f s and its topics %.1f s with"
          + " the models loading alongside (%.1f s), streams %.1f s",
          (brokerMs - contextMs) / 1e3, (topicsMs - brokerMs) / 1e3,
          (modelsMs - contextMs) / 1e3, (streamsMs - afterContext) / 1e3));
    } else {
      s.append(String.format(Locale.ROOT, ", models %.1f s, topics and streams %.1f s",
          (modelsMs - contextMs) / 1e3, (streamsMs - afterContext) / 1e3));
    }
    s.append(String.format(Locale.ROOT, ", first assignment %.1f s",
        (runningMs - streamsMs) / 1e3));
    return s.toString();
  }
}
