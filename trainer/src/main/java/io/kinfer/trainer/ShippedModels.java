package io.kinfer.trainer;

import io.kinfer.models.TensorFlowNatives;
import io.kinfer.trainer.audio.AudioTraining;
import io.kinfer.trainer.image.ImageTraining;
import io.kinfer.trainer.text.TextTraining;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds the shipped models ({@code kinfer models train|placeholders}): fetches data, trains,
 * evaluates on the held-out split and exports {@code <models>/<name>/<version>/} with its card.
 * Data is cached in {@code <cache>/data}.
 */
public final class ShippedModels {

  /** What {@link #train} accepts. */
  public static final List<String> MODELS = List.of("image", "audio", "text", "all");

  private ShippedModels() {}

  /**
   * @param what image, audio, text or all
   * @param epochs 0 for each recipe's own
   * @param limit examples per split, 0 for all (a smoke run when set, not a real model)
   * @param cache where TensorFlow's natives are extracted and data is cached ({@code data/})
   */
  public static void train(String what, int epochs, int limit, Path models, Path cache,
      PrintStream out) throws Exception {
    if (!MODELS.contains(what)) {
      throw new IllegalArgumentException("unknown model '" + what + "'; use one of " + MODELS);
    }
    TensorFlowNatives.engine(cache);
    Path data = cache.resolve("data");
    Path samples = models.resolve("samples");
    if (what.equals("image") || what.equals("all")) {
      ImageTraining.run(data, models, samples, epochs > 0 ? epochs : 15, limit, out);
    }
    if (what.equals("audio") || what.equals("all")) {
      AudioTraining.run(data, models, samples, epochs > 0 ? epochs : 15, limit, out);
    }
    if (what.equals("text") || what.equals("all")) {
      TextTraining.run(data, models, samples, epochs > 0 ? epochs : 8, limit, out);
    }
  }

  /** Rebuilds the seeded, untrained placeholder SavedModels under {@code root}. */
  public static List<Path> placeholders(Path root, Path cache) throws Exception {
    TensorFlowNatives.engine(cache);
    return PlaceholderModels.writeAll(root, 20261128L);
  }
}
