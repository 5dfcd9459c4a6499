package io.kinfer.decode;

/**
 * Decoded audio: mono samples in [-1, 1] at their own sample rate.
 *
 * @param logMel the clip's {@code LogMel} frames when already computed ahead of the predict call
 *     ({@link AudioTranslator#prepare}), else null; the translator then uses them as they are
 */
public record AudioClip(float[] samples, int sampleRate, float[] logMel) {

  public AudioClip(float[] samples, int sampleRate) {
    this(samples, sampleRate, null);
  }
}
