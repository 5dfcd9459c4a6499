package io.kinfer.inference;

import io.kinfer.decode.AudioClip;

import io.kinfer.models.ServingProperties;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslatorContext;
import io.kinfer.TestModels;
import java.awt.image.BufferedImage;
import java.lang.reflect.Proxy;
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
