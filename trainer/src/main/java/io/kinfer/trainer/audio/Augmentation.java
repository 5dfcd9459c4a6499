package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

import java.util.Arrays;
import java.util.Random;

/**
 * How a rendered word becomes a one-second clip, the way serving will see one. The word is cut
 * to its audible part (synthesizers pad differently: espeak-ng after the word, flite on both
 * sides), set to a random level and placed at a random point of a 1.5 s recording; about half
 * the time it lies too near an edge to be centred, as in a real recording. Background noise at
 * a random SNR covers the whole recording, and {@link LogMel#fit}'s centring picks the second
 * to keep, so the model trains on fit()'s real centring errors under noise. Training adds a
 * random jitter to that centring and colours 70% of the words with a random
 * {@link SourceColour}; the test split does neither.
 *
 * @param minSnrDb lowest speech-to-noise ratio
 * @param maxSnrDb highest speech-to-noise ratio
 * @param cleanShare share of clips that get no noise at all (digital silence around the word)
 * @param maxJitter largest shift, in samples, added to fit()'s window start
 * @param colourShare share of words given a random {@link SourceColour} before noise is added
 */
record Augmentation(double minSnrDb, double maxSnrDb, double cleanShare, int maxJitter,
    double colourShare) {

  static final Augmentation TRAINING =
      new Augmentation(5, 30, 0.1, LogMel.SAMPLE_RATE / 10, 0.7);
  static final Augmentation TEST = new Augmentation(10, 30, 0.2, 0, 0);

  private static final int RECORDING = LogMel.SAMPLES * 3 / 2;

  /** One clip of a word rendered at 16 kHz; the same {@code random} state gives the same clip. */
  float[] speech(float[] rendered, Random random) {
    float[] speech = audible(rendered);
    if (colourShare > 0 && random.nextDouble() < colourShare) {
      speech = SourceColour.random(random).apply(speech);
    }
    double peak = peak(speech);
    double gain = decibels(uniform(random, -30, -1)) / peak;
    int length = Math.max(RECORDING, speech.length + LogMel.SAMPLES / 2);
    float[] recording = new float[length];
    int offset = random.nextInt(length - speech.length + 1);
    for (int i = 0; i < speech.length; i++) {
      recording[offset + i] = (float) (speech[i] * gain);
    }
    if (random.nextDouble() >= cleanShare) {
      BackgroundNoise colour = BackgroundNoise.values()[random.nextInt(3)];
      double rms = activeRms(speech) * gain / decibels(uniform(random, minSnrDb, maxSnrDb));
      addNoise(recording, colour, rms, random);
    }
    int jitter = maxJitter == 0 ? 0 : random.nextInt(2 * maxJitter + 1) - maxJitter;
    int start = Math.max(0, Math.min(length - LogMel.SAMPLES,
        LogMel.centredStart(recording) + jitter));
    return pcm16(LogMel.window(recording, start));
  }

  /**
   * A {@code _silence_} clip: background noise of a random colour from -70 to -20 dBFS RMS, or
   * (one clip in twenty) digital silence.
   */
  static float[] silence(Random random) {
    float[] clip = new float[LogMel.SAMPLES];
    if (random.nextInt(20) != 0) {
      BackgroundNoise colour = BackgroundNoise.values()[random.nextInt(3)];
      addNoise(clip, colour, decibels(uniform(random, -70, -20)), random);
    }
    return pcm16(clip);
  }

  private static void addNoise(float[] recording, BackgroundNoise colour, double rms,
      Random random) {
    float[] noise = colour.generate(recording.length, random);
    for (int i = 0; i < recording.length; i++) {
      recording[i] += (float) (noise[i] * rms);
    }
  }

  /** The stretch from the first to the last 10 ms frame within 40 dB of the loudest one. */
  private static float[] audible(float[] speech) {
    double[] energy = frameEnergies(speech);
    double loudest = Arrays.stream(energy).max().orElse(0);
    if (loudest == 0) {
      throw new IllegalArgumentException("the rendered word is digital silence");
    }
    int first = 0;
    while (energy[first] < loudest * 1e-4) {
      first++;
    }
    int last = energy.length - 1;
    while (energy[last] < loudest * 1e-4) {
      last--;
    }
    return Arrays.copyOfRange(speech, first * LogMel.HOP,
        Math.min(speech.length, (last + 1) * LogMel.HOP));
  }

  /** RMS over the 10 ms frames within 30 dB of the loudest: the level of the word itself. */
  private static double activeRms(float[] speech) {
    double[] energy = frameEnergies(speech);
    double loudest = Arrays.stream(energy).max().orElse(0);
    double sum = 0;
    int count = 0;
    for (double e : energy) {
      if (e >= loudest * 1e-3) {
        sum += e;
        count++;
      }
    }
    return Math.sqrt(sum / (count * (double) LogMel.HOP));
  }

  private static double[] frameEnergies(float[] samples) {
    double[] energy = new double[(samples.length + LogMel.HOP - 1) / LogMel.HOP];
    for (int i = 0; i < samples.length; i++) {
      energy[i / LogMel.HOP] += (double) samples[i] * samples[i];
    }
    return energy;
  }

  /** Scales a clip down if it would clip, then rounds it to 16-bit PCM like a recording. */
  private static float[] pcm16(float[] clip) {
    double peak = peak(clip);
    double scale = peak > 0.99 ? 0.99 / peak : 1;
    for (int i = 0; i < clip.length; i++) {
      clip[i] = Math.round(clip[i] * scale * ClipCache.PCM16_SCALE) / ClipCache.PCM16_SCALE;
    }
    return clip;
  }

  private static double peak(float[] samples) {
    double peak = 0;
    for (float v : samples) {
      peak = Math.max(peak, Math.abs(v));
    }
    return peak;
  }

  private static double uniform(Random random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  private static double decibels(double db) {
    return Math.pow(10, db / 20);
  }
}
