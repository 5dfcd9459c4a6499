package io.kinfer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What ships as the service holds nothing that builds models or drives the service: neither its
 * runtime classpath (as Maven resolves it) nor its runnable jar has trainer, dataset, speech,
 * bench, chaos or command-line classes.
 */
class ServiceContentsTest {

  private static final Path PROCESSORS = Path.of("../processors/target");
  private static final List<String> FORBIDDEN = List.of("io/kinfer/trainer/", "io/kinfer/tools/",
      "picocli/");

  @Test
  void theServiceRuntimeClasspathHasNoTrainerOrToolModule() throws IOException {
    Path listing = PROCESSORS.resolve("runtime-classpath.txt");
    assertTrue(Files.isRegularFile(listing), listing + " is written when processors compiles;"
        + " run the reactor build (./mvnw verify)");
    List<String> entries = Arrays.asList(Files.readString(listing).trim()
        .split(File.pathSeparator));
    assertTrue(entries.size() > 20, "a real classpath: " + entries);
    assertTrue(entries.stream().anyMatch(e -> e.contains("kinfer-model-format")),
        "the service reads models through the model-format module: " + entries);
    List<String> offending = entries.stream().filter(e -> e.contains("kinfer-trainer")
        || e.contains("kinfer-tools") || e.contains("picocli")).toList();
    assertEquals(List.of(), offending);
  }

  @Test
  void theServiceJarHasNoTrainerOrToolClasses() throws IOException {
    Path jar = PROCESSORS.resolve("kinfer.jar");
    assertTrue(Files.isRegularFile(jar), jar + " is built by the processors module's package"
        + " phase; run the reactor build (./mvnw verify)");
    try (JarFile file = new JarFile(jar.toFile())) {
      List<String> names = file.stream().map(e -> e.getName()).toList();
      assertTrue(names.contains("io/kinfer/service/ServiceMain.class"), "the service is in it");
      assertTrue(names.contains("io/kinfer/models/ServingProperties.class"),
          "the model format is in it");
      List<String> offending = names.stream()
          .filter(n -> FORBIDDEN.stream().anyMatch(n::startsWith)).limit(5).toList();
      assertEquals(List.of(), offending);
      assertEquals("io.kinfer.service.ServiceMain",
          file.getManifest().getMainAttributes().getValue("Main-Class"));
    }
  }
}
