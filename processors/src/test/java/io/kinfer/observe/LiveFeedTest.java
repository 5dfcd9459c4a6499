package io.kinfer.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Events;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.Modality;
import io.kinfer.schema.ModelInfo;
import io.kinfer.schema.Prediction;
import io.kinfer.schema.Timings;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

  private static final ModelInfo MODEL = new ModelInfo("image-cnn", "3", "TensorFlow", "cpu()");
  private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

  @Test
  void aSampleHoldsTheRatesLatencyPercentilesAndMeanBatchOfItsSecond() {
    LiveFeed feed = new LiveFeed("image", MODEL, true);
    feed.sample(T0);
    for (int i = 1; i <= 100; i++) {
      feed.buffered();
      feed.enriched(Events.png("e" + i, i), result("e" + i), 0.001, i / 1000.0); // 1..100 ms
    }
    feed.batchScored(32, 0.01);
    feed.batchScored(32, 0.01);
    feed.batchScored(36, 0.01);
    feed.hooks().deadLettered("deserialize", "not avro", "image.events-0@7");
    feed.sample(T0.plusSeconds(2));

    LiveFeed.View view = feed.view();
    assertEquals(101, view.consumed());
    assertEquals(100, view.enriched());
    assertEquals(1, view.deadLettered());
    LiveFeed.Sample s = view.samples().get(0);
    assertEquals(50.5, s.consumedPerSecond(), 1e-9, "101 records over two seconds");
    assertEquals(50, s.enrichedPerSecond(), 1e-9);
    assertEquals(0.5, s.deadLetteredPerSecond(), 1e-9);
    assertEquals(50, s.p50Millis(), 50 * 0.06, "p50 within a bucket's 5%");
    assertEquals(99, s.p99Millis(), 99 * 0.06);
    assertEquals(100 / 3.0, s.meanBatchSize(), 1e-9);
  }

  @Test
  void aSecondWithoutResultsHasNoLatencyAndNoBatchSize() {
    LiveFeed feed = new LiveFeed("image", MODEL, true);
    feed.sample(T0);
    feed.sample(T0.plusSeconds(1));
    LiveFeed.Sample s = feed.view().samples().get(0);
    assertEquals(0, s.enrichedPerSecond());
    assertTrue(Double.isNaN(s.p50Millis()) && Double.isNaN(s.meanBatchSize()));
  }

  @Test
  void keepsTheLatestResultsAndDeadLettersNewestFirstAndFiveMinutesOfSamples() {
    LiveFeed feed = new LiveFeed("image", MODEL, true);
    for (int i = 0; i < 20; i++) {
      feed.enriched(Events.png("e" + i, i), result("e" + i), 0, 0.01);
      feed.deadLettered("predict", "reason " + i, "event d" + i);
    }
    for (int second = 0; second <= LiveFeed.HISTORY + 30; second++) {
      feed.sample(T0.plusSeconds(second));
    }
    LiveFeed.View view = feed.view();
    assertEquals(List.of("e19", "e18", "e17", "e16", "e15", "e14", "e13", "e12"),
        view.results().stream().map(r -> r.result().getEnvelope().getEventId()).toList());
    assertEquals("reason 19", view.deadLetters().get(0).reason());
    assertEquals(LiveFeed.LATEST, view.deadLetters().size());
    assertEquals(LiveFeed.HISTORY, view.samples().size());
    assertEquals(T0.plusSeconds(LiveFeed.HISTORY + 30).toEpochMilli(),
        view.samples().get(LiveFeed.HISTORY - 1).at());
  }

  @Test
  void withPayloadsOffNoEventIsKept() {
    LiveFeed feed = new LiveFeed("image", MODEL, false);
    ImageEvent event = Events.png("e1", 1);
    feed.enriched(event, result("e1"), 0, 0.01);
    LiveFeed.Result kept = feed.view().results().get(0);
    assertNull(kept.event(), "the event is not held");
    assertEquals("Bag", kept.result().getTopLabel(), "the result still is");

    LiveFeed on = new LiveFeed("image", MODEL, true);
    on.enriched(event, result("e1"), 0, 0.01);
    assertSame(event, on.view().results().get(0).event());
  }

  @Test
  void eventContentIsTextInlineOrAPictureOrClipABrowserCanShow() {
    ImageEvent png = Events.png("e1", 1);
    assertEquals(Map.of("media", "image"), EventContent.of(png));
    EventContent.Media image = EventContent.media(png).orElseThrow();
    assertEquals("image/png", image.type());
    assertEquals(png.getImage(), ByteBuffer.wrap(image.bytes()));

    EventContent.Media rawPng = EventContent.media(raw(3, 2)).orElseThrow();
    assertEquals("image/png", rawPng.type());
    assertEquals((byte) 0x89, rawPng.bytes()[0], "RAW grey pixels become a PNG");
    assertTrue(EventContent.media(raw(5, 2)).isEmpty(), "RAW of the wrong size is not drawn");

    AudioEvent pcm = AudioEvent.newBuilder().setEnvelope(Events.envelope("a1"))
        .setEncoding(AudioEncoding.PCM16LE).setSampleRate(8000).setChannels(1)
        .setAudio(ByteBuffer.wrap(new byte[1600])).build();
    assertEquals(Map.of("media", "audio"), EventContent.of(pcm));
    byte[] wav = EventContent.media(pcm).orElseThrow().bytes();
    assertEquals("RIFF", new String(wav, 0, 4));
    assertEquals(44 + 1600, wav.length, "PCM gets a WAV header");
    assertEquals(8000, ByteBuffer.wrap(wav, 24, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getInt());

    Map<String, String> text = EventContent.of(Events.text("t1", "x".repeat(5000)));
    assertEquals(EventContent.MAX_TEXT + 1, text.get("text").length(), "long text is cut");
    assertTrue(EventContent.media(Events.text("t1", "hi")).isEmpty());
  }

  @Test
  void aResultIsFoundByItsNumberWhileItIsAmongTheLatest() {
    LiveFeed feed = new LiveFeed("image", MODEL, true);
    for (int i = 0; i < 20; i++) {
      feed.enriched(Events.png("e" + i, i), result("e" + i), 0, 0.01);
    }
    assertEquals("e19", feed.result(20).orElseThrow().result().getEnvelope().getEventId());
    assertTrue(feed.result(12).isEmpty(), "number 12 has left the latest eight");
  }

  @Test
  void latencyPercentilesComeFromTheDifferenceOfTwoSnapshots() {
    LatencyHistogram h = new LatencyHistogram();
    for (int i = 0; i < 1000; i++) {
      h.record(5);
    }
    long[] before = h.snapshot();
    for (int i = 1; i <= 1000; i++) {
      h.record(i);
    }
    long[] after = h.snapshot();
    assertEquals(500, LatencyHistogram.quantile(before, after, 0.5), 500 * 0.06);
    assertEquals(990, LatencyHistogram.quantile(before, after, 0.99), 990 * 0.06);
    assertTrue(Double.isNaN(LatencyHistogram.quantile(after, after, 0.5)));
    h.record(0);
    h.record(1e9);
    assertEquals(0.1, LatencyHistogram.quantile(after, h.snapshot(), 0.01), 1e-9);
  }

  private static ImageEvent raw(int width, int height) {
    return ImageEvent.newBuilder().setEnvelope(Events.envelope("r1")).setFormat(ImageFormat.RAW)
        .setImage(ByteBuffer.wrap(new byte[6])).setWidth(width).setHeight(height).build();
  }

  private static EnrichedEvent result(String id) {
    return EnrichedEvent.newBuilder().setEnvelope(Events.envelope(id)).setModality(Modality.IMAGE)
        .setModel(MODEL).setPredictions(List.of(new Prediction("Bag", 0.9f)))
        .setTopLabel("Bag").setTimings(new Timings(1.0, 2.0, 1)).setProcessedAt(T0).build();
  }
}
