package io.kinfer.tools.memory;

import io.kinfer.broker.EmbeddedKafkaBroker;
import io.kinfer.config.KinferSettings;
import io.kinfer.tools.bench.BenchEvents;
import io.kinfer.tools.chaos.ChaosRun;
import io.kinfer.tools.chaos.Outcomes;
import io.kinfer.tools.chaos.ServiceInstance;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kinfer memory}: the service's resident memory, measured from outside. The service
 * runs as a child JVM with the memory budget's flags (the ones the launcher and the Docker
 * images use) against a broker in this process; its RSS is read from {@code /proc} every
 * 100 ms: idle once its three pipelines run, under a steady load of held-out samples at a
 * fixed rate, and while the hostile corpus goes through (bombs, lying headers, records at and
 * over the size limit, the longest audio and text). Prints the table and whether the peak
 * during the hostile corpus stays within {@link #HOSTILE_ALLOWANCE_MB} of the idle figure.
 */
public final class MemoryRun {

  /** How far above idle the peak may go while the hostile corpus runs. */
  public static final long HOSTILE_ALLOWANCE_MB = 150;
  private static final List<String> MODALITIES = List.of("image", "audio", "text");

  /** The run's shape. */
  public record Options(List<String> jvmOptions, int steadySeconds, int ratePerModality,
      int hostileRounds, Path modelsDir) {}

  /** RSS figures in MB, and what the hostile corpus came to. */
  public record Report(long idleMb, long steadyMeanMb, long steadyPeakMb, long hostilePeakMb,
      int hostileRecords, int hostileCorrect, boolean serviceAlive) {
    public boolean withinBudget() {
      return serviceAlive && hostileCorrect == hostileRecords
          && hostilePeakMb - idleMb <= HOSTILE_ALLOWANCE_MB;
    }
  }

  private final Options options;
  private final PrintStream out;

  public MemoryRun(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public Report run() throws Exception {
    Path work = Files.createTempDirectory("kinfer-memory-");
    int maxRecord = new KinferSettings().getLimits().getMaxRecordBytes();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, work.resolve("broker"))) {
      String bootstrap = broker.bootstrapServers();
      ChaosRun.createTopics(bootstrap);
      out.println("memory: service JVM flags " + String.join(" ", options.jvmOptions())
          + "; log " + work.resolve("instance-0.log"));
      ServiceInstance service = ServiceInstance.start(0, bootstrap, work, options.modelsDir(),
          options.jvmOptions());
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, maxRecord);
          Outcomes outcomes = new Outcomes(bootstrap,
              MODALITIES.stream().map(m -> m + ".enriched").toList(),
              MODALITIES.stream().map(m -> m + ".dead-letters").toList())) {
        service.awaitRunning(Duration.ofMinutes(3));
        long pid = service.process().pid();
        Thread.sleep(5_000);
        long idle = median(pid, 10);
        out.printf(Locale.ROOT, "memory: idle %,d MB%n", idle);

        long[] steady = steady(producer, pid);
        out.printf(Locale.ROOT, "memory: steady load (%d events/s per modality, %d s): mean"
            + " %,d MB, peak %,d MB%n", options.ratePerModality(), options.steadySeconds(),
            steady[0], steady[1]);

        HostileCorpus corpus = new HostileCorpus(maxRecord);
        List<HostileCorpus.Input> sent = new ArrayList<>();
        try (RssSampler sampler = new RssSampler(pid)) {
          for (int round = 1; round <= options.hostileRounds(); round++) {
            for (HostileCorpus.Input input : corpus.round("hostile-" + round + "-")) {
              producer.send(input.record());
              sent.add(input);
            }
            producer.flush();
            out.printf(Locale.ROOT, "memory: hostile round %d of %d sent (%d records so far),"
                + " RSS now %,d MB%n", round, options.hostileRounds(), sent.size(), rssMb(pid));
          }
          long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
          while (settled(outcomes, sent) < sent.size() && System.nanoTime() < deadline
              && service.process().isAlive()) {
            Thread.sleep(200);
          }
          Thread.sleep(2_000);
          long peak = sampler.peakMb();
          for (HostileCorpus.Input input : sent) {
            String id = new String(input.record().key(), StandardCharsets.UTF_8);
            Outcomes.Count c = outcomes.get(id);
            String got = c == null ? "nothing" : c.enriched() + " result(s), "
                + c.deadLettered() + " dead letter(s)";
            boolean right = c != null && (input.valid()
                ? c.enriched() == 1 && c.deadLettered() == 0
                : c.enriched() == 0 && c.deadLettered() == 1);
            if (!right) {
              out.printf("memory: %s expected %s, got %s%n", id,
                  input.valid() ? "one result" : "one dead letter", got);
            }
          }
          Report report = new Report(idle, steady[0], steady[1], peak, sent.size(),
              correct(outcomes, sent), service.process().isAlive());
          print(report);
          return report;
        }
      } finally {
        service.stop();
      }
    }
  }

  private static int settled(Outcomes outcomes, List<HostileCorpus.Input> sent) {
    return (int) sent.stream().filter(i -> outcomes.get(
        new String(i.record().key(), StandardCharsets.UTF_8)) != null).count();
  }

  /** Inputs with exactly the outcome they should have: one result, or one dead letter. */
  private static int correct(Outcomes outcomes, List<HostileCorpus.Input> sent) {
    int correct = 0;
    for (HostileCorpus.Input input : sent) {
      Outcomes.Count c = outcomes.get(new String(input.record().key(), StandardCharsets.UTF_8));
      if (c != null && (input.valid() ? c.enriched() == 1 && c.deadLettered() == 0
          : c.enriched() == 0 && c.deadLettered() == 1)) {
        correct++;
      }
    }
    return correct;
  }

  /** Sends held-out samples at the configured rate; returns mean and peak RSS in MB. */
  private long[] steady(KafkaProducer<byte[], byte[]> producer, long pid) throws Exception {
    int perModality = options.ratePerModality() * options.steadySeconds();
    Map<String, List<byte[]>> events = new LinkedHashMap<>();
    for (String m : MODALITIES) {
      events.put(m, BenchEvents.encoded(options.modelsDir(), m, perModality));
    }
    List<Long> samples = new ArrayList<>();
    try (RssSampler sampler = new RssSampler(pid)) {
      long start = System.nanoTime();
      for (int i = 0; i < perModality; i++) {
        for (String m : MODALITIES) {
          producer.send(new ProducerRecord<>(m + ".events",
              ("steady-" + m + "-" + i).getBytes(StandardCharsets.UTF_8), events.get(m).get(i)));
        }
        long due = start + (long) ((i + 1) * 1e9 / options.ratePerModality());
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
        if (i % options.ratePerModality() == 0) {
          samples.add(rssMb(pid));
        }
      }
      producer.flush();
      long mean = (long) samples.stream().mapToLong(Long::longValue).average().orElse(0);
      return new long[] {mean, sampler.peakMb()};
    }
  }

  private void print(Report r) {
    out.printf(Locale.ROOT, "%nmemory (resident set of the service process, MB)%n");
    out.printf(Locale.ROOT, "  idle, pipelines running           %,8d%n", r.idleMb());
    out.printf(Locale.ROOT, "  steady load, mean / peak          %,8d / %,d%n", r.steadyMeanMb(),
        r.steadyPeakMb());
    out.printf(Locale.ROOT, "  hostile corpus, peak              %,8d  (+%,d over idle;"
        + " allowance %d)%n", r.hostilePeakMb(), r.hostilePeakMb() - r.idleMb(),
        HOSTILE_ALLOWANCE_MB);
    out.printf(Locale.ROOT, "  hostile records, right outcome    %,8d of %,d; service %s%n",
        r.hostileCorrect(), r.hostileRecords(), r.serviceAlive() ? "up" : "DEAD");
    out.println(r.withinBudget() ? "memory: within budget" : "memory: OVER BUDGET");
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap, int maxRecord) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * maxRecord + 65_536);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static long median(long pid, int samples) throws Exception {
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      all.add(rssMb(pid));
      Thread.sleep(200);
    }
    all.sort(null);
    return all.get(all.size() / 2);
  }

  /** VmRSS of a process, in MB. */
  static long rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return 0; // the process has gone
    }
    return 0;
  }

  /** The highest RSS seen, sampled every 100 ms on its own thread. */
  private static final class RssSampler implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    RssSampler(long pid) {
      thread = new Thread(() -> {
        while (running.get()) {
          peak.accumulateAndGet(rssMb(pid), Math::max);
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "kinfer-memory-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long peakMb() {
      return peak.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(1000);
    }
  }
}
