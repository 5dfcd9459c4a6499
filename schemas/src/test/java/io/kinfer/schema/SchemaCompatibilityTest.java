package io.kinfer.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * Every published schema version must stay readable by the current schema (backward
 * compatibility: consumers upgrade first), and the current schema must stay readable by the
 * published one (forward: old consumers keep reading new producers). New fields need defaults.
 *
 * <p>On a release, copy {@code src/main/avro} to {@code src/test/resources/published/vN}.
 */
class SchemaCompatibilityTest {

  private static final Path CURRENT = Path.of("src/main/avro");
  private static final Path PUBLISHED = Path.of("src/test/resources/published");

  @Test
  void everyPublishedVersionStaysCompatibleBothWays() throws IOException {
    Map<String, Schema> current = parseFolder(CURRENT);
    List<Path> versions;
    try (Stream<Path> s = Files.list(PUBLISHED)) {
      versions = s.filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(!versions.isEmpty(), "no published schema versions under " + PUBLISHED);
    List<String> problems = new ArrayList<>();
    for (Path version : versions) {
      Map<String, Schema> published = parseFolder(version);
      published.forEach((name, old) -> {
        Schema now = current.get(name);
        if (now == null) {
          problems.add(version.getFileName() + "/" + name + " was removed");
          return;
        }
        check(problems, "backward", version, name, now, old);
        check(problems, "forward", version, name, old, now);
      });
    }
    assertEquals(List.of(), problems, "schema changes break compatibility");
  }

  @Test
  void everyCurrentSchemaIsPublished() throws IOException {
    Map<String, Schema> current = parseFolder(CURRENT);
    Path newest;
    try (Stream<Path> s = Files.list(PUBLISHED)) {
      newest = s.filter(Files::isDirectory).max(Path::compareTo).orElseThrow();
    }
    assertEquals(current.keySet(), parseFolder(newest).keySet(),
        "a schema was added or renamed: copy src/main/avro to " + PUBLISHED + "/vN");
  }

  private static void check(List<String> problems, String direction, Path version, String name,
      Schema reader, Schema writer) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
      problems.add(direction + " " + version.getFileName() + "/" + name + ": "
          + result.getResult().getIncompatibilities());
    }
  }

  /** Parses a folder of .avsc files; Envelope first because the others refer to it. */
  static Map<String, Schema> parseFolder(Path folder) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(folder)) {
      files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
    }
    files.sort((a, b) -> Boolean.compare(
        !a.getFileName().toString().equals("Envelope.avsc"),
        !b.getFileName().toString().equals("Envelope.avsc")));
    Schema.Parser parser = new Schema.Parser();
    Map<String, Schema> schemas = new TreeMap<>();
    for (Path file : files) {
      Schema schema = parser.parse(file.toFile());
      schemas.put(schema.getName(), schema);
    }
    return schemas;
  }
}
