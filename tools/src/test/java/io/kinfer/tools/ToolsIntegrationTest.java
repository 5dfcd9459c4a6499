package io.kinfer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.ModelCardFigures;
import io.kinfer.TestModels;
import io.kinfer.TestService;
import io.kinfer.service.KinferService;
import io.kinfer.tools.client.ClientAccess;
import io.kinfer.tools.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools against a running service (Micronaut context, in-JVM KRaft broker, the shipped
 * models): produce and consume round-trip through a pipeline, and the demo reproduces the model
 * cards' sample accuracy.
 */
@Timeout(300)
class ToolsIntegrationTest {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir static Path tmp;
  private static TestService running;
  private static KinferService kinfer;

  @BeforeAll
  static void start() throws InterruptedException {
    running = TestService.start(tmp.resolve("state"), Map.of());
    kinfer = running.service();
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void produceAndConsumeCommandsRoundTripThroughThePipeline() throws Exception {
    Path lines = tmp.resolve("lines.txt");
    Files.writeString(lines, "the cat sat on the mat\nseeds of a flowering plant\n");
    var produced = new ByteArrayOutputStream();
    int code = ClientAccess.produce(List.of("text", lines.toString(), "--topic",
        "text.events"), kinfer.bootstrapServers(), new PrintStream(produced, true));
    assertEquals(0, code);
    List<String> ids = produced.toString(StandardCharsets.UTF_8).lines()
        .map(l -> l.split("\t")[0]).toList();
    assertEquals(2, ids.size());

    var consumed = new ByteArrayOutputStream();
    ClientAccess.consume(List.of("text.enriched", "--from-beginning", "--timeout",
        "60", "--max", "1000000"), kinfer.bootstrapServers(), new PrintStream(consumed,
        true), ids);
    String json = consumed.toString(StandardCharsets.UTF_8);
    for (String id : ids) {
      assertTrue(json.contains("\"eventId\":\"" + id + "\""), "consume printed " + id);
    }
  }

  @Test
  void demoSendsTheShippedSamplesAndItsAccuracyMatchesTheModelCards() throws Exception {
    Path samples = TestModels.MODELS_DIR.resolve("samples");
    var printed = new ByteArrayOutputStream();
    var summaries = new Demo(kinfer, samples,
        new PrintStream(printed, true, StandardCharsets.UTF_8)).run(WAIT);
    assertTrue(!summaries.isEmpty(), "the demo found no samples in " + samples);
    for (var entry : summaries.entrySet()) {
      String modality = entry.getKey();
      long expected = Files.readAllLines(samples.resolve(modality).resolve("samples.tsv")).stream()
          .filter(l -> !l.isBlank() && !l.startsWith("#")).count();
      assertEquals(expected, entry.getValue().count(), modality + " results");
      assertEquals(1, entry.getValue().deadLetters(), modality + " dead letters");
      ModelCardFigures card = ModelCardFigures.of(TestModels.MODELS_DIR, modality);
      assertEquals(card.sampleAccuracyPercent(), String.format(java.util.Locale.ROOT, "%.2f",
          100 * entry.getValue().accuracy()), modality + " demo accuracy vs " + card.path());
    }
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("accuracy"), "summary printed");
  }

}
