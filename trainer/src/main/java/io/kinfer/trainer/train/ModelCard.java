package io.kinfer.trainer.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a model folder's MODEL.md, serving.properties and synset.txt. */
public final class ModelCard {

  private ModelCard() {}

  public static void writeFolderFiles(Path dir, String servingProperties, List<String> labels,
      String card) throws IOException {
    Files.writeString(dir.resolve("serving.properties"), servingProperties);
    Files.write(dir.resolve("synset.txt"), labels, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("MODEL.md"), card);
  }

  public static String minutes(java.time.Duration d) {
    return String.format(Locale.ROOT, "%d min %02d s", d.toMinutes(), d.toSecondsPart());
  }

  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
  }

  /** Size on disk of a folder in KiB. */
  public static long sizeKib(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1024;
    }
  }
}
