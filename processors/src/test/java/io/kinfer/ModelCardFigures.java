package io.kinfer;

import io.kinfer.models.ModelFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Figures a shipped model's MODEL.md states, for tests that check them. */
public record ModelCardFigures(Path path, String sampleAccuracyPercent) {

  private static final Map<String, String> MODELS = Map.of("image", "image-cnn",
      "audio", "audio-rnn", "text", "text-transformer");

  /** The served (highest) version of a modality's shipped model. */
  public static ModelCardFigures of(Path modelsDir, String modality) throws IOException {
    return read(ModelFolder.open(modelsDir, MODELS.get(modality), null).dir());
  }

  public static ModelCardFigures read(Path modelDir) throws IOException {
    Path card = modelDir.resolve("MODEL.md");
    Matcher m = Pattern.compile("\\| sample accuracy \\| ([0-9.]+)%").matcher(Files.readString(card));
    if (!m.find()) {
      throw new AssertionError(card + " does not state the sample accuracy");
    }
    return new ModelCardFigures(card, m.group(1));
  }
}
