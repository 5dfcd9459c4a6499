package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

import io.kinfer.trainer.audio.SpeechSynthesizers.Speech;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The keyword-spotting data, synthesized offline: ten keywords, {@code _silence_} and
 * {@code _unknown_} (50 other words, a few of them near misses such as "town" or "lift").
 *
 * <ul>
 *   <li><b>train</b>: espeak-ng, 8 English voices x 4/5 of its voice variants, random speed
 *       (120-220 words/min), pitch (20-80) and final punctuation (which changes intonation);
 *       500 clips per class; plus festival's ked diphone voice (recorded human diphones, a
 *       third synthesis method) at random speed and intonation, 500 clips per spoken class;
 *       plus three female festival voices of other languages (Italian, Finnish, Catalan)
 *       saying respelled keywords, 150 clips per spoken class each; plus eight English voices
 *       made from recordings of real speakers ({@link SpeechSynthesizers#RECORDED_VOICES}:
 *       MBROLA, RHVoice, SVOX Pico) at random speed and pitch, 120 clips per spoken class each.
 *       70% of the spoken words get a random voice-source colouring ({@link SourceColour}).
 *   <li><b>validation</b>: the same, 100 clips per class, from the other 1/5 of the variants:
 *       no speaker is shared with train.
 *   <li><b>development</b>: five festival voices of neither train nor test (Czech, Finnish and
 *       Italian; a woman, a boy and three men) saying respelled keywords, 20 clips per spoken
 *       class each, 100 of silence; the trainer picks its epoch on this split.
 *   <li><b>test</b>: flite voices kal16, awb, rms, slt at five speeds, 80 clips per class; never
 *       used for training or selection.
 * </ul>
 *
 * <p>Background noise is generated white, pink or brown: 5-30 dB SNR (10% of clips clean) in train
 * and validation, 10-30 dB (20% clean) in development and test. Every word is placed in a longer
 * noisy recording and cut back to one second by {@link LogMel#fit}'s centring (see
 * {@link Augmentation}). The splits are generated once (about ten minutes, mostly on one core;
 * the RHVoice words take longest) into {@code <cacheDir>/audio/keywords-v6/} (930 MB of 16-bit
 * PCM) and read from there afterwards in about a second; fixed seeds make every generation
 * identical on the same synthesizer versions.
 */
public final class KeywordData {

  public static final List<String> LABELS = List.of("yes", "no", "up", "down", "left", "right",
      "on", "off", "stop", "go", "_silence_", "_unknown_");

  /** Names the cache folder; change it whenever generation changes. */
  public static final String VERSION = "keywords-v6";

  static final int TRAIN_PER_CLASS = 500;
  /** Extra training clips per spoken class from festival's ked voice (none for silence). */
  static final int FESTIVAL_PER_CLASS = 500;
  /** Extra training clips per spoken class from each of the three accent voices. */
  static final int ACCENT_PER_CLASS = 150;
  /** Extra training clips per spoken class from each recorded English voice. */
  static final int RECORDED_PER_CLASS = 120;
  static final int VALIDATION_PER_CLASS = 100;
  static final int TEST_PER_CLASS = 80;
  /** Development clips per spoken class and voice (5 voices); silence: 5 times as many. */
  static final int DEVELOPMENT_PER_CLASS = 20;

  static final List<String> UNKNOWN_WORDS = List.of("bed", "bird", "cat", "dog", "eight",
      "five", "four", "happy", "house", "marvin", "nine", "one", "seven", "sheila", "six",
      "three", "tree", "two", "wow", "zero", "learn", "follow", "forward", "backward", "visual",
      "apple", "water", "green", "little", "people", "number", "sister", "table", "window",
      "yellow", "morning", "answer", "music", "paper", "river", "orange", "rabbit", "money",
      "summer", "winter", "light", "town", "yet", "lift", "often");

  private static final int KEYWORDS = 10;
  private static final int SILENCE = LABELS.indexOf("_silence_");
  private static final int UNKNOWN = LABELS.indexOf("_unknown_");
  private static final List<String> ENDINGS = List.of("", ".", "?", "!");
  private static final List<Double> FLITE_STRETCHES = List.of(0.8, 0.9, 1.0, 1.15, 1.3);
  /** Every fifth espeak-ng variant (sorted by name) speaks only in validation. */
  private static final int VALIDATION_VARIANT_EVERY = 5;
  private static final List<String> SPLITS =
      List.of("train", "validation", "development", "test");

  private KeywordData() {}

  /**
   * The four splits, from {@code <cacheDir>/audio/keywords-v6/} when generated before, else
   * synthesized now (installing espeak-ng, flite, festival and the voices with apt-get if
   * missing, adding Debian's contrib and non-free components for the recorded voices) and
   * cached.
   *
   * @param progress receives one-line progress messages
   * @throws IllegalStateException if a synthesizer is missing and cannot be installed
   * @throws UncheckedIOException if the cache cannot be written
   */
  public static KeywordSplits load(Path cacheDir, Consumer<String> progress) {
    Path dir = cacheDir.resolve("audio").resolve(VERSION);
    List<Path> files = SPLITS.stream().map(s -> dir.resolve(s + ".kws")).toList();
    if (files.stream().allMatch(Files::isRegularFile)) {
      try {
        List<List<KeywordClip>> splits = new ArrayList<>();
        for (Path file : files) {
          splits.add(ClipCache.read(file));
        }
        progress.accept("read keyword clips from " + dir);
        return new KeywordSplits(splits.get(0), splits.get(1), splits.get(2), splits.get(3));
      } catch (IOException e) {
        progress.accept("keyword cache " + dir + " is unreadable (" + e.getMessage()
            + "); generating it again");
      }
    }
    KeywordSplits splits = generate(progress);
    try {
      ClipCache.write(files.get(0), splits.train());
      ClipCache.write(files.get(1), splits.validation());
      ClipCache.write(files.get(2), splits.development());
      ClipCache.write(files.get(3), splits.test());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the keyword cache under " + dir
          + "; check that the folder is writable or pass another cache folder", e);
    }
    progress.accept("cached keyword clips in " + dir);
    return splits;
  }

  private static KeywordSplits generate(Consumer<String> progress) {
    VoiceInstaller.ensureInstalled(progress);
    SpeechSynthesizers.requireFliteVoices();
    List<String> variants = SpeechSynthesizers.espeakVariants();
    List<String> trainVariants = new ArrayList<>();
    List<String> validationVariants = new ArrayList<>();
    for (int i = 0; i < variants.size(); i++) {
      (i % VALIDATION_VARIANT_EVERY == VALIDATION_VARIANT_EVERY - 1 ? validationVariants
          : trainVariants).add(variants.get(i));
    }
    progress.accept("rendering festival and recorded-voice clips");
    List<ClipPlan> trainPlans = new ArrayList<>(
        espeakPlans(trainVariants, TRAIN_PER_CLASS, new Random(1)));
    trainPlans.addAll(festivalPlans(new Random(4)));
    trainPlans.addAll(accentPlans(new Random(5)));
    trainPlans.addAll(recordedPlans(new Random(7), progress));
    List<List<ClipPlan>> plans = List.of(
        trainPlans,
        espeakPlans(validationVariants, VALIDATION_PER_CLASS, new Random(2)),
        developmentPlans(new Random(6)),
        flitePlans(new Random(3)));
    int total = plans.stream().mapToInt(List::size).sum();
    long started = System.nanoTime();
    int done = 0;
    List<List<KeywordClip>> splits = new ArrayList<>();
    for (int s = 0; s < plans.size(); s++) {
      List<KeywordClip> clips = new ArrayList<>();
      for (ClipPlan plan : plans.get(s)) {
        clips.add(plan.render());
        if (++done % 500 == 0 || done == total) {
          progress.accept("rendering keyword clips " + done + "/" + total + " (" + SPLITS.get(s)
              + ")");
        }
      }
      splits.add(List.copyOf(clips));
    }
    progress.accept(String.format("generated %d clips in %.1f s", total,
        (System.nanoTime() - started) / 1e9));
    return new KeywordSplits(splits.get(0), splits.get(1), splits.get(2), splits.get(3));
  }

  private static List<ClipPlan> espeakPlans(List<String> variants, int perClass, Random random) {
    List<ClipPlan> plans = new ArrayList<>();
    for (int label = 0; label < LABELS.size(); label++) {
      for (int i = 0; i < perClass; i++) {
        if (label == SILENCE) {
          plans.add(ClipPlan.silence(Augmentation.TRAINING, random.nextLong()));
          continue;
        }
        String word = label == UNKNOWN ? pick(UNKNOWN_WORDS, random) : LABELS.get(label);
        String voice = pick(SpeechSynthesizers.ESPEAK_VOICES, random);
        String variant = pick(variants, random);
        List<String> command = SpeechSynthesizers.espeak(voice, variant,
            120 + random.nextInt(101), 20 + random.nextInt(61), word + pick(ENDINGS, random));
        plans.add(new ClipPlan(label, word, "espeak-ng " + voice + "+" + variant, command,
            null, Augmentation.TRAINING, random.nextLong()));
      }
    }
    return plans;
  }

  /**
   * Festival's ked voice saying each spoken class at random speed (0.75-1.35x), intonation
   * (mean 90-180 Hz, spread 5-35 Hz) and ending, rendered here in one festival run. (Festival
   * 2.5 aborts on a slow word at a mean of 80 Hz or lower with little spread.)
   */
  private static List<ClipPlan> festivalPlans(Random random) {
    List<ClipPlan> plans = new ArrayList<>();
    List<SpeechSynthesizers.FestivalLine> lines = new ArrayList<>();
    for (int label = 0; label < LABELS.size(); label++) {
      if (label == SILENCE) {
        continue;
      }
      for (int i = 0; i < FESTIVAL_PER_CLASS; i++) {
        String word = label == UNKNOWN ? pick(UNKNOWN_WORDS, random) : LABELS.get(label);
        lines.add(new SpeechSynthesizers.FestivalLine(SpeechSynthesizers.KED.name(),
            word + pick(ENDINGS, random),
            0.75 + 0.6 * random.nextDouble(), 90 + random.nextInt(91), 5 + random.nextInt(31)));
        plans.add(new ClipPlan(label, word, "festival " + SpeechSynthesizers.KED.name(),
            List.of(), null, Augmentation.TRAINING, random.nextLong()));
      }
    }
    return rendered(plans, SpeechSynthesizers.festival(lines));
  }

  private static final List<String> CZECH = List.of("jes", "nou", "ap", "daun", "left",
      "rajt", "on", "of", "stop", "gou");
  /**
   * The keywords respelled for each accent or development voice's letter-to-sound rules
   * (Italian, Finnish, Catalan, Czech), so that it says them close to English: "ies" for yes,
   * "rait" for right.
   */
  private static final Map<String, List<String>> RESPELLED = Map.of(
      "lp_diphone", List.of("ies", "nou", "ap", "daun", "left", "rait", "on", "of", "stop",
          "gou"),
      "suo_fi_lj_diphone", List.of("jes", "nou", "ap", "daun", "left", "rait", "on", "of",
          "stop", "gou"),
      "upc_ca_ona_hts", List.of("ies", "nou", "ap", "daun", "left", "rait", "on", "of", "stop",
          "gou"),
      "czech_dita", CZECH, "czech_krb", CZECH, "czech_ph", CZECH,
      "hy_fi_mv_diphone", List.of("jes", "nou", "ap", "daun", "left", "rait", "on", "of",
          "stop", "gou"),
      "pc_diphone", List.of("ies", "nou", "ap", "daun", "left", "rait", "on", "of", "stop",
          "gou"));
  /**
   * Unknown words for the accent voices, read with their own rules as they are spelled; the
   * last five {@link #UNKNOWN_WORDS} (light, town, yet, lift, often) are left out, as an
   * accent could turn them into a keyword (town into "down").
   */
  private static final List<String> ACCENT_UNKNOWN =
      UNKNOWN_WORDS.subList(0, UNKNOWN_WORDS.size() - 5);

  /**
   * Each accent voice ({@link SpeechSynthesizers#ACCENT_VOICES}, female) saying each spoken
   * class {@link #ACCENT_PER_CLASS} times at random speed (0.75-1.35x), intonation (mean
   * 170-260 Hz, spread 10-40 Hz) and ending.
   */
  private static List<ClipPlan> accentPlans(Random random) {
    return respelledPlans(SpeechSynthesizers.ACCENT_VOICES, ACCENT_PER_CLASS, voice -> 170,
        new Prosody(0.75, 0.6, 90, 10, 30, Augmentation.TRAINING), random);
  }

  /**
   * The development split: each voice of {@link SpeechSynthesizers#DEVELOPMENT_VOICES} saying
   * each spoken class {@link #DEVELOPMENT_PER_CLASS} times at random speed (0.8-1.3x),
   * intonation (women and the boy 180-240 Hz, men 100-160 Hz, spread 10-30 Hz) and ending,
   * with the test split's noise; and as many {@code _silence_} clips as a spoken class has.
   */
  private static List<ClipPlan> developmentPlans(Random random) {
    List<ClipPlan> development = new ArrayList<>(respelledPlans(
        SpeechSynthesizers.DEVELOPMENT_VOICES, DEVELOPMENT_PER_CLASS,
        voice -> voice.name().equals("czech_dita") || voice.name().equals("czech_krb") ? 180 : 100,
        new Prosody(0.8, 0.5, 60, 10, 20, Augmentation.TEST), random));
    for (int i = 0; i < DEVELOPMENT_PER_CLASS * SpeechSynthesizers.DEVELOPMENT_VOICES.size(); i++) {
      development.add(ClipPlan.silence(Augmentation.TEST, random.nextLong()));
    }
    return development;
  }

  /**
   * How festival voices say respelled keywords: duration stretch from {@code minStretch} to
   * {@code minStretch + stretchSpan}, mean pitch from the voice's lowest to {@code f0Span} Hz
   * above it, pitch spread from {@code minSpread} to {@code minSpread + spreadSpan} Hz.
   */
  private record Prosody(double minStretch, double stretchSpan, int f0Span, int minSpread,
      int spreadSpan, Augmentation augmentation) {}

  /** Each voice saying each spoken class {@code perClass} times, rendered in festival runs. */
  private static List<ClipPlan> respelledPlans(List<SpeechSynthesizers.FestivalVoice> voices,
      int perClass, ToIntFunction<SpeechSynthesizers.FestivalVoice> lowestF0, Prosody prosody,
      Random random) {
    List<ClipPlan> plans = new ArrayList<>();
    List<SpeechSynthesizers.FestivalLine> lines = new ArrayList<>();
    for (SpeechSynthesizers.FestivalVoice voice : voices) {
      for (int label = 0; label < LABELS.size(); label++) {
        if (label == SILENCE) {
          continue;
        }
        for (int i = 0; i < perClass; i++) {
          String word = label == UNKNOWN ? pick(ACCENT_UNKNOWN, random) : LABELS.get(label);
          String said = label == UNKNOWN ? word : RESPELLED.get(voice.name()).get(label);
          lines.add(new SpeechSynthesizers.FestivalLine(voice.name(),
              said + pick(ENDINGS, random),
              prosody.minStretch() + prosody.stretchSpan() * random.nextDouble(),
              lowestF0.applyAsInt(voice) + random.nextInt(prosody.f0Span() + 1),
              prosody.minSpread() + random.nextInt(prosody.spreadSpan() + 1)));
          plans.add(new ClipPlan(label, word, "festival " + voice.name(), List.of(), null,
              prosody.augmentation(), random.nextLong()));
        }
      }
    }
    return rendered(plans, SpeechSynthesizers.festival(lines));
  }

  /**
   * Each recorded English voice ({@link SpeechSynthesizers#RECORDED_VOICES}) saying each spoken
   * class {@link #RECORDED_PER_CLASS} times at a random speed (0.75-1.3x), pitch factor
   * (0.6-1.4 on the engine's scale, see {@link SpeechSynthesizers.RecordedVoice#command}) and
   * ending.
   */
  private static List<ClipPlan> recordedPlans(Random random, Consumer<String> progress) {
    List<ClipPlan> plans = new ArrayList<>();
    List<SpeechSynthesizers.RecordedLine> lines = new ArrayList<>();
    for (SpeechSynthesizers.RecordedVoice voice : SpeechSynthesizers.RECORDED_VOICES) {
      for (int label = 0; label < LABELS.size(); label++) {
        if (label == SILENCE) {
          continue;
        }
        for (int i = 0; i < RECORDED_PER_CLASS; i++) {
          String word = label == UNKNOWN ? pick(UNKNOWN_WORDS, random) : LABELS.get(label);
          lines.add(new SpeechSynthesizers.RecordedLine(voice, word + pick(ENDINGS, random),
              0.75 + 0.55 * random.nextDouble(), 0.6 + 0.8 * random.nextDouble()));
          plans.add(new ClipPlan(label, word, voice.speaker(), List.of(), null,
              Augmentation.TRAINING, random.nextLong()));
        }
      }
    }
    return rendered(plans, SpeechSynthesizers.recorded(lines, progress));
  }

  private static List<ClipPlan> rendered(List<ClipPlan> plans, List<Speech> speech) {
    List<ClipPlan> rendered = new ArrayList<>(plans.size());
    for (int i = 0; i < plans.size(); i++) {
      rendered.add(plans.get(i).withRendered(speech.get(i)));
    }
    return rendered;
  }

  /** Every keyword in every flite voice, speed and ending; a seeded sample of unknown words. */
  private static List<ClipPlan> flitePlans(Random random) {
    List<ClipPlan> plans = new ArrayList<>();
    for (int label = 0; label < KEYWORDS; label++) {
      plans.addAll(flitePlans(label, List.of(LABELS.get(label)), random));
    }
    for (int i = 0; i < TEST_PER_CLASS; i++) {
      plans.add(ClipPlan.silence(Augmentation.TEST, random.nextLong()));
    }
    List<ClipPlan> unknown = new ArrayList<>(flitePlans(UNKNOWN, UNKNOWN_WORDS, random));
    Collections.shuffle(unknown, random);
    plans.addAll(unknown.subList(0, TEST_PER_CLASS));
    return plans;
  }

  private static List<ClipPlan> flitePlans(int label, List<String> words, Random random) {
    List<ClipPlan> plans = new ArrayList<>();
    for (String word : words) {
      for (String voice : SpeechSynthesizers.FLITE_VOICES) {
        for (double stretch : FLITE_STRETCHES) {
          for (String ending : ENDINGS) {
            plans.add(new ClipPlan(label, word, "flite " + voice,
                SpeechSynthesizers.flite(voice, stretch, word + ending), null, Augmentation.TEST,
                random.nextLong()));
          }
        }
      }
    }
    return plans;
  }

  private static <T> T pick(List<T> items, Random random) {
    return items.get(random.nextInt(items.size()));
  }

  /**
   * One clip to generate: what to say (a synthesizer command, or speech already rendered in a
   * batch), who says it, and the seed of its augmentation.
   */
  private record ClipPlan(int label, String word, String speaker, List<String> command,
      Speech rendered, Augmentation augmentation, long seed) {

    /** A {@code _silence_} clip: nothing to render, only noise ({@link Augmentation#silence}). */
    static ClipPlan silence(Augmentation augmentation, long seed) {
      return new ClipPlan(SILENCE, "", "noise", List.of(), null, augmentation, seed);
    }

    ClipPlan withRendered(Speech speech) {
      return new ClipPlan(label, word, speaker, command, speech, augmentation, seed);
    }

    KeywordClip render() {
      Random random = new Random(seed);
      if (command.isEmpty() && rendered == null) {
        return new KeywordClip(Augmentation.silence(random), label, word, speaker);
      }
      Speech speech = rendered != null ? rendered : SpeechSynthesizers.render(command);
      float[] samples = LogMel.resample(speech.samples(), speech.sampleRate());
      try {
        return new KeywordClip(augmentation.speech(samples, random), label, word, speaker);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("'" + String.join(" ", command) + "': " + e.getMessage()
            + "; check that the synthesizer speaks from the command line", e);
      }
    }
  }
}
