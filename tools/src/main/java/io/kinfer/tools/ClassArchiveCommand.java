package io.kinfer.tools;

import io.kinfer.service.KinferService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code kinfer class-archive} (hidden; the launcher runs it once per build, in an empty
 * environment so that no configured Kafka is reached): starts the whole service as {@code run}
 * does, on the embedded broker with free ports and temporary folders, until every pipeline
 * runs, then stops and deletes the folders. Run under {@code -XX:ArchiveClassesAtExit}, the JVM then writes the classes a
 * start loads into a class-data archive, and later starts map them instead of loading and
 * verifying them again (README, "Start-up").
 */
@Command(name = "class-archive", hidden = true, mixinStandardHelpOptions = true,
    description = "Start the service once on free ports and stop it (for a class-data archive).")
final class ClassArchiveCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    Path scratch = Files.createTempDirectory("kinfer-class-archive-");
    try {
      System.setProperty("kinfer.embedded.port", "0");
      System.setProperty("kinfer.embedded.data-dir", scratch.resolve("kafka").toString());
      System.setProperty("kinfer.state-dir", scratch.resolve("state").toString());
      System.setProperty("micronaut.server.port", "-1");
      try (KinferService service = KinferService.startWithOwnContext()) {
        if (!service.embeddedBroker()) {
          throw new IllegalStateException("a Kafka is configured; the class-data archive is"
              + " made on the embedded broker only");
        }
        service.awaitRunning(Duration.ofMinutes(2));
        service.startup().ifPresent(t -> System.out.println(t.describe()));
      }
      return 0;
    } finally {
      try (Stream<Path> walk = Files.walk(scratch)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
