package io.kinfer.models;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A model version on disk: {@code <modelsDir>/<name>/<version>/} holding a TensorFlow SavedModel,
 * a DJL {@code serving.properties} ({@link ServingProperties}), the labels ({@code synset.txt})
 * and, for text, a Hugging Face {@code tokenizer.json}. {@link #open} checks all of it and says
 * what is wrong and what to do.
 */
public record ModelFolder(String name, String version, Path dir, ServingProperties serving,
    List<String> labels) {

  /** Opens a pinned version, or the highest numeric version when {@code version} is null. */
  public static ModelFolder open(Path modelsDir, String name, String version) {
    Path modelDir = modelsDir.resolve(name);
    if (!Files.isDirectory(modelDir)) {
      throw new ModelFolderException("model folder " + modelDir + " does not exist; available"
          + " models in " + modelsDir.toAbsolutePath() + ": " + list(modelsDir)
          + ". Set kinfer.models-dir or the pipeline's model.");
    }
    String chosen = version != null ? version : highestVersion(modelDir);
    Path dir = modelDir.resolve(chosen);
    if (!Files.isDirectory(dir)) {
      throw new ModelFolderException("model folder " + dir + " does not exist; versions of "
          + name + ": " + list(modelDir));
    }
    require(dir, "saved_model.pb", "export the model with tf.saved_model.save or remove the folder");
    if (!Files.isDirectory(dir.resolve("variables"))) {
      throw new ModelFolderException("model folder " + dir + " has no variables/ folder; export"
          + " the whole SavedModel (saved_model.pb and variables/)");
    }
    require(dir, ServingProperties.FILE, "add one with engine=TensorFlow,"
        + " modality=image|audio|text, inputName and outputName (see README, bring your own"
        + " model)");
    Path file = dir.resolve(ServingProperties.FILE);
    ServingProperties serving = ServingProperties.parse(readProperties(file), file);
    require(dir, serving.synsetFileName(),
        "write one label per line, in the order of the model's output");
    List<String> labels = readLines(dir.resolve(serving.synsetFileName()));
    if (labels.isEmpty()) {
      throw new ModelFolderException(dir.resolve(serving.synsetFileName())
          + " is empty; write one label per line");
    }
    if (serving.modality().equals("text")) {
      require(dir, serving.text().tokenizer(),
          "text models need a Hugging Face tokenizer.json next to the SavedModel");
    }
    return new ModelFolder(name, chosen, dir, serving, List.copyOf(labels));
  }

  public String modality() {
    return serving.modality();
  }

  static String highestVersion(Path modelDir) {
    try (Stream<Path> children = Files.list(modelDir)) {
      Optional<Path> best = children.filter(Files::isDirectory)
          .filter(p -> p.getFileName().toString().matches("\\d+"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString())));
      return best.map(p -> p.getFileName().toString()).orElseThrow(() -> new ModelFolderException(
          "model folder " + modelDir + " has no numeric version folder (e.g. " + modelDir
              + "/1/ holding saved_model.pb)"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void require(Path dir, String file, String advice) {
    if (!Files.isRegularFile(dir.resolve(file))) {
      throw new ModelFolderException("model folder " + dir + " has no " + file + "; " + advice);
    }
  }

  private static List<String> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A properties file's keys and trimmed values. */
  public static Map<String, String> readProperties(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> map = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> map.put(k, properties.getProperty(k).trim()));
    return map;
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
          .filter(s -> !s.isEmpty()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** A model folder that cannot be served, with what to do about it. */
  public static final class ModelFolderException extends RuntimeException {
    public ModelFolderException(String message) {
      super(message);
    }
  }
}
