package io.kinfer.trainer.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Installs the speech synthesizers and voices the keyword data is made with, through apt-get,
 * unless they are there already.
 */
final class VoiceInstaller {

  private VoiceInstaller() {}

  /**
   * Installs espeak-ng, flite, festival, its voices and the {@link SpeechSynthesizers#RECORDED_VOICES} with
   * apt-get unless already there (adding Debian's contrib and non-free components to apt's
   * sources for the recorded voices if no source offers them).
   */
  static void ensureInstalled(Consumer<String> progress) {
    List<String> missing = new ArrayList<>(SpeechSynthesizers.PROGRAMS.stream().filter(p -> !SpeechSynthesizers.onPath(p)).toList());
    festivalVoices().stream().filter(v -> !Files.isDirectory(v.dir()))
        .forEach(v -> missing.add(v.debianPackage()));
    List<String> recorded = recordedVoicesMissing();
    if (missing.isEmpty() && recorded.isEmpty()) {
      return;
    }
    if (!recorded.isEmpty()) {
      addContribAndNonFree(progress);
      missing.addAll(recorded);
    }
    progress.accept("installing " + String.join(" ", missing) + " with apt-get");
    List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y"));
    install.addAll(missing);
    SpeechSynthesizers.Result result = SpeechSynthesizers.run(install);
    if (result.exit() != 0) {
      progress.accept("apt-get install failed; running apt-get update and retrying");
      SpeechSynthesizers.run(List.of("apt-get", "update"));
      result = SpeechSynthesizers.run(install);
    }
    if (result.exit() != 0 || !SpeechSynthesizers.PROGRAMS.stream().allMatch(SpeechSynthesizers::onPath)
        || !festivalVoices().stream().allMatch(v -> Files.isDirectory(v.dir()))
        || !recordedVoicesMissing().isEmpty()) {
      throw new IllegalStateException("the keyword data is synthesized with "
          + String.join(" and ", missing) + ", which are not on PATH, and '"
          + String.join(" ", install) + "' failed (exit " + result.exit() + "): "
          + SpeechSynthesizers.tail(result.text()) + "; install them as root (apt-get install -y "
          + String.join(" ", missing) + (recorded.isEmpty() ? "" : "; the mbrola, rhvoice and"
          + " pico packages need Debian's contrib and non-free components in apt's sources")
          + ") or copy a generated cache folder into place");
    }
  }

  /** The Debian packages of {@link SpeechSynthesizers#RECORDED_VOICES} whose files are not there. */
  private static List<String> recordedVoicesMissing() {
    return SpeechSynthesizers.RECORDED_VOICES.stream().filter(v -> !Files.exists(Path.of(v.files())))
        .flatMap(v -> v.debianPackages().stream()).distinct().toList();
  }

  /** Where apt finds Debian's contrib and non-free components if its sources lack them. */
  private static final Path VOICE_SOURCES = Path.of("/etc/apt/sources.list.d/kinfer-voices.sources");

  /**
   * Adds Debian's contrib and non-free components of this release to apt's sources (the
   * recorded voices live there; many images list only main), unless apt already offers one of
   * their packages, and updates apt's package lists.
   */
  private static void addContribAndNonFree(Consumer<String> progress) {
    if (!SpeechSynthesizers.run(List.of("apt-cache", "madison", "libttspico-utils")).text().isBlank()) {
      return; // some source already offers a version of it
    }
    String release = "bookworm";
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("VERSION_CODENAME=") && line.length() > 17) {
          release = line.substring(17).replace("\"", "").trim();
        }
      }
      progress.accept("adding Debian's contrib and non-free components (" + release
          + ") to apt's sources in " + VOICE_SOURCES);
      Files.writeString(VOICE_SOURCES, """
          # Added by kinfer's keyword data: the recorded English voices (mbrola-*, rhvoice-english,
          # libttspico-utils) are in Debian's contrib and non-free components.
          Types: deb
          URIs: http://deb.debian.org/debian
          Suites: %s
          Components: contrib non-free
          Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
          """.formatted(release));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + VOICE_SOURCES + " to add Debian's contrib"
          + " and non-free components (run as root, or install " + String.join(" ",
          recordedVoicesMissing()) + " yourself)", e);
    }
    SpeechSynthesizers.run(List.of("apt-get", "update"));
  }

  private static List<SpeechSynthesizers.FestivalVoice> festivalVoices() {
    List<SpeechSynthesizers.FestivalVoice> voices = new ArrayList<>(SpeechSynthesizers.ACCENT_VOICES);
    voices.add(0, SpeechSynthesizers.KED);
    voices.addAll(SpeechSynthesizers.DEVELOPMENT_VOICES);
    return voices;
  }
}
