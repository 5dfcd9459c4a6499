package io.kinfer.bench;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.kinfer.Kinfer;
import io.kinfer.config.PipelineSettings;
import io.kinfer.modality.Modalities;
import io.kinfer.modality.Modality;
import io.kinfer.runtime.ModelRegistry;
import io.kinfer.runtime.Scores;
import io.kinfer.runtime.ServedModel;
import io.micronaut.context.ApplicationContext;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kinfer bench}: per modality, in one process and on the same events (the committed
 * samples, repeated): the model alone through DJL at batch 1 and at {@code max-batch} (the
 * ceiling), then the whole pipeline (embedded broker, exactly-once) with {@code max-batch=1}
 * and with {@code max-batch}. Prints events/s, latency p50/p99 and the ratios side by side.
 */
public final class Bench {

  /**
   * One measured configuration. {@code cores} is the process's CPU time during the measurement
   * divided by its wall time; {@code compiling} the JIT compilers' share of wall time (0.3 = a
   * third of a core was compiling).
   */
  public record Figure(String what, int batch, double eventsPerSecond, double p50Ms,
      double p99Ms, double cores, double compiling) {}

  /** The four figures of one modality and the two ratios the batching design is judged by. */
  public record Result(String modality, Figure model1, Figure modelN, Figure pipeline1,
      Figure pipelineN) {
    /** Batched pipeline throughput as a share of the batched model alone. */
    public double pipelineShareOfModel() {
      return pipelineN.eventsPerSecond() / modelN.eventsPerSecond();
    }

    /** The pipeline's gain from batching as a share of the model's own gain. */
    public double gainShare() {
      double modelGain = modelN.eventsPerSecond() / model1.eventsPerSecond();
      double pipelineGain = pipelineN.eventsPerSecond() / pipeline1.eventsPerSecond();
      return pipelineGain / modelGain;
    }
  }

  private final Path modelsDir;
  private final int events;
  private final int batch;
  private final PrintStream out;

  public Bench(Path modelsDir, int events, int batch, PrintStream out) {
    this.modelsDir = modelsDir;
    this.events = events;
    this.batch = batch;
    this.out = out;
  }

  public List<Result> run(List<String> modalities) throws Exception {
    List<Result> results = new ArrayList<>();
    for (String modality : modalities) {
      out.printf("%n%s: %,d events, max-batch %d%n", modality, events, batch);
      List<byte[]> encoded = BenchEvents.encoded(modelsDir, modality, events);
      Figure[] model = modelOnly(modality, encoded);
      Figure pipeline1 = pipeline(modality, encoded, 1);
      Figure pipelineN = pipeline(modality, encoded, batch);
      Result r = new Result(modality, model[0], model[1], pipeline1, pipelineN);
      results.add(r);
    }
    print(results);
    return results;
  }

  private void print(List<Result> results) {
    out.printf("%n%-6s %-26s %6s %12s %9s %9s %6s %6s%n", "", "measurement", "batch",
        "events/s", "p50 ms", "p99 ms", "cores", "JIT");
    for (Result r : results) {
      for (Figure f : List.of(r.model1(), r.modelN(), r.pipeline1(), r.pipelineN())) {
        out.printf(Locale.ROOT, "%-6s %-26s %6d %12.0f %9.2f %9.2f %6.2f %5.0f%%%n",
            r.modality(), f.what(), f.batch(), f.eventsPerSecond(), f.p50Ms(), f.p99Ms(),
            f.cores(), 100 * f.compiling());
      }
    }
    out.printf("%n%-6s %14s %14s %26s %26s%n", "", "model gain", "pipeline gain",
        "pipeline/model at batch", "pipeline gain/model gain");
    for (Result r : results) {
      out.printf(Locale.ROOT, "%-6s %13.2fx %13.2fx %25.2f %25.2f%n", r.modality(),
          r.modelN().eventsPerSecond() / r.model1().eventsPerSecond(),
          r.pipelineN().eventsPerSecond() / r.pipeline1().eventsPerSecond(),
          r.pipelineShareOfModel(), r.gainShare());
    }
    out.println("\nModel-only: decoded inputs through DJL (predict / batchPredict), one thread."
        + "\nPipeline: produce all events, then read every committed result back; latency is end"
        + " to end under that backlog.\nEach figure follows warm-up rounds of a quarter of the"
        + " events (at most 2,000) until the JIT compilers settle (at most 60 s).\ncores: the"
        + " process's CPU time during the measurement ÷ its wall time; JIT: the JIT compilers'"
        + " time ÷ wall time. Same machine, same run: compare ratios, not absolute figures"
        + " across runs.");
  }

  /** The model alone: decoded inputs, batch 1 then batch N. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Figure[] modelOnly(String modality, List<byte[]> encoded) throws Exception {
    Map<String, Object> props = Map.of("kinfer.models-dir", modelsDir.toString());
    try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
        .properties(props).start()) {
      Modality m = context.getBean(Modalities.class).get(modality);
      PipelineSettings settings = context.getBeansOfType(PipelineSettings.class).stream()
          .filter(p -> p.getName().equals(modality)).findFirst().orElseThrow();
      ServedModel model = context.getBean(ModelRegistry.class).load(settings.getModel(),
          settings.getModelVersion(), "cpu", m);
      List<Object> inputs = new ArrayList<>();
      for (byte[] bytes : encoded) {
        inputs.add(m.decode((SpecificRecord) m.serde().decode(bytes)));
      }
      try (Predictor<Object, Scores> predictor = model.newPredictor()) {
        List<Object> round = inputs.subList(0, warmUpSize(inputs.size()));
        warmUp("model only, batch 1", i -> modelRun(predictor, round, 1));
        Figure single = modelRun(predictor, inputs, 1);
        warmUp("model only, batch " + batch, i -> modelRun(predictor, round, batch));
        Figure many = modelRun(predictor, inputs, batch);
        out.printf(Locale.ROOT, "  model only: %.0f events/s at batch 1, %.0f at batch %d%n",
            single.eventsPerSecond(), many.eventsPerSecond(), batch);
        return new Figure[] {single, many};
      }
    }
  }

  /** Every input through the model, {@code size} at a time (1: predict, else batchPredict). */
  private static Figure modelRun(Predictor<Object, Scores> predictor, List<Object> inputs,
      int size) {
    double[] latencies = new double[inputs.size()];
    CpuClock clock = CpuClock.start();
    long start = System.nanoTime();
    try {
      for (int from = 0; from < inputs.size(); from += size) {
        int to = Math.min(inputs.size(), from + size);
        long t = System.nanoTime();
        if (size == 1) {
          predictor.predict(inputs.get(from));
        } else {
          predictor.batchPredict(inputs.subList(from, to));
        }
        double ms = (System.nanoTime() - t) / 1e6;
        for (int i = from; i < to; i++) {
          latencies[i] = ms;
        }
      }
    } catch (TranslateException e) {
      throw new IllegalStateException("the model failed on a bench event: " + e.getMessage(), e);
    }
    return figure("model only", size, inputs.size(), System.nanoTime() - start, latencies,
        clock.stop());
  }

  /** The whole pipeline on an embedded broker with only this modality enabled. */
  private Figure pipeline(String modality, List<byte[]> encoded, int maxBatch) throws Exception {
    Map<String, Object> props = new HashMap<>();
    props.put("kinfer.models-dir", modelsDir.toString());
    props.put("kinfer.embedded.port", 0);
    props.put("kinfer.application-id-prefix", "kinfer-bench-" + UUID.randomUUID());
    for (String m : List.of("image", "audio", "text")) {
      props.put("kinfer.pipelines." + m + ".enabled", m.equals(modality));
    }
    props.put("kinfer.pipelines." + modality + ".max-batch", maxBatch);
    try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
        .properties(props).start(); Kinfer kinfer = Kinfer.start(context)) {
      kinfer.awaitRunning(Duration.ofMinutes(2));
      String bootstrap = kinfer.bootstrapServers();
      try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, modality + ".enriched");
          KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
        List<byte[]> round = encoded.subList(0, warmUpSize(encoded.size()));
        warmUp("pipeline, max-batch " + maxBatch, i -> roundTrip(producer, consumer, modality,
            round, "warm-up-" + i + "-").figure("warm-up", maxBatch));
        Figure f = roundTrip(producer, consumer, modality, encoded, "bench-").figure(
            "pipeline (exactly-once)", maxBatch);
        out.printf(Locale.ROOT, "  pipeline: %.0f events/s with max-batch %d (%.2f cores busy,"
            + " JIT compiling %.0f%% of the time)%n", f.eventsPerSecond(), maxBatch, f.cores(),
            100 * f.compiling());
        return f;
      }
    }
  }

  /**
   * Runs {@code round} (given its number; a quarter of the events, at most 2,000) until the JIT compilers have
   * settled, before a figure is measured: for a while the JIT compiles DJL's, the broker's, the
   * clients' and Kafka Streams' paths on the same cores the measurement runs on (on 2 cores, a
   * third of the time after 8,000 pipeline events), and the first pipeline batches also pay for
   * the first fetch and transaction. Warmed up when compiling took under
   * {@link #SETTLED_COMPILING} of a round's time, or after {@link #MAX_WARM_UP} (said in the
   * output). Every figure gets the same rule, so none is measured colder than another.
   */
  private void warmUp(String what, IntFunction<Figure> round) {
    long deadline = System.nanoTime() + MAX_WARM_UP.toNanos();
    for (int i = 1; ; i++) {
      Figure f = round.apply(i);
      out.printf(Locale.ROOT, "  warm-up %s, round %d: %.0f events/s, %.2f cores busy, JIT"
          + " compiling %.0f%% of the time%n", what, i, f.eventsPerSecond(), f.cores(),
          100 * f.compiling());
      if (f.compiling() < SETTLED_COMPILING) {
        return;
      }
      if (System.nanoTime() > deadline) {
        out.printf("  (%s: the JIT has not settled after %d s of warm-up; measuring anyway)%n",
            what, MAX_WARM_UP.toSeconds());
        return;
      }
    }
  }

  /** A share of wall time below which the JIT counts as settled. */
  static final double SETTLED_COMPILING = 0.05;
  static final Duration MAX_WARM_UP = Duration.ofSeconds(60);

  /** A quarter of the events, at most 2,000. */
  static int warmUpSize(int events) {
    return Math.max(1, Math.min(2_000, events / 4));
  }

  private record RoundTrip(int events, long nanos, double[] latenciesMs, Usage usage) {
    Figure figure(String what, int batch) {
      return Bench.figure(what, batch, events, nanos, latenciesMs, usage);
    }
  }

  /** Where the CPU went during a measurement, as shares of its wall time. */
  private record Usage(double cores, double compiling) {}

  /** Reads the process's CPU time and the JIT compilers' time at start and at stop. */
  private record CpuClock(long cpuAtStart, long compiledAtStart, long nanos) {
    static CpuClock start() {
      return new CpuClock(cpuNanos(), compiledMs(), System.nanoTime());
    }

    Usage stop() {
      double wall = System.nanoTime() - nanos;
      if (wall <= 0) {
        return new Usage(0, 0);
      }
      return new Usage((cpuNanos() - cpuAtStart) / wall,
          (compiledMs() - compiledAtStart) * 1e6 / wall);
    }

    /** The whole process's CPU time (all threads, native ones included), or 0 if unknown. */
    private static long cpuNanos() {
      return ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os ? os.getProcessCpuTime() : 0;
    }

    private static long compiledMs() {
      CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
      return jit != null && jit.isCompilationTimeMonitoringSupported()
          ? jit.getTotalCompilationTime() : 0;
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
    CpuClock clock = CpuClock.start();
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
    while (latencies.size() < encoded.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        long now = System.nanoTime();
        Long sent = sentAt.remove(new String(r.key(), StandardCharsets.UTF_8));
        if (sent != null) {
          latencies.add((now - sent) / 1e6);
          last = now;
        }
      }
    }
    if (latencies.size() < encoded.size()) {
      throw new IllegalStateException(modality + " pipeline returned " + latencies.size()
          + " of " + encoded.size() + " results (" + idPrefix + "*) within 5 minutes");
    }
    return new RoundTrip(encoded.size(), last - start,
        latencies.stream().mapToDouble(Double::doubleValue).toArray(), clock.stop());
  }

  private static Figure figure(String what, int batch, int n, long nanos, double[] latencies,
      Usage usage) {
    double[] sorted = latencies.clone();
    java.util.Arrays.sort(sorted);
    return new Figure(what, batch, n / (nanos / 1e9), percentile(sorted, 50),
        percentile(sorted, 99), usage.cores(), usage.compiling());
  }

  private static double percentile(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
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
