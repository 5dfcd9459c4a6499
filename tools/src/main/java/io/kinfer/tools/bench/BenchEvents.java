package io.kinfer.tools.bench;

import io.kinfer.tools.client.EventFiles;
import io.kinfer.schema.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Benchmark events: the committed samples of a modality, repeated, with ids bench-0..n-1. */
public final class BenchEvents {

  private BenchEvents() {}

  public static List<byte[]> encoded(Path modelsDir, String modality, int n) throws IOException {
    Path dir = modelsDir.resolve("samples").resolve(modality);
    List<String> contents = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("samples.tsv"), StandardCharsets.UTF_8)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        contents.add(line.substring(0, line.lastIndexOf('\t')));
      }
    }
    if (contents.isEmpty()) {
      throw new IllegalStateException("no samples in " + dir);
    }
    List<byte[]> events = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String content = contents.get(i % contents.size());
      Envelope envelope = EventFiles.envelope("bench-" + i, "kinfer-bench", Map.of());
      events.add(switch (modality) {
        case "image" -> EventFiles.image(envelope, dir.resolve(content));
        case "audio" -> EventFiles.audio(envelope, dir.resolve(content));
        default -> EventFiles.text(envelope, content);
      });
    }
    return events;
  }
}
