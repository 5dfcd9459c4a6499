package io.kinfer.trainer.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Writes a committed sample set: {@code samples.tsv} (content<TAB>label; content is a file next
 * to it, or the text itself when no bytes are given) and {@code trainer-outputs.tsv}, the
 * trainer's own probabilities for each sample, against which the served model is checked.
 */
public final class SampleSet {

  private SampleSet() {}

  /**
   * @param bytes the file content of sample i, or null for text samples (content = the text)
   */
  public static void write(Path dir, String description, int count, IntFunction<byte[]> bytes,
      IntFunction<String> content, IntFunction<String> label, float[][] trainerOutputs)
      throws IOException {
    Files.createDirectories(dir);
    List<String> index = new ArrayList<>(List.of("# content<TAB>label: " + description));
    List<String> outputs = new ArrayList<>(List.of("# content<TAB>probabilities in synset"
        + " order, as computed by the trainer's graph"));
    for (int i = 0; i < count; i++) {
      String name = content.apply(i);
      byte[] data = bytes == null ? null : bytes.apply(i);
      if (data != null) {
        Files.write(dir.resolve(name), data);
      }
      index.add(name + "\t" + label.apply(i));
      StringBuilder line = new StringBuilder(name);
      for (float p : trainerOutputs[i]) {
        line.append('\t').append(String.format(Locale.ROOT, "%.8e", p));
      }
      outputs.add(line.toString());
    }
    Files.write(dir.resolve("samples.tsv"), index, StandardCharsets.UTF_8);
    Files.write(dir.resolve("trainer-outputs.tsv"), outputs, StandardCharsets.UTF_8);
  }
}
