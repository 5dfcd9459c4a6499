package io.kinfer.models;

import java.nio.file.Path;
import java.util.List;

/** {@code kinfer models placeholders [DIR]}: (re)builds the placeholder SavedModels. */
public final class ModelsCli {

  private ModelsCli() {}

  public static void main(String[] args) throws Exception {
    List<String> rest = List.of(args);
    if (rest.isEmpty() || !rest.get(0).equals("placeholders")) {
      System.err.println("usage: kinfer models placeholders [DIR]   (default DIR: models)");
      System.exit(2);
    }
    Path root = Path.of(rest.size() > 1 ? rest.get(1) : "models");
    TensorFlowNatives.engine(TensorFlowNatives.defaultCacheRoot());
    for (Path dir : PlaceholderModels.writeAll(root, 20261128L)) {
      System.out.println("wrote " + dir);
    }
  }
}
