package io.kinfer.tools.bench;

import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.service.KinferService;
import io.kinfer.tools.bench.Bench.Figure;
import io.micronaut.context.ApplicationContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The whole service on an embedded broker, exactly-once, with only one modality enabled:
 * produces a round of events and reads every committed result back. Or ({@link #external}) a
 * service running in a process of its own, reached through its broker.
 */
final class BenchPipeline implements AutoCloseable {

  private final String modality;
  private final int maxBatch;
  private final ApplicationContext context;
  private final KinferService kinfer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  /** Keys start with it: results of an earlier bench on the same topics are not counted. */
  private final String runId = UUID.randomUUID().toString().substring(0, 8) + "-";

  private BenchPipeline(String bootstrap, String modality, int maxBatch) {
    this.modality = modality;
    this.maxBatch = maxBatch;
    this.context = null;
    this.kinfer = null;
    this.consumer = consumer(bootstrap, modality + ".enriched");
    this.producer = producer(bootstrap);
  }

  /**
   * A service already running in a process of its own (e.g. {@code ./kinfer run}), with its
   * own settings, reached through the broker at {@code bootstrap}: events to {@code
   * <modality>.events}, results from {@code <modality>.enriched}.
   */
  static BenchPipeline external(String bootstrap, String modality, int maxBatch) {
    return new BenchPipeline(bootstrap, modality, maxBatch);
  }

  BenchPipeline(Path modelsDir, String modality, int maxBatch, boolean metrics)
      throws Exception {
    this(modelsDir, modality, maxBatch, metrics, Map.of());
  }

  /** @param pipeline more {@code kinfer.pipelines.<modality>.*} settings, by their key */
  BenchPipeline(Path modelsDir, String modality, int maxBatch, boolean metrics,
      Map<String, Object> pipeline) throws Exception {
    this.modality = modality;
    this.maxBatch = maxBatch;
    Map<String, Object> props = new HashMap<>();
    props.put("kinfer.models-dir", modelsDir.toString());
    props.put("kinfer.embedded.port", 0);
    props.put("micronaut.server.port", -1);
    props.put("micronaut.metrics.enabled", metrics);
    props.put("kinfer.application-id-prefix", "kinfer-bench-" + UUID.randomUUID());
    for (String m : List.of("image", "audio", "text")) {
      props.put("kinfer.pipelines." + m + ".enabled", m.equals(modality));
    }
    props.put("kinfer.pipelines." + modality + ".max-batch", maxBatch);
    pipeline.forEach((key, value) -> props.put("kinfer.pipelines." + modality + "." + key,
        value));
    context = ApplicationContext.builder().deduceEnvironment(false).properties(props).start();
    KinferService started = null;
    try {
      started = KinferService.start(context);
      started.awaitRunning(Duration.ofMinutes(2));
      consumer = consumer(started.bootstrapServers(), modality + ".enriched");
      producer = producer(started.bootstrapServers());
    } catch (Exception | Error e) {
      if (started != null) {
        started.close();
      }
      context.close();
      throw e;
    }
    kinfer = started;
  }

  /** The service's management port (live page, health, metrics). */
  String managementUrl() {
    if (kinfer == null) {
      throw new IllegalStateException("a service in another process: its page is its own");
    }
    return kinfer.managementUrl().orElseThrow().toString();
  }

  Figure run(List<byte[]> events, String idPrefix) {
    ThreadCpu cpu = ThreadCpu.start();
    RoundTrip trip = roundTrip(producer, consumer, modality, events, runId + idPrefix);
    lastCpu = cpu.stop();
    return trip.figure("pipeline (exactly-once)", maxBatch);
  }

  private Map<String, Long> lastCpu = Map.of();

  /** CPU nanoseconds by thread group during the last {@link #run}. */
  Map<String, Long> lastThreadCpu() {
    return lastCpu;
  }

  /**
   * Sends the events open loop, at {@code rate} per second on a schedule of their own whatever
   * the pipeline does, and reads every committed result back.
   *
   * @return end-to-end latencies in ms, from each event's scheduled send time (so a sender
   *     held up is no excuse) to its result read committed, and where they went
   */
  OpenLoop openLoop(List<byte[]> events, double rate, String idPrefix) throws Exception {
    Map<String, Long> due = new java.util.concurrent.ConcurrentHashMap<>();
    long start = System.nanoTime() + 50_000_000L;
    // Wall-clock ms at nanoTime 0 of this run: results carry the wall time they were forwarded.
    double wallAtNanoZero = System.currentTimeMillis() - System.nanoTime() / 1e6;
    long interval = (long) (1e9 / rate);
    Thread sender = new Thread(() -> {
      for (int i = 0; i < events.size(); i++) {
        long at = start + i * interval;
        long wait = at - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        String id = runId + idPrefix + i;
        due.put(id, at);
        producer.send(new ProducerRecord<>(modality + ".events",
            id.getBytes(StandardCharsets.UTF_8), events.get(i)));
      }
      producer.flush();
    }, "bench-open-loop");
    sender.start();
    List<Double> latencies = new ArrayList<>(events.size());
    List<Double> readAt = new ArrayList<>(events.size());
    List<byte[]> results = new ArrayList<>(events.size());
    List<Long> polled = new ArrayList<>();
    long deadline = start + (long) (events.size() / rate * 1e9) + Duration.ofMinutes(2).toNanos();
    while (latencies.size() < events.size() && System.nanoTime() < deadline) {
      var records = consumer.poll(Duration.ofMillis(20));
      long now = System.nanoTime();
      if (!records.isEmpty()) {
        polled.add(now);
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        Long at = due.remove(new String(r.key(), StandardCharsets.UTF_8));
        if (at != null) {
          latencies.add((now - at) / 1e6);
          readAt.add(wallAtNanoZero + now / 1e6);
          results.add(r.value());
        }
      }
    }
    sender.join();
    if (latencies.size() < events.size()) {
      throw new IllegalStateException(modality + " pipeline returned " + latencies.size()
          + " of " + events.size() + " results at " + Math.round(rate) + " events/s");
    }
    double[] waits = new double[results.size()];
    double[] beforeForward = new double[results.size()];
    double[] afterForward = new double[results.size()];
    double calls = 0;
    for (int i = 0; i < results.size(); i++) {
      var result = RESULTS.decode(results.get(i));
      var timings = result.getTimings();
      waits[i] = timings.getQueueWaitMs();
      afterForward[i] = readAt.get(i) - result.getProcessedAt().toEpochMilli();
      beforeForward[i] = latencies.get(i) - timings.getQueueWaitMs() - timings.getInferenceMs()
          - afterForward[i];
      calls += 1.0 / timings.getBatchSize();
    }
    return new OpenLoop(latencies.stream().mapToDouble(Double::doubleValue).toArray(), waits,
        beforeForward, afterForward, events.size() / calls, visibleEvery(polled));
  }

  /**
   * An open-loop round: each result's end-to-end latency, its wait in the buffer for its call
   * (arrival to the start of the call), the rest before its result was forwarded (to the
   * processor before the buffer: send, broker, the stream thread's poll; and from its scores to
   * its task forwarding them), and from the forward to being read committed (the commit, the
   * consumer's fetch), all in ms; the mean size of the model calls; and the gaps between
   * commits as the consumer saw them.
   */
  record OpenLoop(double[] latencies, double[] bufferWaits, double[] beforeForward,
      double[] afterForward, double meanCall, double[] visibleEvery) {}

  /**
   * The gaps in ms between the moments results became visible, from the first poll of one
   * commit's results to the first of the next: polls within {@link #SAME_COMMIT_MS} of the one
   * before read the same commit's results. Under exactly-once, the pipeline's commits as a
   * read-committed consumer sees them.
   */
  static double[] visibleEvery(List<Long> polledNanos) {
    List<Double> gaps = new ArrayList<>();
    long last = Long.MIN_VALUE;
    long commitSeen = Long.MIN_VALUE;
    for (long at : polledNanos) {
      if (last == Long.MIN_VALUE || at - last > SAME_COMMIT_MS * 1_000_000L) {
        if (commitSeen != Long.MIN_VALUE) {
          gaps.add((at - commitSeen) / 1e6);
        }
        commitSeen = at;
      }
      last = at;
    }
    return gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /** Polls this close together read the results of one commit. */
  static final long SAME_COMMIT_MS = 25;

  @Override
  public void close() throws Exception {
    producer.close();
    consumer.close();
    if (kinfer != null) {
      kinfer.close();
      context.close();
    }
  }

  private static final AvroSerde<EnrichedEvent> RESULTS = AvroSerde.of(EnrichedEvent.class);

  private record RoundTrip(int events, long nanos, long[] doneAt, double[] latenciesMs,
      Measurement.Usage usage, double meanBatch, int duplicates, Measurement.ModelCalls calls) {
    Figure figure(String what, int batch) {
      return Measurement.figure(what, batch, events, nanos, doneAt, latenciesMs, usage,
          meanBatch, duplicates, calls);
    }
  }

  /**
   * Produces the events keyed {@code idPrefix + index} and reads until every result is back;
   * the time runs from the first send to the last result.
   */
  private static RoundTrip roundTrip(KafkaProducer<byte[], byte[]> producer,
      KafkaConsumer<byte[], byte[]> consumer, String modality, List<byte[]> encoded,
      String idPrefix) {
    Map<String, Long> sentAt = new HashMap<>();
    List<Double> latencies = new ArrayList<>();
    Measurement.CpuClock clock = Measurement.CpuClock.start();
    long start = System.nanoTime();
    for (int i = 0; i < encoded.size(); i++) {
      String id = idPrefix + i;
      sentAt.put(id, System.nanoTime());
      producer.send(new ProducerRecord<>(modality + ".events",
          id.getBytes(StandardCharsets.UTF_8), encoded.get(i)));
    }
    producer.flush();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    long last = start;
    List<Long> arrivals = new ArrayList<>();
    List<byte[]> results = new ArrayList<>(encoded.size());
    int duplicates = 0;
    while (latencies.size() < encoded.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        long now = System.nanoTime();
        String id = new String(r.key(), StandardCharsets.UTF_8);
        Long sent = sentAt.remove(id);
        if (sent != null) {
          latencies.add((now - sent) / 1e6);
          results.add(r.value());
          arrivals.add(now);
          last = now;
        } else if (id.startsWith(idPrefix)) {
          duplicates++;
        }
      }
    }
    if (latencies.size() < encoded.size()) {
      throw new IllegalStateException(modality + " pipeline returned " + latencies.size()
          + " of " + encoded.size() + " results (" + idPrefix + "*) within 5 minutes");
    }
    Measurement.Usage usage = clock.stop();
    // Decoded after the clock stopped, so the bench's own work is not charged to the pipeline.
    // Each result carries its batch's size and model time: a batch of n contributes n shares
    // of 1/n call each. The mean batch is events ÷ calls (the mean size of the model calls).
    double calls = 0;
    double callsMs = 0;
    for (byte[] result : results) {
      var timings = RESULTS.decode(result).getTimings();
      calls += 1.0 / timings.getBatchSize();
      callsMs += timings.getInferenceMs() / timings.getBatchSize();
    }
    return new RoundTrip(encoded.size(), last - start,
        arrivals.stream().mapToLong(Long::longValue).toArray(), latencies.stream().mapToDouble(Double::doubleValue).toArray(), usage,
        calls == 0 ? 0 : encoded.size() / calls, duplicates,
        new Measurement.ModelCalls(calls, callsMs));
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "kinfer-bench-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
