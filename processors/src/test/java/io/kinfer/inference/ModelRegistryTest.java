package io.kinfer.inference;

import io.kinfer.decode.AudioClip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import io.kinfer.Events;
import io.kinfer.TestModels;
import io.kinfer.config.KinferSettings;
import io.kinfer.decode.AudioDecoder;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.models.ModelFolder.ModelFolderException;
import io.kinfer.models.features.LogMel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading real SavedModels through DJL, and the start-up errors a user would meet. */
class ModelRegistryTest {

  @TempDir Path tmp;

  @Test
  void loadsTheShippedModelsOnCpuAndScoresAreProbabilities() throws Exception {
    ServedModel<java.awt.image.BufferedImage> image = TestModels.image();
    assertEquals(Device.cpu(), image.device());
    assertEquals("image-cnn", image.info().getName());
    assertTrue(image.info().getEngine().startsWith("TensorFlow 2.16"));
    try (ModelPredictor<java.awt.image.BufferedImage> predictor = image.newPredictor()) {
      Scores a = predictor.predict(new ImageDecoder().decode(Events.png("a", 1)));
      Scores b = predictor.predict(new ImageDecoder().decode(Events.png("a", 1)));
      assertEquals(10, a.probabilities().length);
      float sum = 0;
      for (float p : a.probabilities()) {
        sum += p;
      }
      assertEquals(1f, sum, 1e-4f);
      assertArrayEquals(a.probabilities(), b.probabilities(), "same input, same scores");
    }
    try (ModelPredictor<String> predictor = TestModels.text().newPredictor()) {
      Scores s = predictor.predict("a plant with green leaves");
      assertEquals(10, s.probabilities().length);
      assertTrue(s.embedding().length >= 32, "the pooled embedding");
    }
  }

  @Test
  void theShippedAudioModelPreparesItsLogMelFramesAheadAndScoresThemTheSame() throws Exception {
    ServedModel<AudioClip> audio = TestModels.audio();
    AudioClip clip = new AudioDecoder().decode(Events.wav("a", 3));
    AudioClip prepared = audio.prepare(clip);
    assertNotNull(prepared.logMel(), "the pipeline computes the frames on its stream thread");
    assertArrayEquals(LogMel.compute(LogMel.fit(clip.samples(), clip.sampleRate())),
        prepared.logMel());
    AudioClip badRate = new AudioClip(clip.samples(), 0);
    assertSame(badRate, audio.prepare(badRate), "left to the predict call, which reports it");
    try (ModelPredictor<AudioClip> predictor = audio.newPredictor()) {
      assertArrayEquals(predictor.predict(clip).probabilities(),
          predictor.predict(prepared).probabilities());
    }
  }

  @Test
  void aMissingModelFolderNamesTheFolderAndWhatExists() {
    var error = assertThrows(ModelFolderException.class,
        () -> TestModels.registry().load("no-such-model", null, "cpu", new ImageDecoder()));
    assertTrue(error.getMessage().contains("no-such-model"), error.getMessage());
    assertTrue(error.getMessage().contains("image-cnn"), "lists what is there");
  }

  @Test
  void aModalityMismatchFailsFast() {
    var error = assertThrows(ModelFolderException.class,
        () -> TestModels.registry().load("image-cnn", null, "cpu", new AudioDecoder()));
    assertTrue(error.getMessage().contains("modality=image"), error.getMessage());
  }

  @Test
  void aWrongInputNameIsCaughtBeforeServing() throws IOException {
    Path copy = copyModel("image-cnn");
    Path props = copy.resolve("serving.properties");
    Files.writeString(props, Files.readString(props).replace("inputName=image",
        "inputName=pixels"));
    var error = assertThrows(ModelFolderException.class,
        () -> registry().load("image-cnn", null, "cpu", new ImageDecoder()));
    assertTrue(error.getMessage().contains("inputName=pixels"), error.getMessage());
    assertTrue(error.getMessage().contains("its inputs are [image float32"),
        "names the real inputs");
  }

  @Test
  void labelsThatDoNotMatchTheOutputFailFast() throws IOException {
    Path copy = copyModel("image-cnn");
    Files.writeString(copy.resolve("synset.txt"), "only\ntwo\n");
    var error = assertThrows(ModelFolderException.class,
        () -> registry().load("image-cnn", null, "cpu", new ImageDecoder()));
    assertTrue(error.getMessage().contains("2 labels"), error.getMessage());
  }

  @Test
  void anUnknownOrMissingGpuIsAClearError() {
    var engine = TestModels.registry().engine();
    assertEquals(Device.cpu(), DeviceChoice.resolve("cpu", engine));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> DeviceChoice.resolve("tpu", engine)).getMessage().contains("auto, cpu, gpu"));
    if (engine.getGpuCount() == 0) {
      assertEquals(Device.cpu(), DeviceChoice.resolve("auto", engine));
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> DeviceChoice.resolve("gpu:0", engine)).getMessage().contains("0 GPU"));
    } else {
      assertEquals(Device.gpu(0), DeviceChoice.resolve("auto", engine));
    }
  }

  private ModelRegistry registry() {
    KinferSettings settings = new KinferSettings();
    settings.setModelsDir(tmp.toString());
    return new ModelRegistry(settings);
  }

  /** Copies the served version of a shipped model into the temp models folder. */
  private Path copyModel(String name) throws IOException {
    String version = io.kinfer.models.ModelFolder.open(TestModels.MODELS_DIR, name, null)
        .version();
    Path source = TestModels.MODELS_DIR.resolve(name).resolve(version);
    Path target = tmp.resolve(name).resolve(version);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path to = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return target;
  }
}
