package io.kinfer.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bench charges each thread to the right group, by the names the running stack gives. */
class ThreadCpuTest {

  @Test
  void threadsAreGroupedByTheNamesKafkaStreamsTheBrokerAndKinferGiveThem() {
    Map<String, String> names = Map.of(
        "kinfer-bench-1-image-2-StreamThread-1", ThreadCpu.STREAM,
        "kafka-producer-network-thread | kinfer-bench-1-image-2-StreamThread-1-producer",
        ThreadCpu.STREAMS_IO,
        "kinfer-image-predict-1", ThreadCpu.SCORER,
        "data-plane-kafka-request-handler-3", ThreadCpu.BROKER,
        "TxnMarkerSenderThread-1", ThreadCpu.BROKER,
        "kafka-producer-network-thread | producer-1", ThreadCpu.BENCH,
        "main", ThreadCpu.BENCH);
    names.forEach((name, group) -> assertEquals(group, ThreadCpu.group(name), name));
  }

  @Test
  void aThreadsOwnWorkIsCounted() {
    ThreadCpu cpu = ThreadCpu.start();
    long sum = 0;
    for (int i = 0; i < 20_000_000; i++) {
      sum += i % 7;
    }
    assertTrue(sum > 0);
    assertTrue(cpu.stop().get(ThreadCpu.BENCH) > 0, "main's CPU is the bench's");
  }
}
