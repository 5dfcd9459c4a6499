package io.kinfer.batching;

import io.kinfer.deadletter.DeadLetters;

import io.kinfer.pipeline.PipelineTopology;
import io.kinfer.deadletter.ProcessingDeadLetterHandler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static io.kinfer.batching.BufferStores.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.TestModels;
import io.kinfer.config.PipelineSettings;
import io.kinfer.decode.AudioDecoder;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.decode.EventDecoder;
import io.kinfer.decode.AudioClip;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The batch buffer: flush on size, flush on time, order, restore, isolation of bad inputs. */
class BatchingProcessorTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final ScoringThreads SCORER = new ScoringThreads("test", 1);

  @AfterAll
  static void stopScorer() {
    SCORER.close();
  }

  /** Batches of at most {@code maxBatch}, top 3 labels, 5 outage retries from 1 s. */
  private static BatchSettings batching(int maxBatch, Duration maxDelay) {
    return new BatchSettings(maxBatch, maxDelay, 3, 5, Duration.ofSeconds(1));
  }

  private static PipelineSettings settings(int maxBatch, Duration maxDelay, boolean overlap) {
    PipelineSettings settings = new PipelineSettings("image");
    settings.setModel("image-cnn");
    settings.setMaxBatch(maxBatch);
    settings.setMaxDelay(maxDelay);
    settings.setOverlap(overlap);
    settings.setSendWhenIdle(false); // these tests pin down max-batch and max-delay alone
    return settings;
  }

  /**
   * Results forwarded by punctuations: batches are scored on the scoring thread and forwarded
   * at the first punctuation after, so this advances the wall clock a millisecond at a time,
   * letting real time pass for the scorer, until {@code n} results are out (at most 10 s).
   */
  private static List<TestRecord<byte[], EnrichedEvent>> awaitResults(
      TopologyTestDriver driver, TestOutputTopic<byte[], EnrichedEvent> out, int n) {
    List<TestRecord<byte[], EnrichedEvent>> got = new ArrayList<>(out.readRecordsToList());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (got.size() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + got.size() + " of " + n + " results after 10 s");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
      driver.advanceWallClockTime(Duration.ofMillis(1));
      got.addAll(out.readRecordsToList());
    }
    return got;
  }

  private static TopologyTestDriver driver(PipelineSettings settings) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "batch-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        ProcessingDeadLetterHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        settings.getDeadLetterTopic());
    return new TopologyTestDriver(PipelineTopology.build(settings, new ImageDecoder(),
        TestModels.image(), CLOCK, SCORER), props, Instant.EPOCH);
  }

  @Test
  void flushesWhenMaxBatchRecordsWaitInArrivalOrder() {
    try (TopologyTestDriver driver = driver(settings(4, Duration.ofHours(1), false))) {
      TestInputTopic<byte[], ImageEvent> in = input(driver);
      TestOutputTopic<byte[], EnrichedEvent> out = output(driver);
      for (int i = 0; i < 3; i++) {
        in.pipeInput(key("e" + i), Events.png("e" + i, i), Instant.ofEpochMilli(100 + i));
      }
      assertTrue(out.isEmpty(), "3 of 4 wait for batch-mates");
      KeyValueStore<Long, byte[]> store = driver.getKeyValueStore(BatchingProcessor.STORE);
      // The driver commits after each record: the waiting ones were saved before each commit.
      assertEquals(3, count(store), "waiting records are in the changelogged store");
      TestOutputTopic<Long, byte[]> changelog = driver.createOutputTopic(
          "batch-test-" + BatchingProcessor.STORE + "-changelog", Serdes.Long().deserializer(),
          Serdes.ByteArray().deserializer());
      List<TestRecord<Long, byte[]>> saved = changelog.readRecordsToList();
      assertEquals(List.of(0L, 1L, 2L), saved.stream().map(TestRecord::key).toList());
      assertEquals("e1", new ImageDecoder().serde().decode(BufferedEvent.fromBytes(
          saved.get(1).value()).event()).getEnvelope().getEventId());
      in.pipeInput(key("e3"), Events.png("e3", 3), Instant.ofEpochMilli(103));
      List<TestRecord<byte[], EnrichedEvent>> results = out.readRecordsToList();
      assertEquals(List.of("e0", "e1", "e2", "e3"), results.stream()
          .map(r -> r.value().getEnvelope().getEventId()).toList());
      for (int i = 0; i < 4; i++) {
        assertEquals(100 + i, results.get(i).timestamp(), "own timestamp kept");
        assertEquals(4, results.get(i).value().getTimings().getBatchSize());
      }
      assertEquals(0, count(store), "flushed records leave the buffer");
      List<TestRecord<Long, byte[]>> removed = changelog.readRecordsToList();
      assertEquals(List.of(0L, 1L, 2L), removed.stream().map(TestRecord::key).toList(),
          "e3, scored before any commit, never reached the changelog: no entry, no tombstone");
      assertTrue(removed.stream().allMatch(r -> r.value() == null), "tombstones for e0-e2");
    }
  }

  @Test
  void recordsScoredBeforeTheCommitNeverReachTheStoreOrItsChangelog() {
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    BufferStore store = BufferStores.inMock(context);
    BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> processor =
        new BatchingProcessor<>(new ImageDecoder(), TestModels.image(),
            batching(2, Duration.ofHours(1)), null, "image.events", CLOCK, BatchObserver.NONE);
    processor.init(context);
    for (String id : List.of("s0", "s1", "s2")) {
      processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
          Events.png(id, 1), 7));
    }
    assertEquals(List.of("s0", "s1"), enrichedIds(context));
    assertEquals(0, count(store), "s2 waits in memory until the commit");
    BufferStores.commit(store);
    assertEquals(1, count(store), "the commit finds s2 waiting: saved");
    BufferStores.commit(store);
    assertEquals(1, count(store), "saved once");
    processor.process(new org.apache.kafka.streams.processor.api.Record<>(key("s3"),
        Events.png("s3", 1), 8));
    assertEquals(List.of("s0", "s1", "s2", "s3"), enrichedIds(context));
    assertEquals(0, count(store), "s2 deleted from the store once its result left");
    processor.close();
  }

  @Test
  void flushesWhenTheOldestRecordHasWaitedMaxDelay() {
    try (TopologyTestDriver driver = driver(settings(100, Duration.ofMillis(50), true))) {
      TestInputTopic<byte[], ImageEvent> in = input(driver);
      TestOutputTopic<byte[], EnrichedEvent> out = output(driver);
      in.pipeInput(key("a"), Events.png("a", 1));
      driver.advanceWallClockTime(Duration.ofMillis(20));
      in.pipeInput(key("b"), Events.png("b", 2));
      driver.advanceWallClockTime(Duration.ofMillis(20));
      assertTrue(out.isEmpty(), "40 ms < max-delay");
      driver.advanceWallClockTime(Duration.ofMillis(20));
      List<TestRecord<byte[], EnrichedEvent>> results = awaitResults(driver, out, 2);
      assertEquals(2, results.size());
      assertEquals(2, results.get(0).value().getTimings().getBatchSize());
      assertTrue(results.get(0).value().getTimings().getQueueWaitMs() >= 50,
          "the first waited for max-delay: " + results.get(0).value().getTimings());
    }
  }

  @Test
  void withSendWhenIdleARecordArrivingWhileTheModelIsIdleIsSentAtOnce() {
    for (boolean sendWhenIdle : new boolean[] {true, false}) {
      PipelineSettings settings = settings(100, Duration.ofMillis(50), true);
      settings.setSendWhenIdle(sendWhenIdle);
      try (TopologyTestDriver driver = driver(settings)) {
        input(driver).pipeInput(key("a"), Events.png("a", 1));
        driver.advanceWallClockTime(Duration.ofMillis(60));
        var timings = awaitResults(driver, output(driver), 1).get(0).value().getTimings();
        assertEquals(1, timings.getBatchSize());
        if (sendWhenIdle) {
          assertEquals(0.0, timings.getQueueWaitMs(), "sent as it arrived: " + timings);
        } else {
          assertTrue(timings.getQueueWaitMs() >= 50, "waited max-delay: " + timings);
        }
      }
    }
  }

  @Test
  void maxBatchOneScoresEachRecordAtOnce() {
    try (TopologyTestDriver driver = driver(settings(1, Duration.ofHours(1), false))) {
      input(driver).pipeInput(key("x"), Events.png("x", 1));
      assertEquals(1, output(driver).readValue().getTimings().getBatchSize());
    }
  }

  @Test
  void withOverlapBatchesStayBufferedUntilTheirResultsLeaveAndAThirdBatchSendsTheOldestFirst() {
    // A task forwards what is scored whenever it runs, so how much has left by a given record
    // depends on how fast the model is; what holds is the order, that a record leaves the store
    // only with its result, and that a third batch cannot go off before the oldest has left.
    List<String> all = List.of("a", "b", "c", "d", "e", "f");
    try (TopologyTestDriver driver = driver(settings(2, Duration.ofMillis(50), true))) {
      TestInputTopic<byte[], ImageEvent> in = input(driver);
      TestOutputTopic<byte[], EnrichedEvent> out = output(driver);
      KeyValueStore<Long, byte[]> store = driver.getKeyValueStore(BatchingProcessor.STORE);
      List<String> forwarded = new ArrayList<>();
      for (String id : all.subList(0, 4)) {
        in.pipeInput(key(id), Events.png(id, all.indexOf(id) + 1));
      }
      forwarded.addAll(ids(out.readRecordsToList()));
      assertEquals(all.subList(0, forwarded.size()), forwarded, "in arrival order");
      assertEquals(4 - forwarded.size(), count(store),
          "batches being scored are still in the store: only forwarded records left it");
      in.pipeInput(key("e"), Events.png("e", 5));
      in.pipeInput(key("f"), Events.png("f", 6));
      forwarded.addAll(ids(out.readRecordsToList()));
      assertTrue(forwarded.size() >= 2, "sending a third batch off forwards the oldest: "
          + forwarded);
      assertEquals(all.subList(0, forwarded.size()), forwarded, "in arrival order");
      assertEquals(6 - forwarded.size(), count(store), "only the records not forwarded are left");
      driver.advanceWallClockTime(Duration.ofMillis(50));
      List<TestRecord<byte[], EnrichedEvent>> last = awaitResults(driver, out,
          6 - forwarded.size());
      forwarded.addAll(ids(last));
      assertEquals(all, forwarded, "in order, at a punctuation once scored");
      assertEquals(2, last.get(last.size() - 1).value().getTimings().getBatchSize());
      assertEquals(0, count(store));
    }
  }

  @Test
  void theTasksOfOneStreamThreadFillOneModelCallAndEachForwardsOnlyItsOwnResults() {
    // Two partitions of one pipeline on one stream thread: two tasks, each with its own buffer.
    BatchSettings fourPerCall = batching(4, Duration.ofHours(1));
    List<MockProcessorContext<byte[], Object>> contexts = new ArrayList<>();
    List<BufferStore> stores = new ArrayList<>();
    List<BatchingProcessor<ImageEvent, java.awt.image.BufferedImage>> tasks = new ArrayList<>();
    var model = TestModels.image();
    for (int t = 0; t < 2; t++) {
      MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
      stores.add(BufferStores.inMock(context));
      contexts.add(context);
      BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> task =
          new BatchingProcessor<>(new ImageDecoder(), model, fourPerCall, SCORER,
              "image.events", CLOCK, BatchObserver.NONE);
      task.init(context);
      tasks.add(task);
    }
    tasks.get(0).process(new org.apache.kafka.streams.processor.api.Record<>(key("a0"),
        Events.png("a0", 1), 1));
    tasks.get(1).process(new org.apache.kafka.streams.processor.api.Record<>(key("b0"),
        Events.png("b0", 2), 2));
    tasks.get(0).process(new org.apache.kafka.streams.processor.api.Record<>(key("a1"),
        Events.png("a1", 3), 3));
    assertEquals(3, BufferStores.afterCommit(stores.get(0)) + BufferStores.afterCommit(stores.get(1)),
        "3 of 4 wait: neither task has a batch alone, and together they do not yet");
    tasks.get(1).process(new org.apache.kafka.streams.processor.api.Record<>(key("b1"),
        Events.png("b1", 4), 4));
    // The fourth record fills one call across both tasks; each forwards its own share.
    tasks.get(0).flush();
    tasks.get(1).flush();
    assertEquals(List.of("a0", "a1"), enrichedIds(contexts.get(0)), "task 0 forwards only its own");
    assertEquals(List.of("b0", "b1"), enrichedIds(contexts.get(1)), "task 1 forwards only its own");
    for (MockProcessorContext<byte[], Object> context : contexts) {
      for (var forwarded : context.forwarded()) {
        assertEquals(4, ((EnrichedEvent) forwarded.record().value()).getTimings()
            .getBatchSize(), "one model call of 4 for both tasks");
      }
    }
    assertEquals(0, count(stores.get(0)) + count(stores.get(1)),
        "each result left its own task's buffer");
    tasks.forEach(BatchingProcessor::close);
  }

  @Test
  void withEarlyCommitResultsAskForACommitOnlyWhileTheStreamThreadKeepsUp()
      throws InterruptedException {
    for (boolean early : new boolean[] {true, false}) {
      MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
      BufferStores.inMock(context); // the clock at 1,000 ms
      // Settings of this test alone: the stream thread's batcher is its own.
      BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> processor =
          new BatchingProcessor<>(new ImageDecoder(), TestModels.image(), new BatchSettings(2,
              Duration.ofHours(1), 3, 5, Duration.ofSeconds(1), 999_999, false, early),
              SCORER, "image.events", CLOCK, BatchObserver.NONE);
      processor.init(context);
      var punctuator = context.scheduledPunctuators().get(0).getPunctuator();
      for (String id : List.of("a0", "a1")) { // written just now
        processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
            Events.png(id, 1), 999));
      }
      processor.flush(); // a0-a1 out; records came without a pause: the thread may be behind
      assertEquals(2, enrichedIds(context).size());
      assertFalse(context.committed(), "no pause for input yet: the commit interval paces");
      Thread.sleep(5);
      context.setCurrentSystemTimeMs(1_005);
      punctuator.punctuate(1_005); // 5 ms without a record: the thread waited for input
      for (String id : List.of("b0", "b1")) { // but written a second ago: a backlog
        processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
            Events.png(id, 1), 5));
      }
      processor.flush();
      assertEquals(4, enrichedIds(context).size());
      assertFalse(context.committed(), "records written a second ago: the thread is behind");
      Thread.sleep(5);
      context.setCurrentSystemTimeMs(1_010);
      punctuator.punctuate(1_010);
      for (String id : List.of("c0", "c1")) { // written just now, after a pause for input
        processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
            Events.png(id, 1), 1_009));
      }
      processor.flush();
      assertEquals(6, enrichedIds(context).size());
      assertEquals(early, context.committed(), "the thread keeps up; early commit " + early);
      processor.close();
    }
  }

  @Test
  void aBatchStillBeingScoredAtCloseIsScoredOnceByWhoeverRestoresTheStore() {
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    BufferStore store = BufferStores.inMock(context);
    BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> first =
        new BatchingProcessor<>(new ImageDecoder(), TestModels.image(),
            batching(3, Duration.ofHours(1)), SCORER, "image.events", CLOCK,
            BatchObserver.NONE);
    first.init(context);
    for (String id : List.of("p0", "p1", "p2")) {
      first.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
          Events.png(id, 1), 7));
    }
    first.close(); // a rebalance or shutdown while p0-p2 are being scored
    BufferStores.commit(store); // Kafka Streams commits the task it closes
    assertTrue(context.forwarded().isEmpty(), "nothing of an unfinished batch leaves");
    assertEquals(3, count(store), "its records stay buffered");

    BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> next =
        new BatchingProcessor<>(new ImageDecoder(), TestModels.image(),
            batching(4, Duration.ofHours(1)), null, "image.events", CLOCK,
            BatchObserver.NONE);
    next.init(context);
    next.process(new org.apache.kafka.streams.processor.api.Record<>(key("p3"),
        Events.png("p3", 1), 8));
    assertEquals(List.of("p0", "p1", "p2", "p3"), context.forwarded().stream()
        .map(f -> ((EnrichedEvent) f.record().value()).getEnvelope().getEventId()).toList());
    assertEquals(0, count(store));
    next.close();
  }

  @Test
  void recordsRestoredIntoTheBufferAreScoredAfterARestart() {
    // What a restart finds: the changelog restored two records into the store.
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    BufferStore store = BufferStores.inMock(context);
    AvroSerde<ImageEvent> serde = new ImageDecoder().serde();
    for (long i = 7; i < 9; i++) {
      store.put(i, new BufferedEvent(key("r" + i), serde.encode(Events.png("r" + i, i)),
          1000 + i, new RecordHeaders(), 0).toBytes());
    }
    BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> processor =
        new BatchingProcessor<>(new ImageDecoder(), TestModels.image(),
            batching(3, Duration.ofMillis(10)), null, "image.events", CLOCK,
            BatchObserver.NONE);
    processor.init(context);
    // A third record completes the batch of 3: the restored two come first, then the new one.
    processor.process(new org.apache.kafka.streams.processor.api.Record<>(key("new"),
        Events.png("new", 1), 2000));
    List<String> ids = context.forwarded().stream()
        .map(f -> ((EnrichedEvent) f.record().value()).getEnvelope().getEventId()).toList();
    assertEquals(List.of("r7", "r8", "new"), ids);
    assertEquals(1007, context.forwarded().get(0).record().timestamp());
    processor.close();
  }

  @Test
  void anInstanceInitializedAgainAfterCloseScoresWhatTheStoreHoldsAtMostMaxBatchAtATime() {
    // Kafka Streams re-inits the same processor instance when it revives or resumes a task.
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    BufferStore store = BufferStores.inMock(context);
    BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> processor =
        new BatchingProcessor<>(new ImageDecoder(), TestModels.image(),
            batching(3, Duration.ofHours(1)), SCORER, "image.events", CLOCK,
            BatchObserver.NONE);
    processor.init(context);
    for (String id : List.of("q0", "q1", "q2")) {
      processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
          Events.png(id, 1), 7));
    }
    processor.close(); // q0-q2 were being scored
    BufferStores.commit(store); // Kafka Streams commits the task it closes
    processor.init(context);
    processor.process(new org.apache.kafka.streams.processor.api.Record<>(key("q3"),
        Events.png("q3", 1), 8));
    assertTrue(context.forwarded().isEmpty(), "q0-q2 are being scored again");
    processor.flush();
    assertEquals(List.of("q0", "q1", "q2", "q3"), enrichedIds(context),
        "the restored records first, in order");
    assertEquals(List.of(3, 3, 3, 1), context.forwarded().stream()
        .map(f -> ((EnrichedEvent) f.record().value()).getTimings().getBatchSize()).toList(),
        "at most max-batch records per call");
    assertEquals(0, count(store));
    processor.close();
  }

  @Test
  void aRestoredRecordThatNoLongerDecodesIsDeadLetteredItselfAndTheOthersPass() {
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    BufferStore store = BufferStores.inMock(context);
    store.put(0L, new BufferedEvent(key("garbled"), new byte[] {1, 2, 3}, 1, new RecordHeaders(),
        0).toBytes());
    BatchingProcessor<ImageEvent, java.awt.image.BufferedImage> processor =
        new BatchingProcessor<>(new ImageDecoder(), TestModels.image(),
            batching(2, Duration.ofHours(1)), null, "image.events", CLOCK,
            BatchObserver.NONE);
    processor.init(context);
    processor.process(new org.apache.kafka.streams.processor.api.Record<>(key("fine"),
        Events.png("fine", 1), 9));
    assertEquals(List.of("fine"), enrichedIds(context));
    var dead = context.forwarded().stream()
        .filter(f -> f.childName().orElseThrow().equals(BatchingProcessor.DEAD_LETTERS)).toList();
    assertEquals(1, dead.size());
    assertArrayEquals(key("garbled"), dead.get(0).record().key());
    assertEquals("decode", new String(dead.get(0).record().headers()
        .lastHeader(DeadLetters.STAGE).value(), StandardCharsets.UTF_8));
    assertEquals(0, count(store));
    processor.close();
  }

  private static List<String> enrichedIds(MockProcessorContext<byte[], Object> context) {
    return context.forwarded().stream()
        .filter(f -> f.childName().orElseThrow().equals(BatchingProcessor.ENRICHED))
        .map(f -> ((EnrichedEvent) f.record().value()).getEnvelope().getEventId()).toList();
  }

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {false, true})
  void aRecordThatFailsAtPredictTimeIsDeadLetteredAloneAndItsBatchMatesPass(boolean overlap) {
    EventDecoder<AudioEvent, AudioClip> poisoned = new PoisonedAudio();
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    BufferStores.inMock(context);
    BatchingProcessor<AudioEvent, AudioClip> processor = new BatchingProcessor<>(poisoned,
        TestModels.audio(), batching(3, Duration.ofHours(1)), overlap ? SCORER : null,
        "audio.events", CLOCK, BatchObserver.NONE);
    processor.init(context);
    for (String id : List.of("ok-1", "poison", "ok-2")) {
      processor.process(new org.apache.kafka.streams.processor.api.Record<>(key(id),
          Events.wav(id, 1), 5));
    }
    processor.flush(); // forwards a batch being scored on the predict thread first
    List<CapturedForward<? extends byte[], ?>> forwarded = context.forwarded();
    List<String> enriched = forwarded.stream()
        .filter(f -> f.childName().orElseThrow().equals(BatchingProcessor.ENRICHED))
        .map(f -> ((EnrichedEvent) f.record().value()).getEnvelope().getEventId()).toList();
    assertEquals(List.of("ok-1", "ok-2"), enriched);
    var dead = forwarded.stream()
        .filter(f -> f.childName().orElseThrow().equals(BatchingProcessor.DEAD_LETTERS)).toList();
    assertEquals(1, dead.size());
    assertArrayEquals(key("poison"), dead.get(0).record().key());
    assertEquals("predict", new String(dead.get(0).record().headers()
        .lastHeader(DeadLetters.STAGE).value(), StandardCharsets.UTF_8));
    processor.close();
  }

  /** Audio whose "poison" event decodes to a clip the translator cannot take (rate 0). */
  private static final class PoisonedAudio implements EventDecoder<AudioEvent, AudioClip> {
    private final AudioDecoder audio = new AudioDecoder();

    @Override
    public String name() {
      return audio.name();
    }

    @Override
    public Modality modality() {
      return audio.modality();
    }

    @Override
    public AvroSerde<AudioEvent> serde() {
      return audio.serde();
    }

    @Override
    public Class<AudioClip> inputType() {
      return AudioClip.class;
    }

    @Override
    public Envelope envelope(AudioEvent event) {
      return audio.envelope(event);
    }

    @Override
    public AudioClip decode(AudioEvent event) {
      AudioClip clip = audio.decode(event);
      return event.getEnvelope().getEventId().equals("poison")
          ? new AudioClip(clip.samples(), 0) : clip;
    }

    @Override
    public AudioClip warmUpInput() {
      return audio.warmUpInput();
    }
  }
  private static TestInputTopic<byte[], ImageEvent> input(TopologyTestDriver driver) {
    return driver.createInputTopic("image.events", new ByteArraySerializer(),
        new ImageDecoder().serde().serializer(), Instant.EPOCH, Duration.ZERO);
  }

  private static TestOutputTopic<byte[], EnrichedEvent> output(TopologyTestDriver driver) {
    return driver.createOutputTopic("image.enriched", new ByteArrayDeserializer(),
        AvroSerde.of(EnrichedEvent.class).deserializer());
  }

  private static List<String> ids(List<TestRecord<byte[], EnrichedEvent>> records) {
    return records.stream().map(r -> r.value().getEnvelope().getEventId()).toList();
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }
}
