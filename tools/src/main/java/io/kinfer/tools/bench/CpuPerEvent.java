package io.kinfer.tools.bench;

import io.kinfer.tools.bench.Bench.Pair;
import java.util.Map;

/**
 * CPU microseconds per event at one batch size: the model alone's (the whole process, TensorFlow's
 * native threads included) against the pipeline's by thread group, from each Java thread's own
 * CPU clock in the pipeline's median turn. The Kafka layer is the stream threads and their
 * producer's I/O thread; the broker and the bench's clients share the process but are not the
 * pipeline's.
 */
public record CpuPerEvent(double modelAlone, double stream, double streamsIo, double scorer,
    double broker, double bench) {

  static CpuPerEvent of(Pair pair, int events) {
    Map<String, Long> cpu = pair.threadCpu();
    double modelAlone = 1e6 * pair.model().cores() / pair.model().eventsPerSecond();
    return new CpuPerEvent(modelAlone, micros(cpu, ThreadCpu.STREAM, events),
        micros(cpu, ThreadCpu.STREAMS_IO, events), micros(cpu, ThreadCpu.SCORER, events),
        micros(cpu, ThreadCpu.BROKER, events), micros(cpu, ThreadCpu.BENCH, events));
  }

  public double kafkaLayer() {
    return stream + streamsIo;
  }

  /** The Kafka layer's CPU per event as a share of the model's. */
  public double kafkaLayerShare() {
    return kafkaLayer() / modelAlone;
  }

  private static double micros(Map<String, Long> cpu, String group, int events) {
    return cpu.getOrDefault(group, 0L) / 1e3 / events;
  }
}
