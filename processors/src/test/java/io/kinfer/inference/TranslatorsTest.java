package io.kinfer.inference;

import io.kinfer.decode.AudioClip;

import io.kinfer.models.ServingProperties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import io.kinfer.TestModels;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pre-processing: what each translator hands the engine. */
class TranslatorsTest {

  @Test
  void imageIsResizedToTheModelSizeScaledAndNamed() {
    TestModels.registry().engine();
    BufferedImage white = new BufferedImage(56, 56, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 56; y++) {
      for (int x = 0; x < 56; x++) {
        white.getRaster().setSample(x, y, 0, 255);
      }
    }
    try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
      NDList list = new ImageTranslator(serving(Map.of("modality", "image",
          "inputName", "image", "width", "28", "height", "28"))).processInput(context(manager), white);
      assertEquals("image", list.get(0).getName());
      assertEquals(new Shape(28, 28, 1), list.get(0).getShape());
      assertEquals(1f, list.get(0).toFloatArray()[100], 1e-6);
      NDList inverted = new ImageTranslator(serving(Map.of("modality", "image",
          "inputName", "image", "invert", "true")))
          .processInput(context(manager), white);
      assertEquals(0f, inverted.get(0).toFloatArray()[0], 1e-6);
    }
  }

  /**
   * A batch is one array, equal to DJL's default of stacking each image's own array, for every
   * dtype and layout: RGB in a channels-first float input with mean and std, raw uint8 and
   * int32 in BGR.
   */
  @Test
  void aBatchIsOneArrayEqualToTheImagesStacked() {
    TestModels.registry().engine();
    java.util.Random random = new java.util.Random(7);
    List<BufferedImage> images = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      BufferedImage image = new BufferedImage(5 + i, 4, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          image.setRGB(x, y, random.nextInt(0x1000000));
        }
      }
      images.add(image);
    }
    List<Map<String, String>> inputs = List.of(
        Map.of("channels", "rgb", "layout", "nchw", "mean", "0.485,0.456,0.406",
            "std", "0.229,0.224,0.225"),
        Map.of("channels", "bgr", "dtype", "uint8"),
        Map.of("channels", "bgr", "dtype", "int32", "invert", "true"));
    try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
      for (Map<String, String> input : inputs) {
        Map<String, String> props = new java.util.HashMap<>(input);
        props.putAll(Map.of("modality", "image", "inputName", "pixels", "width", "4",
            "height", "4"));
        ImageTranslator translator = new ImageTranslator(serving(props));
        NDArray batch = translator.batchProcessInput(context(manager), images).get(0);
        NDArray stacked = ai.djl.translate.Batchifier.STACK.batchify(images.stream()
            .map(image -> translator.processInput(context(manager), image))
            .toArray(NDList[]::new)).get(0);
        assertEquals("pixels", batch.getName(), input.toString());
        assertEquals(stacked.getShape(), batch.getShape(), input.toString());
        assertEquals(3, batch.getShape().get(0));
        assertEquals(stacked.getDataType(), batch.getDataType(), input.toString());
        assertArrayEquals(stacked.toByteArray(), batch.toByteArray(), input.toString());
      }
    }
  }

  /**
   * Each float input value is the formula of {@code serving.properties} applied to the
   * pixel's own sample, read here the plain way (one {@code getRGB} or {@code getSample} per
   * pixel): grey, RGB and BGR, either layout, inverted, another range, per-channel mean and std.
   */
  @Test
  void floatInputsAreTheFormulaAppliedToEachPixelsSample() {
    TestModels.registry().engine();
    java.util.Random random = new java.util.Random(11);
    BufferedImage grey = new BufferedImage(6, 5, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage rgb = new BufferedImage(6, 5, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 6; x++) {
        grey.getRaster().setSample(x, y, 0, random.nextInt(256));
        rgb.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    List<Map<String, String>> inputs = List.of(
        Map.of("channels", "grey", "invert", "true"),
        Map.of("channels", "rgb", "layout", "nchw", "mean", "0.485,0.456,0.406",
            "std", "0.229,0.224,0.225"),
        Map.of("channels", "bgr", "range", "-1,1"));
    try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
      for (Map<String, String> input : inputs) {
        Map<String, String> props = new java.util.HashMap<>(input);
        props.putAll(Map.of("modality", "image", "inputName", "pixels", "width", "6",
            "height", "5"));
        ServingProperties.ImageInput spec = serving(props).image();
        int channels = spec.channelCount();
        BufferedImage image = channels == 1 ? grey : rgb;
        float[] actual = new ImageTranslator(serving(props))
            .batchProcessInput(context(manager), List.of(image, image)).get(0).toFloatArray();
        float low = spec.range().get(0);
        float span = spec.range().get(1) - low;
        for (int c = 0; c < channels; c++) {
          float mean = spec.mean().get(spec.mean().size() == 1 ? 0 : c);
          float std = spec.std().get(spec.std().size() == 1 ? 0 : c);
          for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 6; x++) {
              int source = spec.channels().equals("bgr") ? 2 - c : c;
              int v = channels == 1 ? grey.getRaster().getSample(x, y, 0)
                  : (rgb.getRGB(x, y) >> (16 - 8 * source)) & 0xFF;
              int raw = spec.invert() ? 255 - v : v;
              float expected = (raw / 255f * span + low - mean) / std;
              int p = y * 6 + x;
              int at = spec.layout().equals("nchw") ? c * 30 + p : p * channels + c;
              assertEquals(expected, actual[at], 0f, input + " channel " + c + " at " + x + ","
                  + y);
              assertEquals(expected, actual[30 * channels + at], 0f, "the second image");
            }
          }
        }
      }
    }
  }

  /**
   * A batch's outputs are read once, each record's scores and embedding equal to reading its
   * own slice (DJL's default: the outputs split into an array per record), softmax applied.
   */
  @Test
  void aBatchsOutputsAreReadOnceLikeEachRecordsOwn() throws Exception {
    TestModels.registry().engine();
    try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
      ImageTranslator translator = new ImageTranslator(serving(Map.of("modality", "image",
          "inputName", "pixels", "outputName", "logits", "embeddingName", "features",
          "activation", "softmax")));
      NDArray logits = manager.create(new float[] {1, 2, 3, 4, -1, 0, 1, 2, 5, 5, 5, 5},
          new Shape(3, 4));
      logits.setName("logits");
      NDArray features = manager.create(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f},
          new Shape(3, 2));
      features.setName("features");
      NDList outputs = new NDList(logits, features);
      List<Scores> batch = translator.batchProcessOutput(context(manager), outputs);
      NDList[] split = ai.djl.translate.Batchifier.STACK.unbatchify(outputs);
      assertEquals(3, batch.size());
      for (int r = 0; r < 3; r++) {
        Scores own = translator.processOutput(context(manager), split[r]);
        assertArrayEquals(own.probabilities(), batch.get(r).probabilities(), 1e-7f);
        assertArrayEquals(own.embedding(), batch.get(r).embedding(), 1e-7f);
      }
      assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, batch.get(2).probabilities(),
          1e-6f);
    }
  }

  @Test
  void audioIsResampledThenPaddedOrTrimmed() {
    TestModels.registry().engine();
    try (NDManager manager = NDManager.newBaseManager("TensorFlow")) {
      AudioTranslator translator = new AudioTranslator(serving(Map.of("modality", "audio",
          "inputName", "audio", "sampleRate", "16000", "samples", "8")));
      // 8 kHz -> 16 kHz: every second sample interpolated; 3 input samples cover 6 of 8.
      float[] out = translator.processInput(context(manager),
          new AudioClip(new float[] {0f, 1f, 0f}, 8000)).get(0).toFloatArray();
      assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.5f, 0f, 0f, 0f, 0f}, out, 1e-6f);
      float[] trimmed = translator.processInput(context(manager),
          new AudioClip(new float[32], 16000)).get(0).toFloatArray();
      assertEquals(8, trimmed.length);
      // Preparing keeps only what the model reads: the fixed-length clip at its rate.
      AudioClip prepared = translator.prepare(new AudioClip(new float[] {0f, 1f, 0f}, 8000));
      assertEquals(16000, prepared.sampleRate());
      assertArrayEquals(new float[] {0f, 0.5f, 1f, 0.5f, 0f, 0f, 0f, 0f}, prepared.samples(),
          1e-6f);
      assertSame(prepared, translator.prepare(prepared), "prepared once: nothing more to do");
    }
  }

  @Test
  void textIsTokenizedWithTheModelsTokenizerJson() {
    var folder = io.kinfer.models.ModelFolder.open(TestModels.MODELS_DIR, "text-transformer",
        null);
    int maxLength = folder.serving().text().maxLength();
    try (TextTranslator translator = new TextTranslator(folder.dir(), folder.serving())) {
      long[] ids = translator.tokenize("A dog, a CAT and a zyzzyva");
      assertEquals(maxLength, ids.length, "padded to maxLength");
      assertEquals(2, ids[0], "[CLS] first");
      assertEquals(0, ids[maxLength - 1], "[PAD] is 0");
      assertTrue(java.util.Arrays.stream(ids).allMatch(id -> id >= 0), "valid ids");
      assertTrue(java.util.Arrays.equals(ids, translator.tokenize("a dog, a cat and a zyzzyva")),
          "lower-cased before lookup");
      assertEquals(maxLength, translator.tokenize("word ".repeat(200)).length, "truncated");
    }
  }

  private static ServingProperties serving(Map<String, String> values) {
    return ServingProperties.parse(Map.of("outputName", "probabilities").entrySet().stream()
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
            (a, b) -> a, () -> new java.util.HashMap<>(values))), "test");
  }

  private static TranslatorContext context(NDManager manager) {
    return (TranslatorContext) Proxy.newProxyInstance(TranslatorContext.class.getClassLoader(),
        new Class<?>[] {TranslatorContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("getNDManager")) {
            return manager;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }
}
