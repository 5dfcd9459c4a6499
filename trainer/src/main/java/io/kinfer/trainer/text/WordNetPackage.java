package io.kinfer.trainer.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds WordNet's {@code data.noun}: the system copy if Debian's {@code wordnet-base} is
 * installed, else a copy unpacked from the package into the cache without root
 * ({@code apt-get download} + {@code dpkg -x}).
 */
final class WordNetPackage {

  static final Path SYSTEM_DATA_NOUN = Path.of("/usr/share/wordnet/data.noun");
  private static final String PACKAGE = "wordnet-base";
  private static final long COMMAND_TIMEOUT_MINUTES = 5;

  private WordNetPackage() {}

  /** {@code data.noun}, fetching the package into {@code textCache} on first use. */
  static Path dataNoun(Path textCache, Consumer<String> progress) {
    if (Files.isReadable(SYSTEM_DATA_NOUN)) {
      progress.accept("using installed " + SYSTEM_DATA_NOUN);
      return SYSTEM_DATA_NOUN;
    }
    Path unpacked = textCache.resolve(PACKAGE);
    Path dataNoun = unpacked.resolve("usr/share/wordnet/data.noun");
    if (Files.isReadable(dataNoun)) {
      progress.accept("using cached " + dataNoun);
      return dataNoun;
    }
    try {
      Files.createDirectories(textCache);
      Path deb = findDeb(textCache);
      if (deb == null) {
        progress.accept("apt-get download " + PACKAGE + " into " + textCache);
        run(textCache, "apt-get", "download", PACKAGE);
        deb = findDeb(textCache);
        if (deb == null) {
          throw new IllegalStateException("apt-get download " + PACKAGE + " succeeded but left no "
              + PACKAGE + "_*.deb in " + textCache + "; download it by hand into that folder");
        }
      }
      // Unpack into a temporary folder first so an interrupted dpkg -x is never taken as done.
      Path partial = textCache.resolve(PACKAGE + ".partial");
      deleteRecursively(partial);
      progress.accept("dpkg -x " + deb.getFileName() + " " + unpacked);
      run(textCache, "dpkg", "-x", deb.toString(), partial.toString());
      deleteRecursively(unpacked);
      Files.move(partial, unpacked);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + PACKAGE + " into " + textCache, e);
    }
    if (!Files.isReadable(dataNoun)) {
      throw new IllegalStateException(PACKAGE + " unpacked into " + unpacked
          + " but has no usr/share/wordnet/data.noun; delete " + textCache + " and retry");
    }
    return dataNoun;
  }

  private static Path findDeb(Path dir) throws IOException {
    // apt-get names the file wordnet-base_1%3a3.0-37_all.deb (epoch colon escaped).
    try (DirectoryStream<Path> debs = Files.newDirectoryStream(dir, PACKAGE + "_*.deb")) {
      for (Path deb : debs) {
        return deb;
      }
    }
    return null;
  }

  private static void run(Path dir, String... command) throws IOException {
    String line = String.join(" ", command);
    // Output goes to a log file, not a pipe, so a stuck command cannot block the timeout.
    Path log = dir.resolve(command[0] + ".log");
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start `" + line + "` (" + e.getMessage()
          + "); on a Debian/Ubuntu machine install " + PACKAGE
          + " (apt-get install " + PACKAGE + ") so that " + SYSTEM_DATA_NOUN + " exists", e);
    }
    try {
      if (!process.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("`" + line + "` in " + dir + " did not finish in "
            + COMMAND_TIMEOUT_MINUTES + " min; check the network and the apt sources");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running `" + line + "`", e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("`" + line + "` in " + dir + " failed (exit "
          + process.exitValue() + "): " + tail(Files.readString(log, StandardCharsets.UTF_8))
          + "; run `apt-get update` (as root) and retry, or install " + PACKAGE);
    }
  }

  private static String tail(String output) {
    String trimmed = output.strip();
    return trimmed.length() <= 500 ? trimmed : "..." + trimmed.substring(trimmed.length() - 500);
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    List<Path> paths = new ArrayList<>();
    try (var walk = Files.walk(root)) {
      walk.forEach(paths::add);
    }
    for (int i = paths.size() - 1; i >= 0; i--) {
      Files.delete(paths.get(i));
    }
  }
}
