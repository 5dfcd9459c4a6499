package io.kinfer.models.features;

import java.util.Arrays;

/**
 * The keyword model's features: the one extraction used both to train and to serve it, so that
 * both see the same numbers. Serving calls {@link #fit} on whatever audio arrives, then
 * {@link #compute}.
 *
 * <p>Frames are 25 ms periodic Hann windows every 10 ms, zero-padded to a 512-point FFT. The
 * power spectrum goes through 40 triangular filters (peak 1, not area-normalised) spaced evenly
 * on the <b>HTK mel scale</b>, {@code mel = 2595 log10(1 + f / 700)}, from 20 to 7600 Hz, and each
 * band energy becomes {@code log(energy + 1e-6)}.
 *
 * <p>Normalisation, per clip: each mel band's mean over the 98 frames is subtracted, then the
 * whole matrix is divided by its standard deviation (floored at 1e-3, so digital silence stays
 * all zeros). Subtracting band means removes what a linear filter or a gain does in the log
 * domain — the long-term spectral colour of a voice, synthesizer, microphone or channel — which
 * is what differs most between the speakers seen in training and those met in serving.
 */
public final class LogMel {

  public static final int SAMPLE_RATE = 16_000;
  /** One second at {@link #SAMPLE_RATE}: what {@link #compute} takes and {@link #fit} returns. */
  public static final int SAMPLES = 16_000;
  public static final int WINDOW = 400;
  public static final int HOP = 160;
  public static final int FFT = 512;
  public static final int MELS = 40;
  public static final int FRAMES = 1 + (SAMPLES - WINDOW) / HOP;
  public static final double MIN_HZ = 20;
  public static final double MAX_HZ = 7600;

  private static final double LOG_FLOOR = 1e-6;
  private static final double STD_FLOOR = 1e-3;
  /** Low-pass cut-off before downsampling: passband to ~7.6 kHz, stopband from ~8.2 kHz. */
  private static final double ANTI_ALIAS_HZ = 7900;

  private static final double[] HANN = hann();
  private static final MelFilter[] FILTERS = melFilters();
  private static final PowerSpectrum SPECTRUM = new PowerSpectrum(FFT);

  private LogMel() {}

  /**
   * Normalised log-mel features of one second of 16 kHz mono audio in [-1, 1].
   *
   * @return {@link #FRAMES} x {@link #MELS} values, row-major ({@code [frame * MELS + mel]})
   * @throws IllegalArgumentException unless {@code samples} holds exactly {@link #SAMPLES}
   */
  public static float[] compute(float[] samples) {
    float[] features = logMelEnergies(samples);
    for (int m = 0; m < MELS; m++) {
      double mean = 0;
      for (int f = 0; f < FRAMES; f++) {
        mean += features[f * MELS + m];
      }
      mean /= FRAMES;
      for (int f = 0; f < FRAMES; f++) {
        features[f * MELS + m] -= (float) mean;
      }
    }
    double squares = 0;
    for (float v : features) {
      squares += (double) v * v;
    }
    float scale = (float) (1 / Math.max(Math.sqrt(squares / features.length), STD_FLOOR));
    for (int i = 0; i < features.length; i++) {
      features[i] *= scale;
    }
    return features;
  }

  /**
   * Brings audio of any length and rate to the one second {@link #compute} takes: resamples it
   * to 16 kHz (linear interpolation, after a windowed-sinc low-pass when downsampling so that
   * energy above 8 kHz does not fold into the mel bands), then cuts or zero-pads it so that the
   * speech sits in the middle.
   *
   * <p>Centring rule: per 10 ms frame, energy above the clip's noise floor (its 10th-percentile
   * frame energy) is the speech weight. In a clip longer than 1 s, the 1 s stretch with the most
   * weight is found; the weighted centroid of that stretch (of the whole clip if it is 1 s or
   * shorter) is placed at 0.5 s. The window is then clamped so that a clip longer than 1 s is
   * never padded and a shorter one is never cut. A clip with no weight (silence, a constant)
   * keeps its middle.
   *
   * @param samples mono samples in [-1, 1]
   * @param sampleRate their rate in Hz
   * @return exactly {@link #SAMPLES} samples at {@link #SAMPLE_RATE}
   */
  public static float[] fit(float[] samples, int sampleRate) {
    float[] resampled = resample(samples, sampleRate);
    return window(resampled, centredStart(resampled));
  }

  /** Log mel energies before normalisation, row-major [frame][mel]. */
  static float[] logMelEnergies(float[] samples) {
    if (samples.length != SAMPLES) {
      throw new IllegalArgumentException("LogMel.compute needs exactly " + SAMPLES
          + " samples (1 s at 16 kHz), got " + samples.length
          + "; call LogMel.fit(samples, sampleRate) first");
    }
    float[] features = new float[FRAMES * MELS];
    double[] frame = new double[FFT];
    double[] re = new double[FFT / 2];
    double[] im = new double[FFT / 2];
    double[] power = new double[FFT / 2 + 1];
    for (int f = 0; f < FRAMES; f++) {
      int start = f * HOP;
      for (int i = 0; i < WINDOW; i++) {
        frame[i] = samples[start + i] * HANN[i];
      }
      SPECTRUM.compute(frame, re, im, power);
      for (int m = 0; m < MELS; m++) {
        features[f * MELS + m] = (float) Math.log(FILTERS[m].apply(power) + LOG_FLOOR);
      }
    }
    return features;
  }

  /** Centre frequency in Hz of mel band {@code m}. */
  static double centreHz(int m) {
    double low = hzToMel(MIN_HZ);
    double step = (hzToMel(MAX_HZ) - low) / (MELS + 1);
    return melToHz(low + (m + 1) * step);
  }

  /** {@code samples} at 16 kHz; {@code samples} itself when already there (never modified). */
  public static float[] resample(float[] samples, int sampleRate) {
    if (sampleRate < 4_000 || sampleRate > 192_000) {
      throw new IllegalArgumentException("sample rate " + sampleRate
          + " Hz is outside 4000-192000 Hz");
    }
    if (sampleRate == SAMPLE_RATE || samples.length == 0) {
      return samples;
    }
    float[] source = sampleRate > SAMPLE_RATE ? lowPass(samples, sampleRate) : samples;
    int length = (int) ((long) samples.length * SAMPLE_RATE / sampleRate);
    double step = (double) sampleRate / SAMPLE_RATE;
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      double t = i * step;
      int j = (int) t;
      double frac = t - j;
      float next = source[Math.min(j + 1, source.length - 1)];
      out[i] = (float) (source[j] * (1 - frac) + next * frac);
    }
    return out;
  }

  /** Where the one-second window starts in 16 kHz {@code samples} (see {@link #fit}). */
  public static int centredStart(float[] samples) {
    int n = samples.length;
    int frames = (n + HOP - 1) / HOP;
    double[] weight = new double[frames];
    for (int f = 0; f < frames; f++) {
      for (int i = f * HOP; i < Math.min(n, (f + 1) * HOP); i++) {
        weight[f] += (double) samples[i] * samples[i];
      }
    }
    double[] sorted = weight.clone();
    Arrays.sort(sorted);
    double noiseFloor = frames == 0 ? 0 : sorted[frames / 10];
    for (int f = 0; f < frames; f++) {
      weight[f] = Math.max(0, weight[f] - noiseFloor);
    }
    int span = SAMPLES / HOP;
    int from = 0;
    if (frames > span) {
      double sum = 0;
      for (int f = 0; f < span; f++) {
        sum += weight[f];
      }
      double best = sum;
      for (int f = span; f < frames; f++) {
        sum += weight[f] - weight[f - span];
        if (sum > best) {
          best = sum;
          from = f - span + 1;
        }
      }
    }
    double total = 0;
    double moment = 0;
    for (int f = from; f < Math.min(frames, from + span); f++) {
      total += weight[f];
      moment += weight[f] * (f * HOP + HOP / 2.0);
    }
    double centre = total > 0 ? moment / total : n / 2.0;
    int start = (int) Math.round(centre) - SAMPLES / 2;
    return Math.max(Math.min(0, n - SAMPLES), Math.min(Math.max(0, n - SAMPLES), start));
  }

  /** {@link #SAMPLES} samples of {@code samples} from {@code start}, zeros outside it. */
  public static float[] window(float[] samples, int start) {
    float[] out = new float[SAMPLES];
    int from = Math.max(0, start);
    int to = Math.min(samples.length, start + SAMPLES);
    if (from < to) {
      System.arraycopy(samples, from, out, from - start, to - from);
    }
    return out;
  }

  /** Hamming-windowed sinc, 5 ms long at any rate: a transition band of about 660 Hz. */
  private static float[] lowPass(float[] samples, int sampleRate) {
    int half = (int) Math.round(sampleRate * 0.0025);
    double cutoff = ANTI_ALIAS_HZ / sampleRate;
    double[] taps = new double[2 * half + 1];
    double sum = 0;
    for (int k = -half; k <= half; k++) {
      double sinc = k == 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * k) / (Math.PI * k);
      double hamming = 0.54 + 0.46 * Math.cos(Math.PI * k / half);
      taps[k + half] = sinc * hamming;
      sum += taps[k + half];
    }
    float[] out = new float[samples.length];
    for (int i = 0; i < samples.length; i++) {
      double acc = 0;
      for (int k = Math.max(-half, i - samples.length + 1); k <= Math.min(half, i); k++) {
        acc += taps[k + half] * samples[i - k];
      }
      out[i] = (float) (acc / sum);
    }
    return out;
  }

  private static double[] hann() {
    double[] w = new double[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / WINDOW);
    }
    return w;
  }

  private static MelFilter[] melFilters() {
    MelFilter[] filters = new MelFilter[MELS];
    double low = hzToMel(MIN_HZ);
    double step = (hzToMel(MAX_HZ) - low) / (MELS + 1);
    for (int m = 0; m < MELS; m++) {
      double left = melToHz(low + m * step);
      double centre = melToHz(low + (m + 1) * step);
      double right = melToHz(low + (m + 2) * step);
      int first = (int) Math.ceil(left * FFT / SAMPLE_RATE);
      int last = (int) Math.floor(right * FFT / SAMPLE_RATE);
      double[] weights = new double[Math.max(0, last - first + 1)];
      for (int k = first; k <= last; k++) {
        double hz = (double) k * SAMPLE_RATE / FFT;
        double rise = (hz - left) / (centre - left);
        double fall = (right - hz) / (right - centre);
        weights[k - first] = Math.max(0, Math.min(rise, fall));
      }
      filters[m] = new MelFilter(first, weights);
    }
    return filters;
  }

  private static double hzToMel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  private static double melToHz(double mel) {
    return 700 * (Math.pow(10, mel / 2595) - 1);
  }

  /** One triangular filter, stored as its non-zero stretch of FFT bins. */
  private record MelFilter(int firstBin, double[] weights) {
    double apply(double[] power) {
      double energy = 0;
      for (int i = 0; i < weights.length; i++) {
        energy += weights[i] * power[firstBin + i];
      }
      return energy;
    }
  }
}
