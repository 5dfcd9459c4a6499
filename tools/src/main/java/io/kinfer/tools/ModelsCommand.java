package io.kinfer.tools;

import io.kinfer.inference.ModelInspection;
import io.kinfer.models.TensorFlowNatives;
import io.kinfer.tools.config.ToolSettings;
import io.kinfer.tools.tfjs.TfjsImport;
import io.kinfer.trainer.ShippedModels;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kinfer models}: inspects a SavedModel against its serving.properties, and builds the
 * shipped models (the trainer module).
 */
@Command(header = "Inspect a SavedModel, train the shipped models, rebuild the placeholders.",
    name = "models", mixinStandardHelpOptions = true,
    description = "Inspect a SavedModel, train the shipped models, or rebuild the placeholder"
        + " SavedModels.",
    subcommands = {ModelsCommand.Inspect.class, ModelsCommand.ImportTfjs.class,
        ModelsCommand.Train.class, ModelsCommand.Placeholders.class})
final class ModelsCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: inspect, import-tfjs, train or placeholders");
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true,
      description = {"Print a SavedModel's signatures (names, dtypes, shapes) and check the",
          "folder's serving.properties against the one it serves: every mismatch names the",
          "key to change (exit 1). Without serving.properties, propose one to complete.",
          "DIR: a version folder (holding saved_model.pb) or a model folder (its highest",
          "version)."})
  static final class Inspect implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "the SavedModel's folder")
    Path dir;

    @Override
    public Integer call() {
      try (ToolSettings settings = ToolSettings.load()) {
        TensorFlowNatives.engine(settings.cacheDir());
        return ModelInspection.of(dir).print(System.out);
      }
    }
  }

  @Command(name = "import-tfjs", mixinStandardHelpOptions = true,
      description = {"Turn a TensorFlow.js graph model (model.json and its .bin weight shards)",
          "into a SavedModel folder: DIR (e.g. models/emotion/1) gets saved_model.pb,",
          "variables/, MODEL.md (source and licence, from the npm package holding it) and,",
          "with --labels, synset.txt; then it is inspected and a serving.properties proposed."})
  static final class ImportTfjs implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL_JSON", description = "the graph model's JSON")
    Path modelJson;

    @Parameters(index = "1", paramLabel = "DIR", description = "the new version folder")
    Path dir;

    @Option(names = "--labels", paramLabel = "FILE",
        description = "labels, one per line in output order: copied to synset.txt")
    Path labels;

    @Override
    public Integer call() throws Exception {
      try (ToolSettings settings = ToolSettings.load()) {
        TensorFlowNatives.engine(settings.cacheDir());
        TfjsImport.Imported imported = TfjsImport.toSavedModel(modelJson, dir);
        java.nio.file.Files.writeString(dir.resolve("MODEL.md"),
            TfjsImport.modelCard(modelJson, imported));
        if (labels != null) {
          java.nio.file.Files.copy(labels, dir.resolve("synset.txt"));
        }
        System.out.println("wrote " + dir + " (inputs " + imported.inputs() + ", outputs "
            + imported.outputs() + ")");
        return ModelInspection.of(dir).print(System.out);
      }
    }
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
