package io.kinfer.observe;

import io.kinfer.batching.BatchObserver;
import io.kinfer.deadletter.DeadLetterListener;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ModelInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;

/**
 * One pipeline's meters, labelled by pipeline and model (name, version, device). In Prometheus:
 * {@code kinfer_events_consumed_total}, {@code kinfer_events_enriched_total},
 * {@code kinfer_events_dead_lettered_total{stage}}, {@code kinfer_batch_size_records},
 * {@code kinfer_queue_wait_seconds}, {@code kinfer_model_batch_seconds},
 * {@code kinfer_end_to_end_latency_seconds}, {@code kinfer_batches_in_flight},
 * {@code kinfer_records_buffered} and {@code kinfer_model_info}.
 */
public final class PipelineMetrics implements DeadLetterListener {

  /** Buckets for times from a millisecond (a small batch) to half a minute (a backlog). */
  static final Duration[] TIME_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2),
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
      Duration.ofSeconds(10), Duration.ofSeconds(30)};
  static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

  private final MeterRegistry registry;
  private final Tags tags;
  private final Counter consumed;
  private final Counter enriched;
  private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
  private final DistributionSummary batchSize;
  private final Timer queueWait;
  private final Timer modelTime;
  private final Timer endToEnd;
  private final Set<TaskObserver> tasks = ConcurrentHashMap.newKeySet();

  PipelineMetrics(MeterRegistry registry, String pipeline, ModelInfo model) {
    this.registry = registry;
    this.tags = Tags.of("pipeline", pipeline, "model", model.getName(),
        "model_version", model.getVersion(), "device", model.getDevice());
    consumed = Counter.builder("kinfer.events.consumed").tags(tags)
        .description("Records read from the pipeline's input topic").register(registry);
    enriched = Counter.builder("kinfer.events.enriched").tags(tags)
        .description("Results written to the output topic").register(registry);
    batchSize = DistributionSummary.builder("kinfer.batch.size").baseUnit("records").tags(tags)
        .serviceLevelObjectives(BATCH_BUCKETS)
        .description("Records per model call").register(registry);
    queueWait = timer("kinfer.queue.wait", "Time a record waited in the buffer for its batch");
    modelTime = timer("kinfer.model.batch", "Model time per batch (one call, or the per-record"
        + " retries of a failed batch)");
    endToEnd = timer("kinfer.end.to.end.latency", "From the event's time to its result leaving");
    Gauge.builder("kinfer.batches.in.flight", tasks,
            all -> all.stream().mapToInt(t -> t.batches.get()).sum()).tags(tags)
        .description("Batches sent to the model and not yet forwarded").register(registry);
    Gauge.builder("kinfer.records.buffered", tasks,
            all -> all.stream().mapToInt(t -> t.buffered.get()).sum()).tags(tags)
        .description("Records waiting in the batch buffer").register(registry);
    Gauge.builder("kinfer.model.info", () -> 1).tags(tags.and("engine", model.getEngine()))
        .description("The model a pipeline serves (always 1)").register(registry);
    // Present from the start, so a rate over them is 0 rather than absent.
    for (String stage : STAGES) {
      deadLetters(stage);
    }
  }

  /** Where a record can be dead-lettered. */
  static final String[] STAGES = {"deserialize", "decode", "predict"};

  private Timer timer(String name, String description) {
    return Timer.builder(name).tags(tags).serviceLevelObjectives(TIME_BUCKETS)
        .description(description).register(registry);
  }

  /** An observer for one processor (one stream task) of this pipeline. */
  public BatchObserver taskObserver() {
    TaskObserver task = new TaskObserver();
    tasks.add(task);
    return task;
  }

  @Override
  public void deadLettered(String stage, String reason, String origin) {
    consumed.increment();
    deadLetters(stage).increment();
  }

  private Counter deadLetters(String stage) {
    return deadLettered.computeIfAbsent(stage, s -> Counter.builder("kinfer.events.dead.lettered")
        .tags(tags.and("stage", s))
        .description("Records sent to the dead-letter topic, by stage").register(registry));
  }

  private final class TaskObserver implements BatchObserver {
    final AtomicInteger batches = new AtomicInteger();
    final AtomicInteger buffered = new AtomicInteger();

    @Override
    public void buffered() {
      consumed.increment();
    }

    @Override
    public void batchScored(int size, double modelSeconds) {
      batchSize.record(size);
      modelTime.record((long) (modelSeconds * 1e9), TimeUnit.NANOSECONDS);
    }

    @Override
    public void enriched(SpecificRecord event, EnrichedEvent result, double queueWaitSeconds,
        double endToEndSeconds) {
      enriched.increment();
      queueWait.record((long) (queueWaitSeconds * 1e9), TimeUnit.NANOSECONDS);
      endToEnd.record((long) (Math.max(0, endToEndSeconds) * 1e9), TimeUnit.NANOSECONDS);
    }

    @Override
    public void deadLettered(String stage, String reason, String origin) {
      // decode (restored) and predict are counted once consumed already: only the stage here
      deadLetters(stage).increment();
    }

    @Override
    public void inFlight(int batches, int buffered) {
      this.batches.set(batches);
      this.buffered.set(buffered);
    }

    @Override
    public void closed() {
      tasks.remove(this);
    }
  }
}
