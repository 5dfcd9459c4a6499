package io.kinfer.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.models.TensorFlowNatives;
import io.kinfer.trainer.audio.KeywordLstm;
import io.kinfer.trainer.image.FashionCnn;
import io.kinfer.trainer.text.TextTransformer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The trainer on small synthetic tasks, so it cannot rot without the real datasets: the shipped
 * architectures learn (validation accuracy well above chance), and the exported clean SavedModel
 * computes exactly what the training graph computes.
 */
class TrainerSmokeTest {

  @TempDir Path tmp;

  @BeforeAll
  static void engine() {
    TensorFlowNatives.engine(TensorFlowNatives.defaultCacheRoot());
  }

  @Test
  void cnnLearnsStripesAndItsExportMatchesTheTrainer() throws Exception {
    Examples train = stripes(600, 1);
    Examples validation = stripes(200, 2);
    Trained t = trainAndExport(new FashionCnn(0.3f), 10,
        new Trainer.Settings(2, 32, 2e-3f, 1e-4f, 3L), train, validation, "cnn");
    assertTrue(t.validationAccuracy() > 0.9, "stripes are easy: " + t.validationAccuracy());
    float[][] trained = t.outputs();
    try (SavedModelBundle bundle = SavedModelBundle.load(t.dir().toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(validation.size(), 28, 28, 1),
            DataBuffers.of(validation.floats("image"), true, false));
        var out = bundle.function("serving_default").call(Map.of("image", input))) {
      assertMaxDiff(trained, (TFloat32) out.get("probabilities").orElseThrow());
    }
  }

  @Test
  void transformerLearnsWhichTokenDecidesAndExportsItsEmbedding() throws Exception {
    int length = 12;
    Examples train = tokens(800, length, 4);
    Examples validation = tokens(200, length, 5);
    Trained t = trainAndExport(new TextTransformer(50, length, 32, 2, 64, 2, 10, 0.1f), 10,
        new Trainer.Settings(4, 32, 3e-3f, 1e-4f, 5L), train, validation, "transformer");
    assertTrue(t.validationAccuracy() > 0.5, "chance is 0.1: " + t.validationAccuracy());
    float[][] trained = t.outputs();
    try (SavedModelBundle bundle = SavedModelBundle.load(t.dir().toString(), "serve");
        TInt64 ids = TInt64.tensorOf(Shape.of(validation.size(), length),
            DataBuffers.of(longs(validation, length), true, false));
        var out = bundle.function("serving_default").call(Map.of("input_ids", ids))) {
      assertMaxDiff(trained, (TFloat32) out.get("probabilities").orElseThrow());
      Tensor embedding = out.get("embedding").orElseThrow();
      assertEquals(Shape.of(validation.size(), 32), embedding.shape());
    }
  }

  @Test
  void keywordLstmLearnsWhichBandRingsAndItsExportMatchesTheTrainer() throws Exception {
    int frames = 20;
    int mels = 8;
    Examples train = bands(600, frames, mels, 6);
    Examples validation = bands(200, frames, mels, 7);
    Trained t = trainAndExport(new KeywordLstm(frames, mels, 6, 16, 4, 0.1f), 4,
        new Trainer.Settings(4, 32, 5e-3f, 1e-4f, 7L), train, validation, "keywords");
    assertTrue(t.validationAccuracy() > 0.6, "chance is 0.25: " + t.validationAccuracy());
    float[][] trained = t.outputs();
    try (SavedModelBundle bundle = SavedModelBundle.load(t.dir().toString(), "serve");
        TFloat32 input = TFloat32.tensorOf(Shape.of(validation.size(), frames, mels),
            DataBuffers.of(validation.floats("features"), true, false));
        var out = bundle.function("serving_default").call(Map.of("features", input))) {
      assertMaxDiff(trained, (TFloat32) out.get("probabilities").orElseThrow());
    }
  }

  @Test
  void trainingTwiceWithOneSeedGivesTheSameWeightsBitForBit() {
    // Updates used to race with the backward ops that read the weights, so runs of one seed
    // differed (the keyword model by up to 3 points on its test set).
    int frames = 20;
    int mels = 8;
    Examples train = bands(600, frames, mels, 8);
    Examples validation = bands(100, frames, mels, 9);
    Map<String, float[]> first = trainedWeights(frames, mels, train, validation);
    Map<String, float[]> second = trainedWeights(frames, mels, train, validation);
    assertEquals(first.keySet(), second.keySet());
    first.forEach((name, values) -> assertArrayEquals(values, second.get(name), name));
  }

  private Map<String, float[]> trainedWeights(int frames, int mels, Examples train,
      Examples validation) {
    try (Trainer trainer = new Trainer(new KeywordLstm(frames, mels, 6, 16, 4, 0.1f), 4,
        new Trainer.Settings(3, 32, 5e-3f, 1e-4f, 11L), quiet())) {
      return trainer.fit(train, validation, null).weights();
    }
  }

  /** A trained network's best validation accuracy, its outputs on validation, its export. */
  private record Trained(double validationAccuracy, float[][] outputs, Path dir) {}

  private Trained trainAndExport(Network network, int classes, Trainer.Settings settings,
      Examples train, Examples validation, String name) throws Exception {
    Trainer.Result result;
    float[][] outputs;
    try (Trainer trainer = new Trainer(network, classes, settings, quiet())) {
      result = trainer.fit(train, validation, null);
      trainer.restore(result.weights());
      outputs = trainer.predict(validation);
    }
    Path dir = tmp.resolve(name);
    SavedModelExport.export(network, result.weights(), dir);
    return new Trained(result.validationAccuracy().get(result.bestEpoch() - 1), outputs, dir);
  }

  /** Class k: mel bands 2k and 2k+1 loud in a random run of frames, plus noise. */
  private static Examples bands(int n, int frames, int mels, long seed) {
    Random random = new Random(seed);
    int[] labels = new int[n];
    float[] features = new float[n * frames * mels];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(4);
      int from = random.nextInt(frames - 6);
      for (int f = 0; f < frames; f++) {
        for (int m = 0; m < mels; m++) {
          boolean loud = f >= from && f < from + 6 && m / 2 == labels[i];
          features[(i * frames + f) * mels + m] = (loud ? 2f : 0f)
              + (float) random.nextGaussian() * 0.3f;
        }
      }
    }
    return new Examples(labels).withFloats("features", features, frames, mels);
  }

  /** Class k: a stripe at row 2k+4 (rows of two pixels), plus noise. */
  private static Examples stripes(int n, long seed) {
    Random random = new Random(seed);
    int[] labels = new int[n];
    float[] pixels = new float[n * 784];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(10);
      for (int p = 0; p < 784; p++) {
        pixels[i * 784 + p] = random.nextFloat() * 0.2f;
      }
      int row = 2 * labels[i] + 4;
      for (int c = 0; c < 28; c++) {
        pixels[i * 784 + row * 28 + c] = 1f;
      }
    }
    return new Examples(labels).withFloats("image", pixels, 28, 28, 1);
  }

  /** Random tokens 11..49 with padding; the label is set by which marker (1..10) appears. */
  private static Examples tokens(int n, int length, long seed) {
    Random random = new Random(seed);
    int[] labels = new int[n];
    long[] ids = new long[n * length];
    for (int i = 0; i < n; i++) {
      labels[i] = random.nextInt(10);
      int used = 4 + random.nextInt(length - 4);
      for (int t = 0; t < used; t++) {
        ids[i * length + t] = 11 + random.nextInt(39);
      }
      ids[i * length + random.nextInt(used)] = 1 + labels[i];
    }
    return new Examples(labels).withLongs("input_ids", ids, length);
  }

  private static long[] longs(Examples examples, int length) {
    // Rebuild the flat ids from a batch of all examples.
    int[] order = new int[examples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    try (TInt64 all = (TInt64) examples.batch(order, 0, order.length).get("input_ids")) {
      long[] out = new long[examples.size() * length];
      all.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  private static void assertMaxDiff(float[][] expected, TFloat32 actual) {
    float[] flat = Trainer.toArray(actual);
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      for (int k = 0; k < expected[i].length; k++) {
        max = Math.max(max, Math.abs(expected[i][k] - flat[i * expected[i].length + k]));
      }
    }
    assertTrue(max <= 1e-5, "exported vs trainer max abs diff " + max);
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
  }
}
