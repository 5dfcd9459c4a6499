package io.kinfer.trainer.image;

import io.kinfer.models.ServingProperties;

import io.kinfer.trainer.train.Evaluation;
import io.kinfer.trainer.train.Examples;
import io.kinfer.trainer.train.ModelCard;
import io.kinfer.trainer.train.SampleSet;
import io.kinfer.trainer.train.SavedModelExport;
import io.kinfer.trainer.train.Subsets;
import io.kinfer.trainer.train.Trainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * {@code kinfer models train image}: Fashion-MNIST → {@link FashionCnn} → models/image-cnn/3,
 * with a model card and 100 held-out test images as PNG samples.
 */
public final class ImageTraining {

  public static final String MODEL = "image-cnn";
  public static final String VERSION = "3";
  static final int SAMPLES = 100;

  private ImageTraining() {}

  /**
   * @param limit examples per split to use (0 = all); a small limit is the smoke test
   * @return test accuracy
   */
  public static double run(Path cacheDir, Path modelsDir, Path samplesDir, int epochs, int limit,
      PrintStream out) throws IOException {
    long started = System.nanoTime();
    out.println("Image model: Fashion-MNIST, CNN (" + MODEL + "/" + VERSION + ")");
    FashionMnist.Splits splits = FashionMnist.load(cacheDir, out::println);
    Examples train = examples(Subsets.limit(splits.train(), limit));
    Examples validation = examples(Subsets.limit(splits.validation(), limit));
    Examples test = examples(Subsets.limit(splits.test(), limit));
    FashionCnn network = new FashionCnn(0.3f);
    Trainer.Settings settings = new Trainer.Settings(epochs, 128, 2e-3f, 5e-5f, 7L);
    Evaluation evaluation;
    Trainer.Result result;
    List<FashionMnist.Image> samples = Subsets.spread(splits.test(), SAMPLES);
    float[][] sampleOutputs;
    try (Trainer trainer = new Trainer(network, FashionMnist.LABELS.size(), settings, out)) {
      result = trainer.fit(train, validation, ImageTraining::augment);
      trainer.restore(result.weights());
      evaluation = Evaluation.of(FashionMnist.LABELS, trainer.predict(test), test.labels());
      sampleOutputs = trainer.predict(examples(samples));
    }
    double sampleAccuracy = Trainer.accuracy(sampleOutputs, examples(samples).labels());
    out.printf("  test accuracy %.2f%% (%d images never used for training or selection)%n",
        100 * evaluation.accuracy(), test.size());
    Path dir = modelsDir.resolve(MODEL).resolve(VERSION);
    SavedModelExport.export(network, result.weights(), dir);
    ModelCard.writeFolderFiles(dir, servingProperties(), FashionMnist.LABELS,
        card(network, settings, result, evaluation, test.size(), dir, limit, sampleAccuracy));
    if (limit == 0 && samplesDir != null) {
      SampleSet.write(samplesDir.resolve("image"), "held-out Fashion-MNIST test images (MIT),"
          + " never used for training or model selection", samples.size(),
          i -> png(samples.get(i)), i -> String.format("fashion-%03d.png", i),
          i -> FashionMnist.LABELS.get(samples.get(i).label()), sampleOutputs);
    }
    out.printf("  wrote %s (%d KiB) in %s%n", dir, ModelCard.sizeKib(dir),
        ModelCard.minutes(java.time.Duration.ofNanos(System.nanoTime() - started)));
    return evaluation.accuracy();
  }

  static Examples examples(List<FashionMnist.Image> images) {
    int[] labels = new int[images.size()];
    float[] pixels = new float[images.size() * 28 * 28];
    for (int i = 0; i < images.size(); i++) {
      labels[i] = images.get(i).label();
      byte[] p = images.get(i).pixels();
      for (int j = 0; j < p.length; j++) {
        pixels[i * 784 + j] = (p[j] & 0xFF) / 255f;
      }
    }
    return new Examples(labels).withFloats(FashionCnn.INPUT, pixels, 28, 28, 1);
  }

  /** Random horizontal flips and shifts of up to 2 pixels: clothes look the same mirrored. */
  static void augment(Map<String, float[]> batch, int n, Random random) {
    float[] x = batch.get(FashionCnn.INPUT);
    float[] image = new float[784];
    for (int b = 0; b < n; b++) {
      boolean flip = random.nextBoolean();
      int dx = random.nextInt(5) - 2;
      int dy = random.nextInt(5) - 2;
      System.arraycopy(x, b * 784, image, 0, 784);
      for (int y = 0; y < 28; y++) {
        for (int c = 0; c < 28; c++) {
          int sx = (flip ? 27 - c : c) - dx;
          int sy = y - dy;
          x[b * 784 + y * 28 + c] = sx < 0 || sx > 27 || sy < 0 || sy > 27 ? 0f
              : image[sy * 28 + sx];
        }
      }
    }
  }

  static String servingProperties() {
    return ServingProperties.image("image", "probabilities",
        new ServingProperties.ImageInput(28, 28, true, false)).render();
  }

  private static String card(FashionCnn network, Trainer.Settings settings, Trainer.Result result,
      Evaluation evaluation, int testSize, Path dir, int limit, double sampleAccuracy)
      throws IOException {
    return """
        # image-cnn %s

        Classifies 28x28 grey clothing images into the 10 Fashion-MNIST classes.

        | | |
        |---|---|
        | test accuracy | **%s** on %,d held-out images (never used for training or model selection)%s |
        | sample accuracy | %s on the %d committed samples (`models/samples/image`, part of the test split) |
        | data | Fashion-MNIST from npm `%s` (MIT licence; Zalando Research's images), 7000 images per class |
        | split | fixed by seed %d: per class 5500 train / 500 validation / 1000 test |
        | architecture | conv 3x3x32, conv 3x3x32, max-pool 2; conv 3x3x64, max-pool 2; dense 128 (dropout 0.3); dense 10; ReLU |
        | parameters | %,d |
        | multiply-adds per example | %,d (%.1f MFLOPs) |
        | training | Adam, batch %d, %d epochs, cosine learning rate %.0e → %.0e, random flips and ±2 px shifts; best epoch by validation accuracy: %d (validation %s) |
        | training time | %s on 2 CPU cores (TF-Java, TensorFlow 2.16.1) |
        | input | `image` [batch, 28, 28, 1] float, grey in [0, 1] (0 = black background, as in Fashion-MNIST) |
        | outputs | `probabilities` [batch, 10] |
        | size | %d KiB |
        | reproduce | `./kinfer models train image` (seeded: same data split, same weights) |

        ## Per-class scores on the test split

        %s
        """.formatted(VERSION, ModelCard.percent(evaluation.accuracy()), testSize,
        limit > 0 ? " — SMOKE RUN on a slice, not a real model" : "",
        ModelCard.percent(sampleAccuracy), SAMPLES, FashionMnist.PACKAGE,
        FashionMnist.SPLIT_SEED, result.parameters(), network.macsPerExample(),
        2 * network.macsPerExample() / 1e6, settings.batchSize(), settings.epochs(),
        settings.learningRate(), settings.finalLearningRate(), result.bestEpoch(),
        ModelCard.percent(result.validationAccuracy().get(result.bestEpoch() - 1)),
        ModelCard.minutes(result.duration()), ModelCard.sizeKib(dir), evaluation.markdown());
  }

  private static byte[] png(FashionMnist.Image image) {
    BufferedImage png = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    png.getRaster().setDataElements(0, 0, 28, 28, image.pixels());
    var bytes = new java.io.ByteArrayOutputStream();
    try {
      ImageIO.write(png, "png", bytes);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
