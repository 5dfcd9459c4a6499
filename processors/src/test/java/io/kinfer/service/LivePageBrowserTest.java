package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Chromium;
import io.kinfer.TestModels;
import io.kinfer.TestService;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page in a real browser: headless Chromium loads {@code /} from a running service
 * after held-out samples of every modality (and one bad record each) went through. Every
 * result read from the output topics must be on the page with its event's picture, text or
 * sound and its top label, and every dead letter with its reason. The screenshot is saved as
 * {@code processors/target/live-page.png}.
 */
@Timeout(600)
class LivePageBrowserTest {

  private static final int PER_MODALITY = 4;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Path SCREENSHOT = Path.of("target", "live-page.png");

  @TempDir Path tmp;

  @Test
  void thePageShowsEveryPipelinesLatestResultsAndDeadLetters() throws Exception {
    Chromium chromium = Chromium.find(Path.of("target"));
    try (TestService running = TestService.start(tmp.resolve("state"), Map.of())) {
      KinferService kinfer = running.service();
      String run = "page-" + UUID.randomUUID().toString().substring(0, 8) + "-";
      Map<String, byte[]> sent = new HashMap<>();
      Map<String, List<String>> ids = send(kinfer.bootstrapServers(), run, sent);

      Map<String, String> labels = new HashMap<>();
      for (String modality : List.of("image", "audio", "text")) {
        labels.putAll(topLabels(kinfer.bootstrapServers(), modality + ".enriched",
            ids.get(modality)));
      }
      awaitDeadLetters(kinfer, 3);

      String base = kinfer.managementUrl().orElseThrow().toString();
      String dom = chromium.render(base + "/", 8000,
          SCREENSHOT, 1400, 2200, tmp.resolve("chromium"));
      for (String modality : List.of("image", "audio", "text")) {
        assertTrue(dom.contains("id=\"pipeline-" + modality + "\""), modality + " pipeline shown");
        for (String id : ids.get(modality)) {
          String card = card(dom, id);
          assertTrue(card.contains("<div class=\"label\">" + escape(labels.get(id)) + "</div>"),
              id + " shows its top label " + labels.get(id) + ": " + card);
          String content = switch (modality) {
            case "image" -> "<img src=\"live/content/image/";
            case "audio" -> "<audio controls=\"\" preload=\"none\" src=\"live/content/audio/";
            default -> "“a sample sentence " + id;
          };
          assertTrue(card.contains(content), id + " shows its event: " + card);
          if (!modality.equals("text")) {
            String src = card.substring(card.indexOf("src=\"") + 5);
            src = src.substring(0, src.indexOf('"'));
            assertArrayEquals(sent.get(id), fetch(base + "/" + src),
                id + ": the page's " + modality + " is the event's own file");
          }
        }
        assertTrue(dom.contains("data-origin=\"" + modality + ".events-"),
            modality + " dead letter shown with where it came from");
      }
      assertTrue(dom.contains("not an ImageEvent"), "the dead letter's reason is shown");
      assertTrue(dom.contains("UP · RUNNING"), "pipeline state shown");
      assertTrue(dom.contains("image-cnn v"), "model name and version shown");
      assertTrue(Files.size(SCREENSHOT) > 10_000, "screenshot saved: " + SCREENSHOT);
    }
  }

  private static byte[] fetch(String url) throws Exception {
    java.net.http.HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode(), url);
    return response.body();
  }

  /** The result card of one event in the page's DOM. */
  private static String card(String dom, String id) {
    int start = dom.indexOf("data-event-id=\"" + id + "\"");
    assertTrue(start >= 0, id + " is on the page");
    int end = dom.indexOf("data-event-id=\"", start + 1);
    return dom.substring(start, end < 0 ? Math.min(dom.length(), start + 20_000) : end);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** @param sent filled with each image's and clip's file, by event id */
  private static Map<String, List<String>> send(String bootstrap, String run,
      Map<String, byte[]> sent) throws Exception {
    Path samples = TestModels.MODELS_DIR.resolve("samples");
    Map<String, List<String>> ids = new LinkedHashMap<>();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Path> images = files(samples.resolve("image"), ".png");
      List<Path> clips = files(samples.resolve("audio"), ".wav");
      for (int i = 0; i < PER_MODALITY; i++) {
        String image = run + "image-" + i;
        sent.put(image, Files.readAllBytes(images.get(i * 7)));
        send(producer, "image.events", image, AvroSerde.of(ImageEvent.class).encode(
            ImageEvent.newBuilder().setEnvelope(envelope(image)).setFormat(ImageFormat.PNG)
                .setImage(ByteBuffer.wrap(sent.get(image))).build()));
        String audio = run + "audio-" + i;
        sent.put(audio, Files.readAllBytes(clips.get(i * 5)));
        send(producer, "audio.events", audio, AvroSerde.of(AudioEvent.class).encode(
            AudioEvent.newBuilder().setEnvelope(envelope(audio)).setEncoding(AudioEncoding.WAV)
                .setAudio(ByteBuffer.wrap(sent.get(audio))).build()));
        String text = run + "text-" + i;
        send(producer, "text.events", text, AvroSerde.of(TextEvent.class).encode(
            TextEvent.newBuilder().setEnvelope(envelope(text))
                .setText("a sample sentence " + text + " about a dog in a garden").build()));
        ids.computeIfAbsent("image", m -> new ArrayList<>()).add(image);
        ids.computeIfAbsent("audio", m -> new ArrayList<>()).add(audio);
        ids.computeIfAbsent("text", m -> new ArrayList<>()).add(text);
      }
      for (String modality : List.of("image", "audio", "text")) {
        send(producer, modality + ".events", run + "bad-" + modality,
            "not avro at all".getBytes(StandardCharsets.UTF_8));
      }
    }
    return ids;
  }

  private static List<Path> files(Path dir, String suffix) throws Exception {
    try (Stream<Path> all = Files.list(dir)) {
      return all.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static Envelope envelope(String id) {
    return Envelope.newBuilder().setEventId(id).setSource("live-page-test")
        .setEventTime(Instant.now()).build();
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String id,
      byte[] value) {
    producer.send(new ProducerRecord<>(topic, id.getBytes(StandardCharsets.UTF_8), value));
  }

  /** Each event's top label, read from the committed results. */
  private static Map<String, String> topLabels(String bootstrap, String topic, List<String> ids) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "page-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    Map<String, String> labels = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!labels.keySet().containsAll(ids) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          EnrichedEvent e = AvroSerde.of(EnrichedEvent.class).decode(r.value());
          labels.put(e.getEnvelope().getEventId(), e.getTopLabel());
        });
      }
    }
    assertTrue(labels.keySet().containsAll(ids), "results on " + topic + " within " + WAIT);
    return labels;
  }

  private static void awaitDeadLetters(KinferService kinfer, int expected) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String base = kinfer.managementUrl().orElseThrow().toString();
    double seen = 0;
    while (System.nanoTime() < deadline) {
      Map<String, Double> samples = Scrape.of(java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/prometheus")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      seen = Stream.of("image", "audio", "text")
          .mapToDouble(p -> Scrape.value(samples, "kinfer_events_dead_lettered_total", p)).sum();
      if (seen >= expected) {
        return;
      }
      Thread.sleep(250);
    }
    assertEquals(expected, seen, "dead letters counted within " + WAIT);
  }
}
