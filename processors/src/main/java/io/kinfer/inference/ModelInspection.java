package io.kinfer.inference;

import io.kinfer.inference.ModelSignature.Tensor;
import io.kinfer.models.ModelFolder;
import io.kinfer.models.ModelFolder.ModelFolderException;
import io.kinfer.models.ServingProperties;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code ./kinfer models inspect DIR} reports: a SavedModel's signatures (names, dtypes,
 * shapes), whether the folder's {@code serving.properties} fits the one it serves (every
 * mismatch naming the key to change), and, when there is none, a proposed
 * {@code serving.properties} for the user to complete.
 *
 * @param dir the version folder inspected
 * @param signatures every signature, by key
 * @param hasServingProperties whether the folder has a serving.properties
 * @param problems why the folder cannot be served as it is; empty when it can
 * @param proposal a serving.properties to start from, or null when the folder has one
 */
public record ModelInspection(Path dir, Map<String, ModelSignature> signatures,
    boolean hasServingProperties, List<String> problems, String proposal) {

  /**
   * Inspects a version folder (holding saved_model.pb), or a model folder's highest version.
   * TensorFlow must be loaded (see {@link ModelRegistry#engine()}).
   */
  public static ModelInspection of(Path dir) {
    Path version = versionFolder(dir);
    Path file = version.resolve(ServingProperties.FILE);
    boolean configured = Files.isRegularFile(file);
    String tags = "serve";
    if (configured) {
      try {
        tags = ServingProperties.parse(ModelFolder.readProperties(file), file).tags();
      } catch (ModelFolderException e) {
        // reported below, with the signatures
      }
    }
    Map<String, ModelSignature> signatures = ModelSignature.read(version, tags);
    if (!configured) {
      return new ModelInspection(version, signatures, false, List.of(),
          ServingProposal.of(signatures));
    }
    List<String> problems = new ArrayList<>();
    try {
      Path model = version.toAbsolutePath().normalize().getParent();
      ModelFolder folder = ModelFolder.open(model.getParent(), model.getFileName().toString(),
          version.getFileName().toString());
      ModelSignature signature = signatures.get(folder.serving().signature());
      if (signature == null) {
        problems.add("option.SignatureDefKey=" + folder.serving().signature()
            + " names no signature; the SavedModel has " + signatures.keySet());
      } else {
        problems.addAll(SignatureCheck.problems(folder.serving(), signature,
            folder.labels().size()));
      }
    } catch (ModelFolderException e) {
      problems.add(e.getMessage());
    }
    return new ModelInspection(version, signatures, true, problems, null);
  }

  /** Prints the report; returns the exit status (1 when the folder cannot be served). */
  public int print(PrintStream out) {
    out.println("SavedModel " + dir.toAbsolutePath().normalize());
    signatures.forEach((key, signature) -> {
      out.println("  signature " + key + ":");
      signature.inputs().forEach(t -> out.println(line("input", t)));
      signature.outputs().forEach(t -> out.println(line("output", t)));
    });
    if (!hasServingProperties) {
      out.println("No " + ServingProperties.FILE + " yet. A proposal to check and complete"
          + " (write it to " + dir.resolve(ServingProperties.FILE) + "):");
      out.println();
      out.print(proposal);
      return 0;
    }
    if (problems.isEmpty()) {
      out.println(ServingProperties.FILE + " fits the signature it serves.");
      return 0;
    }
    out.println(ServingProperties.FILE + " does not fit:");
    problems.forEach(p -> out.println("  - " + p));
    return 1;
  }

  private static String line(String kind, Tensor t) {
    return String.format(Locale.ROOT, "    %-6s %-24s %-8s %s", kind, t.name(), t.dtype(),
        t.shape() == null ? "[unknown rank]" : t.shape());
  }

  private static Path versionFolder(Path dir) {
    if (Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      return dir;
    }
    try (Stream<Path> children = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
      return children.filter(p -> p.getFileName().toString().matches("\\d+"))
          .filter(p -> Files.isRegularFile(p.resolve("saved_model.pb")))
          .max((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()),
              Long.parseLong(b.getFileName().toString())))
          .orElseThrow(() -> new ModelFolderException(dir + " holds no saved_model.pb, nor"
              + " version folders (1/, 2/, ...) that do; point inspect at a SavedModel"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
