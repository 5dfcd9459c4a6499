package io.kinfer;

import io.kinfer.config.KinferSettings;
import io.kinfer.decode.AudioDecoder;
import io.kinfer.decode.ImageDecoder;
import io.kinfer.decode.TextDecoder;
import io.kinfer.decode.AudioClip;
import io.kinfer.inference.ModelRegistry;
import io.kinfer.inference.ServedModel;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shipped model folders, loaded once per test JVM through the real runtime (DJL +
 * TensorFlow). Tests share them the way stream threads do: one model, a predictor each.
 */
public final class TestModels {

  public static final Path MODELS_DIR = locateModels();
  private static ModelRegistry registry;
  private static ServedModel<BufferedImage> image;
  private static ServedModel<AudioClip> audio;
  private static ServedModel<String> text;

  private TestModels() {}

  public static synchronized ModelRegistry registry() {
    if (registry == null) {
      KinferSettings settings = new KinferSettings();
      settings.setModelsDir(MODELS_DIR.toString());
      registry = new ModelRegistry(settings);
    }
    return registry;
  }

  public static synchronized ServedModel<BufferedImage> image() {
    if (image == null) {
      image = registry().load("image-cnn", null, "cpu", new ImageDecoder());
    }
    return image;
  }

  public static synchronized ServedModel<AudioClip> audio() {
    if (audio == null) {
      audio = registry().load("audio-rnn", null, "cpu", new AudioDecoder());
    }
    return audio;
  }

  public static synchronized ServedModel<String> text() {
    if (text == null) {
      text = registry().load("text-transformer", null, "cpu", new TextDecoder());
    }
    return text;
  }

  private static Path locateModels() {
    for (Path candidate : new Path[] {Path.of("../models"), Path.of("models")}) {
      if (Files.isDirectory(candidate.resolve("image-cnn"))) {
        return candidate.toAbsolutePath().normalize();
      }
    }
    throw new IllegalStateException("cannot find the models/ folder from "
        + Path.of("").toAbsolutePath());
  }
}
