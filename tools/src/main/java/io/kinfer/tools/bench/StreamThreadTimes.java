package io.kinfer.tools.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** Kafka Streams' own stream-thread timings (JMX, same process), to see where latency goes. */
final class StreamThreadTimes {

  private StreamThreadTimes() {}

  static void print(PrintStream out) {
    try {
      MBeanServer server = ManagementFactory.getPlatformMBeanServer();
      for (ObjectName name : server.queryNames(
          new ObjectName("kafka.streams:type=stream-thread-metrics,*"), null)) {
        StringBuilder line = new StringBuilder("    Kafka Streams' stream thread, its"
            + " recent samples (ms; commits per second):");
        try {
          for (String metric : new String[] {"commit-latency-avg", "commit-latency-max",
              "poll-latency-max", "process-latency-max", "punctuate-latency-max",
              "commit-rate"}) {
            Object value = server.getAttribute(name, metric);
            line.append(String.format(Locale.ROOT, " %s %.1f", metric, ((Number) value)
                .doubleValue()));
          }
        } catch (javax.management.AttributeNotFoundException closed) {
          continue; // a thread of a pipeline closed already
        }
        out.println(line);
      }
    } catch (javax.management.JMException e) {
      out.println("    (stream thread timings unavailable: " + e + ")");
    }
  }
}
