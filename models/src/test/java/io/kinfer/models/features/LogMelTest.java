package io.kinfer.models.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LogMelTest {

  private static float[] tone(double hz, int sampleRate, int length, int from, int to) {
    float[] samples = new float[length];
    for (int i = from; i < to; i++) {
      samples[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / sampleRate));
    }
    return samples;
  }

  private static int nearestBand(double hz) {
    int best = 0;
    for (int m = 1; m < LogMel.MELS; m++) {
      if (Math.abs(LogMel.centreHz(m) - hz) < Math.abs(LogMel.centreHz(best) - hz)) {
        best = m;
      }
    }
    return best;
  }

  /** The band whose (unnormalised) energy, summed over frames, is highest. */
  private static int loudestBand(float[] logMel) {
    double[] sums = new double[LogMel.MELS];
    for (int i = 0; i < logMel.length; i++) {
      sums[i % LogMel.MELS] += logMel[i];
    }
    int best = 0;
    for (int m = 1; m < LogMel.MELS; m++) {
      best = sums[m] > sums[best] ? m : best;
    }
    return best;
  }

  /** Index of the sample at the centre of the clip's energy. */
  private static double energyCentre(float[] samples) {
    double total = 0;
    double moment = 0;
    for (int i = 0; i < samples.length; i++) {
      total += samples[i] * samples[i];
      moment += (double) i * samples[i] * samples[i];
    }
    return moment / total;
  }

  @Test
  void shapeIsNinetyEightFramesOfFortyMels() {
    assertEquals(98, LogMel.FRAMES);
    float[] features = LogMel.compute(tone(440, 16_000, LogMel.SAMPLES, 0, LogMel.SAMPLES));
    assertEquals(LogMel.FRAMES * LogMel.MELS, features.length);
    for (float v : features) {
      assertTrue(Float.isFinite(v));
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LogMel.compute(new float[8_000]));
    assertTrue(e.getMessage().contains("LogMel.fit"), e.getMessage());
  }

  @Test
  void toneEnergyPeaksInItsMelBand() {
    for (int band : new int[] {2, 10, 25, 38}) {
      double hz = LogMel.centreHz(band);
      float[] logMel = LogMel.logMelEnergies(tone(hz, 16_000, LogMel.SAMPLES, 0,
          LogMel.SAMPLES));
      assertEquals(band, loudestBand(logMel), hz + " Hz");
    }
  }

  @Test
  void normalisedFeaturesIgnoreGainAndKeepSilenceAtZero() {
    // Noise under the burst keeps every band far above the log floor, where gain is a shift.
    float[] burst = tone(1000, 16_000, LogMel.SAMPLES, 6_000, 10_000);
    Random random = new Random(7);
    for (int i = 0; i < burst.length; i++) {
      burst[i] += (float) (0.05 * random.nextGaussian());
    }
    float[] quiet = burst.clone();
    for (int i = 0; i < quiet.length; i++) {
      quiet[i] *= 0.1f;
    }
    float[] loud = LogMel.compute(burst);
    float[] soft = LogMel.compute(quiet);
    for (int i = 0; i < loud.length; i++) {
      assertEquals(loud[i], soft[i], 0.05, "value " + i);
    }
    assertArrayEquals(new float[LogMel.FRAMES * LogMel.MELS],
        LogMel.compute(new float[LogMel.SAMPLES]));
  }

  @Test
  void fitCentresTheLoudestSecondOfALongClip() {
    // 2 s: a quiet tone throughout the first second, a loud burst at 1.5 s.
    float[] clip = tone(500, 16_000, 32_000, 0, 16_000);
    for (int i = 0; i < 16_000; i++) {
      clip[i] *= 0.01f;
    }
    float[] burst = tone(800, 16_000, 32_000, 23_200, 24_800);
    for (int i = 0; i < clip.length; i++) {
      clip[i] += burst[i];
    }
    float[] fitted = LogMel.fit(clip, 16_000);
    assertEquals(LogMel.SAMPLES, fitted.length);
    assertEquals(LogMel.SAMPLES / 2.0, energyCentre(fitted), LogMel.HOP);
  }

  @Test
  void fitPadsAShortClipAroundItsBurstWithoutCuttingIt() {
    // 0.3 s, burst in its first 0.1 s.
    float[] clip = tone(1000, 16_000, 4_800, 0, 1_600);
    float[] fitted = LogMel.fit(clip, 16_000);
    assertEquals(LogMel.SAMPLES / 2.0, energyCentre(fitted), LogMel.HOP);
    double kept = 0;
    for (float v : fitted) {
      kept += v * v;
    }
    double original = 0;
    for (float v : clip) {
      original += v * v;
    }
    assertEquals(original, kept, 1e-6 * original);
  }

  @Test
  void fitResamplesAndFiltersWhatWouldAlias() {
    float[] at48k = LogMel.fit(tone(1000, 48_000, 48_000, 0, 48_000), 48_000);
    assertEquals(LogMel.SAMPLES, at48k.length);
    assertEquals(nearestBand(1000), loudestBand(LogMel.logMelEnergies(at48k)));

    // 12 kHz at 44.1 kHz would fold to 4 kHz without the low-pass.
    float[] folded = LogMel.fit(tone(12_000, 44_100, 44_100, 0, 44_100), 44_100);
    double rms = Math.sqrt(energyOf(folded) / folded.length);
    assertTrue(rms < 0.005, "aliased tone RMS " + rms);

    float[] at8k = LogMel.fit(tone(1000, 8_000, 8_000, 0, 8_000), 8_000);
    assertEquals(nearestBand(1000), loudestBand(LogMel.logMelEnergies(at8k)));
  }

  private static double energyOf(float[] samples) {
    double sum = 0;
    for (float v : samples) {
      sum += v * v;
    }
    return sum;
  }
}
