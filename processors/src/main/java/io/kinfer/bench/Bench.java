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
 * ceiling), and the whole pipeline (embedded broker, exactly-once) with {@code max-batch=1}
 * and with {@code max-batch}. Prints events/s, latency p50/p99 and the ratios side by side.
 *
 * <p>Each pair that a ratio compares (the model alone at a batch size, and the pipeline with
 * that max-batch) is measured in turns, {@code repeats} times, and each figure is the median of
 * its repeats: on a shared machine a neighbour's burst then hits both sides of a ratio alike,
 * or is voted out, instead of landing on one figure only.
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
  private final int repeats;
  private final PrintStream out;

  public Bench(Path modelsDir, int events, int batch, int repeats, PrintStream out) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }
    this.modelsDir = modelsDir;
    this.events = events;
    this.batch = batch;
    this.repeats = repeats;
    this.out = out;
  }

  public List<Result> run(List<String> modalities) throws Exception {
    List<Result> results = new ArrayList<>();
    for (String modality : modalities) {
      out.printf("%n%s: %,d events, max-batch %d, each pair measured in turns %d times%n",
          modality, events, batch, repeats);
      List<byte[]> encoded = BenchEvents.encoded(modelsDir, modality, events);
      try (ModelAlone model = new ModelAlone(modality, encoded)) {
        Figure[] at1 = sideBySide(model, modality, encoded, 1);
        Figure[] atN = sideBySide(model, modality, encoded, batch);
        results.add(new Result(modality, at1[0], atN[0], at1[1], atN[1]));
      }
    }
    print(results);
    return results;
  }

  /**
   * The model alone at batch {@code size} and the pipeline with {@code max-batch=size}, each
   * warmed up, then measured in turns {@link #repeats} times.
   *
   * @return the median figure of the model alone, then of the pipeline
   */
  private Figure[] sideBySide(ModelAlone model, String modality, List<byte[]> encoded, int size)
      throws Exception {
    warmUp("model only, batch " + size, i -> model.run(model.warmUpRound(), size));
    try (Pipeline pipeline = new Pipeline(modality, size)) {
      List<byte[]> round = encoded.subList(0, warmUpSize(encoded.size()));
      warmUp("pipeline, max-batch " + size, i -> pipeline.run(round, "warm-up-" + i + "-"));
      List<Figure> alone = new ArrayList<>();
      List<Figure> piped = new ArrayList<>();
      for (int r = 1; r <= repeats; r++) {
        alone.add(model.run(model.inputs(), size));
        piped.add(pipeline.run(encoded, "bench-" + r + "-"));
        Figure a = alone.get(r - 1);
        Figure p = piped.get(r - 1);
        out.printf(Locale.ROOT, "  batch %d, turn %d: model alone %.0f events/s (%.2f cores,"
            + " JIT %.0f%%), pipeline %.0f events/s (%.2f cores, JIT %.0f%%): %.2f%n", size, r,
            a.eventsPerSecond(), a.cores(), 100 * a.compiling(), p.eventsPerSecond(), p.cores(),
            100 * p.compiling(), p.eventsPerSecond() / a.eventsPerSecond());
      }
      return new Figure[] {median(alone), median(piped)};
    }
  }

  /** The figure with the median events/s (of an even count, the lower of the middle two). */
  static Figure median(List<Figure> figures) {
    List<Figure> sorted = new ArrayList<>(figures);
    sorted.sort(java.util.Comparator.comparingDouble(Figure::eventsPerSecond));
    return sorted.get((sorted.size() - 1) / 2);
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
        + " events (at most 2,000) until the JIT compilers settle (at most 60 s), and is the"
        + " median of " + repeats + " measurements taken in turns with its counterpart.\ncores: the"
        + " process's CPU time during the measurement ÷ its wall time; JIT: the JIT compilers'"
        + " time ÷ wall time. Same machine, same run: compare ratios, not absolute figures"
        + " across runs.");
  }

  /** The model alone through DJL on decoded inputs, in a context of its own. */
  private final class ModelAlone implements AutoCloseable {

    private final ApplicationContext context;
    private final Predictor<Object, Scores> predictor;
    private final List<Object> inputs = new ArrayList<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    ModelAlone(String modality, List<byte[]> encoded) {
      context = ApplicationContext.builder().deduceEnvironment(false)
          .properties(Map.of("kinfer.models-dir", modelsDir.toString())).start();
      try {
        Modality m = context.getBean(Modalities.class).get(modality);
        PipelineSettings settings = context.getBeansOfType(PipelineSettings.class).stream()
            .filter(p -> p.getName().equals(modality)).findFirst().orElseThrow();
        ServedModel model = context.getBean(ModelRegistry.class).load(settings.getModel(),
            settings.getModelVersion(), "cpu", m);
        for (byte[] bytes : encoded) {
          inputs.add(m.decode((SpecificRecord) m.serde().decode(bytes)));
        }
        predictor = model.newPredictor();
      } catch (RuntimeException e) {
        context.close();
        throw e;
      }
    }

    List<Object> inputs() {
      return inputs;
    }

    List<Object> warmUpRound() {
      return inputs.subList(0, warmUpSize(inputs.size()));
    }

    Figure run(List<Object> round, int size) {
      return modelRun(predictor, round, size);
    }

    @Override
    public void close() {
      predictor.close();
      context.close();
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
  private final class Pipeline implements AutoCloseable {

    private final String modality;
    private final int maxBatch;
    private final ApplicationContext context;
    private final Kinfer kinfer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;

    Pipeline(String modality, int maxBatch) throws Exception {
      this.modality = modality;
      this.maxBatch = maxBatch;
      Map<String, Object> props = new HashMap<>();
      props.put("kinfer.models-dir", modelsDir.toString());
      props.put("kinfer.embedded.port", 0);
      props.put("kinfer.application-id-prefix", "kinfer-bench-" + UUID.randomUUID());
      for (String m : List.of("image", "audio", "text")) {
        props.put("kinfer.pipelines." + m + ".enabled", m.equals(modality));
      }
      props.put("kinfer.pipelines." + modality + ".max-batch", maxBatch);
      context = ApplicationContext.builder().deduceEnvironment(false).properties(props).start();
      Kinfer started = null;
      try {
        started = Kinfer.start(context);
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

    Figure run(List<byte[]> events, String idPrefix) {
      return roundTrip(producer, consumer, modality, events, idPrefix)
          .figure("pipeline (exactly-once)", maxBatch);
    }

    @Override
    public void close() throws Exception {
      producer.close();
      consumer.close();
      kinfer.close();
      context.close();
    }
  }

  /**
   * Runs {@code round} (given its number; a quarter of the events, at most 2,000) until the JIT
   * compilers have settled, before a figure is measured: for a while the JIT compiles DJL's,
   * the broker's, the clients' and Kafka Streams' paths on the same cores the measurement runs
   * on (on 2 cores, a third of the time after 8,000 pipeline events), and the first pipeline
   * batches also pay for the first fetch and transaction. Warmed up when compiling took under
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
