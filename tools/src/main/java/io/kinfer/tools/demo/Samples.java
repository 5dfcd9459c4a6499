package io.kinfer.tools.demo;

import io.kinfer.tools.client.EventFiles;
import io.kinfer.schema.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The committed held-out samples of a modality: {@code models/samples/<modality>/samples.tsv},
 * one {@code content<TAB>label} line each, content being a file next to it (image, audio) or
 * the text itself.
 */
record Samples(String modality, List<Sample> items) {

  /** One sample: its event id, expected label, and the encoded Avro event. */
  record Sample(String eventId, String label, byte[] event) {}

  static Samples load(Path samplesDir, String modality, String runId) {
    Path dir = samplesDir.resolve(modality);
    Path index = dir.resolve("samples.tsv");
    if (!Files.isRegularFile(index)) {
      return new Samples(modality, List.of());
    }
    try {
      List<Sample> items = new ArrayList<>();
      int n = 0;
      for (String line : Files.readAllLines(index, StandardCharsets.UTF_8)) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int tab = line.lastIndexOf('\t');
        String content = line.substring(0, tab);
        String label = line.substring(tab + 1);
        String id = String.format("%s-%s-%03d", runId, modality, n++);
        Envelope envelope = EventFiles.envelope(id, "kinfer-demo",
            Map.of("expected", label, "sample", content.length() > 60 ? "text" : content));
        byte[] event = switch (modality) {
          case "image" -> EventFiles.image(envelope, dir.resolve(content));
          case "audio" -> EventFiles.audio(envelope, dir.resolve(content));
          default -> EventFiles.text(envelope, content);
        };
        items.add(new Sample(id, label, event));
      }
      return new Samples(modality, items);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read samples in " + dir, e);
    }
  }
}
