package io.kinfer.trainer.audio;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The offline speech synthesizers behind the keyword data: espeak-ng (formant synthesis, many
 * voices and variants), festival's "ked" diphone voice (one American speaker, concatenated
 * from real recordings), three female festival voices of other languages and eight English
 * {@link #RECORDED_VOICES} (MBROLA, RHVoice, SVOX Pico) are the training speakers; five more
 * festival voices of other languages are the development speakers, on
 * which the trainer picks its epoch; flite's voices (CMU's diphone and clustergen voices, other
 * speakers) are the unseen test speakers. All write 16-bit mono WAV.
 */
final class SpeechSynthesizers {

  /** The programs the keyword data needs, each from the Debian package of the same name. */
  static final List<String> PROGRAMS = List.of("espeak-ng", "flite", "festival");
  /** A festival voice ({@code (voice_NAME)}), in a Debian package festival does not pull in. */
  record FestivalVoice(String name, String language, String debianPackage) {
    Path dir() {
      return Path.of("/usr/share/festival/voices", language, name);
    }
  }

  /** festival's American English diphone voice: one male speaker, none of the test voices. */
  static final FestivalVoice KED = new FestivalVoice("ked_diphone", "english", "festvox-kdlpc16k");
  /**
   * Female voices of other languages (Debian has no other English voice that is not a test
   * speaker), saying the keywords respelled for their own letter-to-sound rules
   * ({@link KeywordData}): female vocal tracts, and in ona's case a statistical-parametric
   * (HTS) vocoder like flite's clustergen voices.
   */
  static final List<FestivalVoice> ACCENT_VOICES = List.of(
      new FestivalVoice("lp_diphone", "italian", "festvox-italp16k"),
      new FestivalVoice("suo_fi_lj_diphone", "finnish", "festvox-suopuhe-lj"),
      new FestivalVoice("upc_ca_ona_hts", "catalan", "festvox-ca-ona-hts"));

  /**
   * Voices that neither train nor test the model: the development split, on which the trainer
   * picks its epoch, so that it picks for speakers and synthesizers it has not heard (a Czech
   * woman, a Czech boy and man, a Finnish man and an Italian man, saying respelled keywords).
   */
  static final List<FestivalVoice> DEVELOPMENT_VOICES = List.of(
      new FestivalVoice("czech_dita", "czech", "festvox-czech-dita"),
      new FestivalVoice("czech_krb", "czech", "festvox-czech-krb"),
      new FestivalVoice("czech_ph", "czech", "festvox-czech-ph"),
      new FestivalVoice("hy_fi_mv_diphone", "finnish", "festvox-suopuhe-mv"),
      new FestivalVoice("pc_diphone", "italian", "festvox-itapc16k"));

  /** The synthesizer programs behind the {@link RecordedVoice}s. */
  enum Engine { MBROLA, RHVOICE, PICO }

  /**
   * An English voice made from recordings of one real speaker who is none of the test speakers,
   * with a synthesizer of its own; {@code id} is the engine's name for it.
   *
   * @param files what must exist once its Debian packages are installed
   */
  record RecordedVoice(String id, Engine engine, String files, List<String> debianPackages) {

    String speaker() {
      return engine.name().toLowerCase(Locale.ROOT) + " " + id;
    }

    /**
     * The command that writes {@code text} to {@code wav} at {@code speed} and {@code pitch}
     * times each engine's default setting (RHVoice reads the text from stdin). For RHVoice and
     * Pico that default is the voice's own pitch; espeak-ng's {@code -p 50} is MBROLA's, and
     * its {@code -p} moves an MBROLA voice little (30 to 70: about ±8%, measured).
     */
    List<String> command(String text, double speed, double pitch, Path wav) {
      return switch (engine) {
        case MBROLA -> List.of("espeak-ng", "-v", id, "-s", Long.toString(Math.round(175 * speed)),
            "-p", Long.toString(Math.round(50 * pitch)), "-w", wav.toString(), text);
        case RHVOICE -> List.of("RHVoice-test", "-p", id, "-r",
            Long.toString(Math.round(100 * speed)), "-t", Long.toString(Math.round(100 * pitch)),
            "-o", wav.toString());
        case PICO -> List.of("pico2wave", "-l", id, "-w", wav.toString(), String.format(
            Locale.ROOT, "<speed level='%d'><pitch level='%d'>%s</pitch></speed>",
            Math.round(100 * speed), Math.round(100 * pitch), text));
      };
    }
  }

  /**
   * Training voices from recordings of real English speakers (Debian's contrib and non-free
   * components): MBROLA's diphone voices us1 (an American woman), us2 and us3 (American men) and
   * en1 (a British man), spoken through espeak-ng; RHVoice's statistical-parametric voices bdl
   * and clb (an American man and woman of the CMU ARCTIC recordings; RHVoice's alan and slt are
   * ARCTIC's awb and slt, test speakers, and are not used); SVOX Pico's American and British
   * women.
   */
  static final List<RecordedVoice> RECORDED_VOICES = List.of(
      mbrola("us1"), mbrola("us2"), mbrola("us3"), mbrola("en1"),
      rhvoice("bdl"), rhvoice("clb"),
      new RecordedVoice("en-US", Engine.PICO, "/usr/share/pico/lang/en-US_ta.bin",
          List.of("libttspico-utils")),
      new RecordedVoice("en-GB", Engine.PICO, "/usr/share/pico/lang/en-GB_ta.bin",
          List.of("libttspico-utils")));

  private static RecordedVoice mbrola(String name) {
    return new RecordedVoice("mb-" + name, Engine.MBROLA, "/usr/share/mbrola/" + name + "/" + name,
        List.of("mbrola", "mbrola-" + name));
  }

  private static RecordedVoice rhvoice(String name) {
    return new RecordedVoice(name, Engine.RHVOICE, "/usr/share/RHVoice/voices/" + name,
        List.of("rhvoice", "rhvoice-english"));
  }

  /** espeak-ng's eight English voices that speak without mbrola (ENVIRONMENT.md). */
  static final List<String> ESPEAK_VOICES = List.of("en-gb", "en-us", "en-gb-scotland",
      "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc");
  /** flite's full-vocabulary 16 kHz voices (kal is 8 kHz, awb_time speaks only times). */
  static final List<String> FLITE_VOICES = List.of("kal16", "awb", "rms", "slt");

  /** The file column of {@code espeak-ng --voices=variant}; some names hold spaces. */
  private static final Pattern VARIANT_FILE = Pattern.compile("!v/(.+?)\\s*$");

  private SpeechSynthesizers() {}

  /** espeak-ng's voice variants (the {@code +name} suffixes), sorted by name. */
  static List<String> espeakVariants() {
    Result result = run(List.of("espeak-ng", "--voices=variant"));
    TreeSet<String> variants = new TreeSet<>();
    for (String line : result.text().split("\n")) {
      Matcher m = VARIANT_FILE.matcher(line);
      if (m.find()) {
        variants.add(m.group(1));
      }
    }
    if (result.exit() != 0 || variants.isEmpty()) {
      throw new IllegalStateException("'espeak-ng --voices=variant' listed no variants (exit "
          + result.exit() + "): " + tail(result.text())
          + "; reinstall espeak-ng (apt-get install --reinstall espeak-ng espeak-ng-data)");
    }
    return List.copyOf(variants);
  }

  /** Fails unless flite offers every voice of {@link #FLITE_VOICES}. */
  static void requireFliteVoices() {
    Result result = run(List.of("flite", "-lv"));
    List<String> listed = List.of(result.text().replace("Voices available:", "").trim()
        .split("\\s+"));
    List<String> absent = FLITE_VOICES.stream().filter(v -> !listed.contains(v)).toList();
    if (!absent.isEmpty()) {
      throw new IllegalStateException("'flite -lv' lacks voices " + absent + " (it lists "
          + listed + "); install Debian's flite package, which builds them in");
    }
  }

  static List<String> espeak(String voice, String variant, int wordsPerMinute, int pitch,
      String text) {
    return List.of("espeak-ng", "-v", voice + "+" + variant, "-s", Integer.toString(
        wordsPerMinute), "-p", Integer.toString(pitch), "--stdout", text);
  }

  static List<String> flite(String voice, double durationStretch, String text) {
    return List.of("flite", "-voice", voice, "--setf", String.format(Locale.ROOT,
        "duration_stretch=%.2f", durationStretch), "-t", text, "-o", "/dev/stdout");
  }

  /**
   * One word for festival: the voice ({@link FestivalVoice#name}), its speed and its
   * intonation's pitch, mean and spread (Hz; diphone voices follow them, HTS voices make their
   * own).
   */
  record FestivalLine(String voice, String text, double durationStretch, int f0Mean,
      int f0Std) {

    FestivalLine atNormalSpeed() {
      return new FestivalLine(voice, text, 1.0, f0Mean, f0Std);
    }
  }

  /** Lines per festival process: a crash (see {@link #festival}) costs at most this many. */
  private static final int LINES_PER_RUN = 250;

  /**
   * Renders every line with festival processes of up to {@value #LINES_PER_RUN} lines each
   * (starting festival costs a quarter second, a word a few milliseconds), through scripts of
   * {@code utt.save.wave} calls into a temporary folder, deleted afterwards. Festival 2.5's
   * diphone voices crash (SIGSEGV) on a few short words said fast, such as "ap?" at 0.78x
   * duration: a line festival crashes on is said again at normal speed, alone, and the run
   * goes on after it. So the same lines always give the same clips.
   */
  static List<Speech> festival(List<FestivalLine> lines) {
    List<Speech> speech = new ArrayList<>(lines.size());
    while (speech.size() < lines.size()) {
      List<FestivalLine> run = lines.subList(speech.size(),
          Math.min(lines.size(), speech.size() + LINES_PER_RUN));
      List<Speech> said = festivalRun(run);
      speech.addAll(said);
      if (said.size() < run.size()) {
        FestivalLine crashed = run.get(said.size());
        List<Speech> retried = festivalRun(List.of(crashed.atNormalSpeed()));
        if (retried.isEmpty()) {
          throw new IllegalStateException("festival crashed saying \"" + crashed.text()
              + "\" with voice " + crashed.voice() + ", also at normal speed; check 'echo "
              + crashed.text() + " | text2wave -eval \"(voice_" + crashed.voice()
              + ")\" -o /tmp/hello.wav'");
        }
        speech.addAll(retried);
      }
    }
    return speech;
  }

  /** The lines festival said, in order, until it finished or crashed. */
  private static List<Speech> festivalRun(List<FestivalLine> lines) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("kinfer-festival");
      StringBuilder script = new StringBuilder();
      String voice = null;
      for (int i = 0; i < lines.size(); i++) {
        FestivalLine line = lines.get(i);
        if (!line.voice().equals(voice)) {
          voice = line.voice();
          script.append("(voice_").append(voice).append(")\n");
        }
        script.append(String.format(Locale.ROOT, "(Parameter.set 'Duration_Stretch %.3f)%n"
            + "(set! int_lr_params '((target_f0_mean %d) (target_f0_std %d) (model_f0_mean 170)"
            + " (model_f0_std 34)))%n(utt.save.wave (utt.synth (Utterance Text \"%s\")) \"%s\""
            + " 'riff)%n", line.durationStretch(), line.f0Mean(), line.f0Std(),
            line.text().replace("\"", ""), dir.resolve(i + ".wav")));
      }
      Path scriptFile = dir.resolve("lines.scm");
      Files.writeString(scriptFile, script);
      List<String> command = List.of("festival", "-b", scriptFile.toString());
      Result result = run(command);
      List<Speech> speech = new ArrayList<>(lines.size());
      for (int i = 0; i < lines.size(); i++) {
        Path wav = dir.resolve(i + ".wav");
        if (!Files.isRegularFile(wav)) {
          if (result.exit() == 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' did not say \""
                + lines.get(i).text() + "\": " + tail(result.text()) + "; check 'echo hello |"
                + " text2wave -eval \"(voice_" + lines.get(i).voice() + ")\" -o /tmp/hello.wav'");
          }
          break;
        }
        speech.add(Speech.fromWav(Files.readAllBytes(wav), "festival " + lines.get(i).voice()));
      }
      return speech;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run festival in a temporary folder", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }

  /** One word for a {@link RecordedVoice}, at a speed and pitch relative to the voice's own. */
  record RecordedLine(RecordedVoice voice, String text, double speed, double pitch) {}

  /**
   * Renders every line, one synthesizer process each, through a temporary folder, telling
   * {@code progress} every 1,000 lines.
   */
  static List<Speech> recorded(List<RecordedLine> lines, Consumer<String> progress) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("kinfer-voices");
      Path wav = dir.resolve("word.wav");
      List<Speech> speech = new ArrayList<>(lines.size());
      for (RecordedLine line : lines) {
        Files.deleteIfExists(wav);
        List<String> command = line.voice().command(line.text(), line.speed(), line.pitch(), wav);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
          if (line.voice().engine() == Engine.RHVOICE) {
            stdin.write(line.text().getBytes(StandardCharsets.UTF_8));
          }
        }
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 || !Files.isRegularFile(wav)) {
          throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit "
              + exit + "): " + tail(text) + "; check that " + String.join(" and ",
              line.voice().debianPackages()) + " are installed");
        }
        speech.add(Speech.fromWav(Files.readAllBytes(wav), line.voice().speaker()));
        if (speech.size() % 1000 == 0 || speech.size() == lines.size()) {
          progress.accept("rendering recorded-voice words " + speech.size() + "/" + lines.size());
        }
      }
      return speech;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run a speech synthesizer in a temporary folder", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while synthesizing speech", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** Runs a synthesizer command and decodes the WAV it writes to stdout. */
  static Speech render(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      byte[] wav = process.getInputStream().readAllBytes();
      String errors = new String(process.getErrorStream().readAllBytes(),
          StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit "
            + exit + "): " + tail(errors));
      }
      return Speech.fromWav(wav, String.join(" ", command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run '" + String.join(" ", command) + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  /** Mono samples in [-1, 1] at their native rate. */
  record Speech(float[] samples, int sampleRate) {

    /** Decodes a 16-bit mono PCM WAV; a streamed header's bogus data size is ignored. */
    static Speech fromWav(byte[] wav, String source) {
      ByteBuffer in = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
      if (wav.length < 12 || in.getInt(0) != 0x46464952 || in.getInt(8) != 0x45564157) {
        throw new IllegalStateException("'" + source + "' wrote " + wav.length
            + " bytes that are not a RIFF/WAVE file");
      }
      int sampleRate = 0;
      int at = 12;
      while (at + 8 <= wav.length) {
        int id = in.getInt(at);
        long size = Integer.toUnsignedLong(in.getInt(at + 4));
        if (id == 0x20746d66 /* "fmt " */) {
          int format = in.getShort(at + 8);
          int channels = in.getShort(at + 10);
          int bits = in.getShort(at + 22);
          if (format != 1 || channels != 1 || bits != 16) {
            throw new IllegalStateException("'" + source + "' wrote WAV format " + format
                + ", " + channels + " channels, " + bits + " bits; expected 16-bit mono PCM");
          }
          sampleRate = in.getInt(at + 12);
        } else if (id == 0x61746164 /* "data" */ && sampleRate > 0) {
          int count = (int) (Math.min(size, wav.length - at - 8L) / 2);
          float[] samples = new float[count];
          for (int i = 0; i < count; i++) {
            samples[i] = in.getShort(at + 8 + 2 * i) / 32768f;
          }
          return new Speech(samples, sampleRate);
        }
        at += 8 + (int) Math.min(size + (size & 1), wav.length);
      }
      throw new IllegalStateException("'" + source + "' wrote a WAV without fmt and data chunks");
    }
  }

  record Result(int exit, String text) {}

  static Result run(List<String> command) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Process process = builder.start();
      process.getOutputStream().close();
      String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Result(process.waitFor(), text);
    } catch (IOException e) {
      return new Result(-1, "cannot start " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  static String tail(String text) {
    String trimmed = text.strip();
    return trimmed.length() <= 300 ? trimmed : "..." + trimmed.substring(trimmed.length() - 300);
  }
}
