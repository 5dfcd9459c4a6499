package io.kinfer.batching;

import static io.kinfer.batching.BufferStores.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.translate.TranslateException;
import io.kinfer.Events;
import io.kinfer.TestModels;
import io.kinfer.config.PipelineSettings;
import io.kinfer.deadletter.ProcessingDeadLetterHandler;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.inference.ModelPredictor;
import io.kinfer.inference.Scores;
import io.kinfer.inference.ServedModel;
import io.kinfer.pipeline.PipelineTopology;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine's fault is not the input's: when the real model fails on every call (a lost
 * device, a native error, out of memory), nothing is dead-lettered and nothing is lost; the
 * records stay buffered, the task retries with backoff, then stops; once the model works again
 * (or after a restart) every record is scored exactly once.
 */
class ModelOutageTest {

  private static final Clock CLOCK = Clock.systemUTC();
  private static final ScoringThreads SCORER = new ScoringThreads("outage-test", 1);
  private static final BatchSettings TWO_RETRIES =
      new BatchSettings(2, Duration.ofHours(1), 3, 2, Duration.ofMillis(100));

  @AfterAll
  static void stopScorer() {
    SCORER.close();
  }

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {false, true})
  void aModelThatFailsOnEveryCallDeadLettersNothingLosesNothingAndStopsAfterItsRetries(
      boolean overlap) {
    AtomicBoolean broken = new AtomicBoolean(true);
    MockProcessorContext<byte[], Object> context = context();
    BufferStore store = BufferStores.inMock(context);
    BatchingProcessor<ImageEvent, BufferedImage> processor = processor(
        failing(broken, () -> new EngineException("CUDA error: device lost")), overlap);
    processor.init(context);
    for (String id : List.of("a", "b", "c")) {
      processor.process(record(id));
    }
    if (overlap) {
      processor.flush(); // collects the batch scored in the background: it failed
    }
    assertTrue(context.forwarded().isEmpty(), "no result and no dead letter: "
        + context.forwarded());
    assertEquals(3, BufferStores.afterCommit(store), "every record stays buffered");

    punctuate(context, 1_000 + 100); // first retry, fails: the next one 200 ms later
    assertTrue(context.forwarded().isEmpty());
    var stop = assertThrows(ModelOutageException.class,
        () -> punctuate(context, 1_000 + 300)); // second retry fails: gives up
    assertTrue(stop.getMessage().contains("Nothing was dead-lettered"), stop.getMessage());
    assertTrue(stop.getMessage().contains("device lost"), stop.getMessage());
    assertTrue(context.forwarded().isEmpty(), "still nothing dead-lettered");
    assertEquals(3, BufferStores.afterCommit(store), "still nothing lost");
    processor.close();

    // After a restart with a working model, the restored buffer is scored, each record once.
    BatchingProcessor<ImageEvent, BufferedImage> restarted =
        processor(TestModels.image(), overlap);
    restarted.init(context);
    restarted.flush();
    restarted.flush();
    assertEquals(List.of("a", "b", "c"), enrichedIds(context));
    assertEquals(0, count(store));
    restarted.close();
  }

  @ParameterizedTest(name = "overlap {0}")
  @ValueSource(booleans = {false, true})
  void aModelThatHealsScoresEveryBufferedRecordOnceAndDeadLettersNothing(boolean overlap) {
    AtomicBoolean broken = new AtomicBoolean(true);
    MockProcessorContext<byte[], Object> context = context();
    BufferStore store = BufferStores.inMock(context);
    BatchingProcessor<ImageEvent, BufferedImage> processor = processor(
        failing(broken, () -> new OutOfMemoryError("Java heap space")), overlap);
    processor.init(context);
    for (String id : List.of("a", "b", "c", "d", "e")) {
      processor.process(record(id));
    }
    if (overlap) {
      processor.flush(); // collects the batches scored in the background: they failed
    }
    assertTrue(context.forwarded().isEmpty(), "an Error is the engine's, not the input's");
    assertEquals(5, BufferStores.afterCommit(store), "every record stays buffered");

    broken.set(false);
    punctuate(context, 1_000 + 100); // the retry works
    punctuate(context, 1_000 + 110); // the rest of the backlog, a full batch at a time
    processor.flush();
    assertEquals(List.of("a", "b", "c", "d", "e"), enrichedIds(context),
        "each exactly once, in order");
    assertEquals(5, context.forwarded().size(), "and no dead letter");
    assertEquals(0, count(store));
    processor.close();
  }

  @Test
  void aModelThatFailsOnOnePoisonedRecordStillDeadLettersJustThatRecord() {
    MockProcessorContext<byte[], Object> context = context();
    BufferStores.inMock(context);
    AtomicInteger calls = new AtomicInteger();
    // Fails any call that includes the third image of the batch, the way a bad input would.
    ServedModel<BufferedImage> poisoned = TestModels.image().withPredictors(p -> new Wrapped(p) {
      @Override
      public List<Scores> predict(List<BufferedImage> inputs) throws TranslateException {
        calls.incrementAndGet();
        throw new TranslateException("batch holds a poisoned input");
      }

      @Override
      public Scores predict(BufferedImage input) throws TranslateException {
        if (isWhite(input)) {
          throw new TranslateException("poisoned input");
        }
        return super.predict(input);
      }
    });
    BatchingProcessor<ImageEvent, BufferedImage> processor = processor(poisoned, false);
    processor.init(context);
    processor.process(record("ok-1"));
    processor.process(new Record<>(key("poison"), ImageEvent.newBuilder(Events.png("poison", 1))
        .setImage(java.nio.ByteBuffer.wrap(whitePng())).build(), 5));
    processor.flush();
    assertEquals(1, calls.get());
    assertEquals(List.of("ok-1"), enrichedIds(context));
    var dead = context.forwarded().stream()
        .filter(f -> f.childName().orElseThrow().equals(BatchingProcessor.DEAD_LETTERS)).toList();
    assertEquals(1, dead.size(), "the probe passed: the input is at fault");
    assertEquals("poison", new String(dead.get(0).record().key(), StandardCharsets.UTF_8));
    processor.close();
  }

  @Test
  void theOutageStopsTheTopologyThroughTheProcessingHandlerWithNoDeadLetter() {
    PipelineSettings settings = new PipelineSettings("image");
    settings.setModel("image-cnn");
    settings.setMaxBatch(2);
    settings.setMaxDelay(Duration.ofMillis(10));
    settings.setOverlap(false);
    settings.setOutageRetries(2);
    settings.setOutageBackoff(Duration.ofMillis(50));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "outage-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        ProcessingDeadLetterHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        settings.getDeadLetterTopic());
    ServedModel<BufferedImage> dead = failing(new AtomicBoolean(true),
        () -> new EngineException("native error"));
    try (TopologyTestDriver driver = new TopologyTestDriver(PipelineTopology.build(settings,
        new ImageDecoder(), dead, CLOCK, null), props, Instant.EPOCH)) {
      TestInputTopic<byte[], ImageEvent> in = driver.createInputTopic("image.events",
          new ByteArraySerializer(), new ImageDecoder().serde().serializer());
      in.pipeInput(key("a"), Events.png("a", 1));
      in.pipeInput(key("b"), Events.png("b", 2));
      driver.advanceWallClockTime(Duration.ofMillis(60)); // retry 1 fails
      var stop = assertThrows(StreamsException.class,
          () -> driver.advanceWallClockTime(Duration.ofMillis(200)));
      assertInstanceOf(ModelOutageException.class, rootOutage(stop), stop.toString());
      assertTrue(driver.createOutputTopic("image.dead-letters", new ByteArrayDeserializer(),
          new ByteArrayDeserializer()).isEmpty(), "nothing dead-lettered");
      assertTrue(driver.createOutputTopic("image.enriched", new ByteArrayDeserializer(),
          AvroSerde.of(EnrichedEvent.class).deserializer()).isEmpty());
    }
  }

  private static Throwable rootOutage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ModelOutageException) {
        return t;
      }
    }
    return e;
  }

  /** The real image model, failing every call (probe included) while {@code broken}. */
  private static ServedModel<BufferedImage> failing(AtomicBoolean broken,
      Supplier<Throwable> error) {
    return TestModels.image().withPredictors(p -> new Wrapped(p) {
      @Override
      public List<Scores> predict(List<BufferedImage> inputs) throws TranslateException {
        failIfBroken();
        return super.predict(inputs);
      }

      @Override
      public Scores predict(BufferedImage input) throws TranslateException {
        failIfBroken();
        return super.predict(input);
      }

      @Override
      public void probe() throws TranslateException {
        failIfBroken();
        super.probe();
      }

      private void failIfBroken() {
        if (broken.get()) {
          Throwable t = error.get();
          if (t instanceof Error e) {
            throw e;
          }
          throw (RuntimeException) t;
        }
      }
    });
  }

  /** Passes every call through to the real predictor. */
  private static class Wrapped implements ModelPredictor<BufferedImage> {
    private final ModelPredictor<BufferedImage> real;

    Wrapped(ModelPredictor<BufferedImage> real) {
      this.real = real;
    }

    @Override
    public List<Scores> predict(List<BufferedImage> inputs) throws TranslateException {
      return real.predict(inputs);
    }

    @Override
    public Scores predict(BufferedImage input) throws TranslateException {
      return real.predict(input);
    }

    @Override
    public void probe() throws TranslateException {
      real.probe();
    }

    @Override
    public void close() {
      real.close();
    }
  }

  private static BatchingProcessor<ImageEvent, BufferedImage> processor(
      ServedModel<BufferedImage> model, boolean overlap) {
    return new BatchingProcessor<>(new ImageDecoder(), model, TWO_RETRIES,
        overlap ? SCORER : null, "image.events", CLOCK,
            BatchObserver.NONE);
  }

  private static void punctuate(MockProcessorContext<byte[], Object> context, long now) {
    context.setCurrentSystemTimeMs(now);
    context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1)
        .getPunctuator().punctuate(now);
  }

  private static MockProcessorContext<byte[], Object> context() {
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(1_000);
    return context;
  }

  private static List<String> enrichedIds(MockProcessorContext<byte[], Object> context) {
    return context.forwarded().stream()
        .filter(f -> f.childName().orElseThrow().equals(BatchingProcessor.ENRICHED))
        .map(f -> ((EnrichedEvent) f.record().value()).getEnvelope().getEventId()).toList();
  }

  private static Record<byte[], ImageEvent> record(String id) {
    return new Record<>(key(id), Events.png(id, 1), 7);
  }

  private static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  /** The poisoned input: an all-white image (the random test images never are). */
  private static byte[] whitePng() {
    BufferedImage white = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = white.createGraphics();
    g.setColor(java.awt.Color.WHITE);
    g.fillRect(0, 0, 28, 28);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(white, "png", out);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static boolean isWhite(BufferedImage image) {
    return image.getRaster().getSample(0, 0, 0) == 255
        && image.getRaster().getSample(27, 27, 0) == 255
        && image.getRaster().getSample(13, 13, 0) == 255;
  }
}
