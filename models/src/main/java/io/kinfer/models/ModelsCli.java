package io.kinfer.models;

import io.kinfer.models.image.ImageTraining;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kinfer models ...}: {@code train image|audio|text|all [--epochs N] [--limit N]} trains
 * and exports the shipped models; {@code placeholders [DIR]} rebuilds the untrained placeholder
 * SavedModels.
 */
public final class ModelsCli {

  static final String USAGE = """
      usage: kinfer models train image|audio|text|all [--epochs N] [--limit N] [--models DIR]
             kinfer models placeholders [DIR]
        train         fetch data, train, evaluate on the held-out test split, export to
                      models/<name>/<version>/ with MODEL.md; --limit N uses N examples per
                      split (a smoke run, not a real model)
        placeholders  rebuild the seeded, untrained placeholder SavedModels (default DIR: models)
      Data is cached in $KINFER_CACHE/data (default ~/.cache/kinfer/data).
      """;

  private ModelsCli() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    if (rest.isEmpty()) {
      System.err.print(USAGE);
      System.exit(2);
    }
    String command = rest.remove(0);
    Path cache = TensorFlowNatives.defaultCacheRoot();
    switch (command) {
      case "placeholders" -> {
        Path root = Path.of(rest.isEmpty() ? "models" : rest.get(0));
        TensorFlowNatives.engine(cache);
        for (Path dir : PlaceholderModels.writeAll(root, 20261128L)) {
          System.out.println("wrote " + dir);
        }
      }
      case "train" -> train(rest, cache);
      default -> {
        System.err.print(USAGE);
        System.exit(2);
      }
    }
  }

  private static void train(List<String> args, Path cache) throws Exception {
    String what = args.isEmpty() ? "all" : args.get(0);
    int epochs = 0;
    int limit = 0;
    Path models = Path.of(System.getProperty("kinfer.models-dir", "models"));
    for (int i = 1; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--epochs" -> epochs = Integer.parseInt(args.get(++i));
        case "--limit" -> limit = Integer.parseInt(args.get(++i));
        case "--models" -> models = Path.of(args.get(++i));
        default -> throw new IllegalArgumentException("unknown option " + args.get(i) + "\n" + USAGE);
      }
    }
    TensorFlowNatives.engine(cache);
    Path data = cache.resolve("data");
    Path samples = models.resolve("samples");
    if (what.equals("image") || what.equals("all")) {
      ImageTraining.run(data, models, samples, epochs > 0 ? epochs : 15, limit, System.out);
    }
    if (what.equals("audio") || what.equals("all")) {
      io.kinfer.models.audio.AudioTraining.run(data, models, samples, epochs > 0 ? epochs : 15,
          limit, System.out);
    }
    if (what.equals("text") || what.equals("all")) {
      io.kinfer.models.text.TextTraining.run(data, models, samples, epochs > 0 ? epochs : 8,
          limit, System.out);
    }
    if (!List.of("image", "audio", "text", "all").contains(what)) {
      throw new IllegalArgumentException("unknown model '" + what + "'\n" + USAGE);
    }
  }
}
