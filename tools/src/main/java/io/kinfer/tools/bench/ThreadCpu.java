package io.kinfer.tools.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time by thread group during a measurement, from each Java thread's own CPU clock: the
 * pipeline's stream threads, its scoring threads (their Java side: TensorFlow's own native
 * threads are no Java threads), the Kafka Streams producer's I/O thread, the in-JVM broker and
 * the bench's own clients, so that what the service spends is not mixed with what the bench
 * and the broker spend.
 */
final class ThreadCpu {

  static final String STREAM = "stream threads";
  static final String SCORER = "scoring threads (Java side)";
  static final String STREAMS_IO = "Kafka Streams producer I/O";
  static final String BROKER = "in-JVM broker";
  static final String BENCH = "bench producer and consumer";
  static final String OTHER = "other Java threads";

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Map<Long, Long> start;

  private ThreadCpu(Map<Long, Long> start) {
    this.start = start;
  }

  static ThreadCpu start() {
    return new ThreadCpu(now());
  }

  /** CPU nanoseconds by group since {@link #start()}. */
  Map<String, Long> stop() {
    Map<String, Long> groups = new LinkedHashMap<>();
    for (String g : new String[] {STREAM, SCORER, STREAMS_IO, BROKER, BENCH, OTHER}) {
      groups.put(g, 0L);
    }
    Map<Long, Long> end = now();
    long[] ids = end.keySet().stream().mapToLong(Long::longValue).toArray();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] == null) {
        continue;
      }
      long spent = end.get(ids[i]) - start.getOrDefault(ids[i], 0L);
      groups.merge(group(infos[i].getThreadName()), Math.max(0, spent), Long::sum);
    }
    return groups;
  }

  static String group(String name) {
    if (name.startsWith("kafka-producer-network-thread") && name.contains("StreamThread")) {
      return STREAMS_IO;
    }
    if (name.contains("-StreamThread-")) {
      return STREAM;
    }
    if (name.contains("-predict-")) {
      return SCORER;
    }
    if (name.equals("main") || name.startsWith("bench-")
        || name.startsWith("kafka-producer-network-thread | producer-")) {
      return BENCH;
    }
    if (name.startsWith("data-plane-kafka") || name.startsWith("kafka-1-")
        || name.startsWith("TxnMarker") || name.startsWith("group-coordinator")
        || name.startsWith("AddPartitionsToTxn") || name.startsWith("controller-")
        || name.startsWith("broker-") || name.startsWith("share-coordinator")
        || name.startsWith("transaction-") || name.startsWith("ExpirationReaper")
        || name.startsWith("LogDirFailureHandler") || name.startsWith("kafka-scheduler")
        || name.startsWith("raft") || name.startsWith("quorum")) {
      return BROKER;
    }
    return OTHER;
  }

  private static Map<Long, Long> now() {
    Map<Long, Long> cpu = new HashMap<>();
    if (!THREADS.isThreadCpuTimeSupported()) {
      return cpu;
    }
    for (long id : THREADS.getAllThreadIds()) {
      long t = THREADS.getThreadCpuTime(id);
      if (t >= 0) {
        cpu.put(id, t);
      }
    }
    return cpu;
  }
}
