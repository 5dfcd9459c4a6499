package io.kinfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.inference.ModelPredictor;
import io.kinfer.decode.AudioDecoder;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.decode.EventDecoder;
import io.kinfer.decode.TextDecoder;
import io.kinfer.inference.Scores;
import io.kinfer.inference.ServedModel;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The committed trained models, served through the real runtime (event → decoder → DJL
 * translator → TensorFlow): on their committed held-out samples they reproduce the trainer's
 * own outputs (max abs difference ≤ 1e-5) and the sample accuracy their MODEL.md states.
 */
class ShippedModelsTest {

  private static final Path SAMPLES = TestModels.MODELS_DIR.resolve("samples");

  @TestFactory
  List<DynamicTest> servedOutputsEqualTheTrainersAndAccuracyMatchesTheCard() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String modality : List.of("image", "audio", "text")) {
      Path outputs = SAMPLES.resolve(modality).resolve("trainer-outputs.tsv");
      // A shipped model without its samples is a defect, not a reason to skip.
      tests.add(DynamicTest.dynamicTest(modality, () -> {
        assertTrue(Files.isRegularFile(outputs), outputs + " is missing: every shipped model"
            + " commits its samples and the trainer's outputs on them (kinfer models train)");
        check(modality, outputs);
      }));
    }
    return tests;
  }

  private static void check(String modality, Path outputsFile) throws Exception {
    switch (modality) {
      case "image" -> check(TestModels.image(), new ImageDecoder(), outputsFile,
          (file, dir) -> ImageEvent.newBuilder(Events.png("s", 0)).setFormat(ImageFormat.PNG)
              .setImage(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(file)))).build());
      case "audio" -> check(TestModels.audio(), new AudioDecoder(), outputsFile,
          (file, dir) -> AudioEvent.newBuilder(Events.wav("s", 0)).setEncoding(AudioEncoding.WAV)
              .setAudio(ByteBuffer.wrap(Files.readAllBytes(dir.resolve(file)))).build());
      default -> check(TestModels.text(), new TextDecoder(), outputsFile,
          (text, dir) -> Events.text("s", text));
    }
  }

  interface EventOf<E> {
    E make(String content, Path dir) throws Exception;
  }

  private static <E extends SpecificRecord, I> void check(ServedModel<I> model,
      EventDecoder<E, I> modality, Path outputsFile, EventOf<E> eventOf) throws Exception {
    Path dir = outputsFile.getParent();
    List<String> labels = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("samples.tsv"), StandardCharsets.UTF_8)) {
      if (!line.startsWith("#") && !line.isBlank()) {
        labels.add(line.substring(line.lastIndexOf('\t') + 1));
      }
    }
    int correct = 0;
    int n = 0;
    double maxDiff = 0;
    AvroSerde<E> serde = modality.serde();
    try (ModelPredictor<I> predictor = model.newPredictor()) {
      for (String line : Files.readAllLines(outputsFile, StandardCharsets.UTF_8)) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String[] cells = line.split("\t");
        // Through the wire format too: encode, decode, then the pipeline's own decoder.
        E event = serde.decode(serde.encode(eventOf.make(cells[0], dir)));
        float[] served = predictor.predict(modality.decode(event)).probabilities();
        assertEquals(cells.length - 1, served.length, "scores per sample");
        int best = 0;
        for (int k = 0; k < served.length; k++) {
          maxDiff = Math.max(maxDiff, Math.abs(served[k] - Float.parseFloat(cells[k + 1])));
          best = served[k] > served[best] ? k : best;
        }
        if (model.labels().get(best).equals(labels.get(n))) {
          correct++;
        }
        n++;
      }
    }
    assertTrue(maxDiff <= 1e-5, model.info().getName() + ": served vs trainer max abs diff "
        + maxDiff);
    double accuracy = (double) correct / n;
    assertEquals(ModelCardFigures.read(model.folder().dir()).sampleAccuracyPercent(),
        String.format(Locale.ROOT, "%.2f", 100 * accuracy),
        model.info().getName() + " accuracy on " + n + " committed samples");
  }
}
