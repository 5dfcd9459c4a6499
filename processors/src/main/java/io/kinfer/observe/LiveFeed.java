package io.kinfer.observe;

import io.kinfer.batching.BatchObserver;
import io.kinfer.deadletter.DeadLetterListener;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ModelInfo;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.apache.avro.specific.SpecificRecord;

/**
 * One pipeline's recent activity for the live page: a sample per second over the last five
 * minutes (throughput, dead letters, end-to-end latency p50/p99, batch size), the latest
 * results with their events, and the latest dead letters with their reasons. What a record
 * costs here is a few counter increments and one reference stored; samples and views are made
 * by the sampler and the page, off the stream threads.
 */
public final class LiveFeed implements BatchObserver, DeadLetterListener {

  /** Seconds of history kept. */
  static final int HISTORY = 300;
  /** Results and dead letters kept. */
  static final int LATEST = 8;

  private final String pipeline;
  private final ModelInfo model;
  private final boolean keepPayloads;
  private final LongAdder consumed = new LongAdder();
  private final LongAdder enriched = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder batchRecords = new LongAdder();
  private final LatencyHistogram latency = new LatencyHistogram();
  private final AtomicLong resultNumbers = new AtomicLong();
  private final Latest<Result> results = new Latest<>();
  private final Latest<DeadLetter> deadLetters = new Latest<>();
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private Totals last;

  LiveFeed(String pipeline, ModelInfo model, boolean keepPayloads) {
    this.pipeline = pipeline;
    this.model = model;
    this.keepPayloads = keepPayloads;
  }

  @Override
  public void buffered() {
    consumed.increment();
  }

  @Override
  public void batchScored(int size, double modelSeconds) {
    batches.increment();
    batchRecords.add(size);
  }

  @Override
  public void enriched(SpecificRecord event, EnrichedEvent result, double queueWaitSeconds,
      double endToEndSeconds) {
    enriched.increment();
    double millis = Math.max(0, endToEndSeconds * 1e3);
    latency.record(millis);
    results.add(new Result(resultNumbers.incrementAndGet(), keepPayloads ? event : null, result,
        millis));
  }

  /** From the batching core: the record was counted as consumed when it was buffered. */
  @Override
  public void deadLettered(String stage, String reason, String origin) {
    deadLettered.increment();
    deadLetters.add(new DeadLetter(Instant.now(), stage, reason, origin));
  }

  /** From Kafka Streams' hooks: the record never reached the batching core. */
  public DeadLetterListener hooks() {
    return (stage, reason, origin) -> {
      consumed.increment();
      deadLettered(stage, reason, origin);
    };
  }

  /** Takes this second's sample; called once a second by {@link LiveFeeds}. */
  synchronized void sample(Instant now) {
    Totals totals = new Totals(now, consumed.sum(), enriched.sum(), deadLettered.sum(),
        batches.sum(), batchRecords.sum(), latency.snapshot());
    if (last != null) {
      double seconds = Math.max(1e-3, (now.toEpochMilli() - last.at.toEpochMilli()) / 1e3);
      long batchCount = totals.batches - last.batches;
      samples.addLast(new Sample(now.toEpochMilli(),
          (totals.consumed - last.consumed) / seconds,
          (totals.enriched - last.enriched) / seconds,
          (totals.deadLettered - last.deadLettered) / seconds,
          LatencyHistogram.quantile(last.latency, totals.latency, 0.5),
          LatencyHistogram.quantile(last.latency, totals.latency, 0.99),
          batchCount == 0 ? Double.NaN : (totals.batchRecords - last.batchRecords)
              / (double) batchCount));
      while (samples.size() > HISTORY) {
        samples.removeFirst();
      }
    }
    last = totals;
  }

  /** What the page shows of this pipeline now. */
  public synchronized View view() {
    return new View(pipeline, model, last == null ? 0 : last.consumed,
        last == null ? 0 : last.enriched, last == null ? 0 : last.deadLettered,
        List.copyOf(samples), results.newestFirst(), deadLetters.newestFirst());
  }

  /** One second of a pipeline: rates per second, latency in ms (NaN: no result that second). */
  public record Sample(long at, double consumedPerSecond, double enrichedPerSecond,
      double deadLetteredPerSecond, double p50Millis, double p99Millis, double meanBatchSize) {}

  /**
   * A result and the event it came from (null when payloads are not kept), numbered in the
   * order they left.
   */
  public record Result(long number, SpecificRecord event, EnrichedEvent result,
      double endToEndMillis) {}

  /** One of the latest results, by its number; empty once it is no longer among them. */
  public java.util.Optional<Result> result(long number) {
    return results.newestFirst().stream().filter(r -> r.number() == number).findFirst();
  }

  public record DeadLetter(Instant at, String stage, String reason, String origin) {}

  /** A pipeline's totals since start, its samples oldest first, and the latest, newest first. */
  public record View(String pipeline, ModelInfo model, long consumed, long enriched,
      long deadLettered, List<Sample> samples, List<Result> results,
      List<DeadLetter> deadLetters) {}

  private record Totals(Instant at, long consumed, long enriched, long deadLettered,
      long batches, long batchRecords, long[] latency) {}

  /** The last {@link #LATEST} items added, lock-free for the writers. */
  private static final class Latest<T> {
    private final AtomicReferenceArray<T> items = new AtomicReferenceArray<>(LATEST);
    private final AtomicLong added = new AtomicLong();

    void add(T item) {
      items.set((int) (added.getAndIncrement() % LATEST), item);
    }

    List<T> newestFirst() {
      long count = added.get();
      List<T> newest = new ArrayList<>(LATEST);
      for (long i = count - 1; i >= Math.max(0, count - LATEST); i--) {
        T item = items.get((int) (i % LATEST));
        if (item != null) {
          newest.add(item);
        }
      }
      return newest;
    }
  }
}
