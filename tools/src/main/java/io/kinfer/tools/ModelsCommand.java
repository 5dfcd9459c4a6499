package io.kinfer.tools;

import io.kinfer.tools.config.ToolSettings;
import io.kinfer.trainer.ShippedModels;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kinfer models}: builds the shipped models (the trainer module). */
@Command(header = "Train the shipped models, or rebuild the placeholder SavedModels.",
    name = "models", mixinStandardHelpOptions = true,
    description = "Train the shipped models, or rebuild the placeholder SavedModels.",
    subcommands = {ModelsCommand.Train.class, ModelsCommand.Placeholders.class})
final class ModelsCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: train or placeholders");
  }

  @Command(name = "train", mixinStandardHelpOptions = true,
      description = {"Fetch data, train, evaluate on the held-out test split and export to",
          "<models>/<name>/<version>/ with MODEL.md. Data is cached in <cache>/data",
          "(kinfer.cache-dir, else $KINFER_CACHE, else ~/.cache/kinfer)."})
  static final class Train implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", description = "image, audio, text or all")
    String what;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "0",
        description = "epochs (default: each recipe's own)")
    int epochs;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
        description = "use N examples per split: a smoke run, not a real model")
    int limit;

    @Option(names = "--models", paramLabel = "DIR",
        description = "where to export (default: kinfer.models-dir)")
    Path models;

    @Override
    public Integer call() throws Exception {
      if (!ShippedModels.MODELS.contains(what)) {
        throw new picocli.CommandLine.ParameterException(
            new picocli.CommandLine(this), "unknown MODEL '" + what + "'; use image, audio,"
                + " text or all");
      }
      try (ToolSettings settings = ToolSettings.load()) {
        ShippedModels.train(what, epochs, limit, models != null ? models : settings.modelsDir(),
            settings.cacheDir(), System.out);
      }
      return 0;
    }
  }

  @Command(name = "placeholders", mixinStandardHelpOptions = true,
      description = "Rebuild the seeded, untrained placeholder SavedModels.")
  static final class Placeholders implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "target (default: models)")
    Path root = Path.of("models");

    @Override
    public Integer call() throws Exception {
      try (ToolSettings settings = ToolSettings.load()) {
        for (Path dir : ShippedModels.placeholders(root, settings.cacheDir())) {
          System.out.println("wrote " + dir);
        }
      }
      return 0;
    }
  }
}
