package io.kinfer.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.Map;

/**
 * Decoded mono clip → the model's input: resampled (linear) to {@code sampleRate}, then the
 * first {@code samples} samples, zero-padded at the end when shorter.
 */
public final class AudioTranslator implements Translator<AudioClip, Scores> {

  private final String inputName;
  private final OutputReader output;
  private final int sampleRate;
  private final int samples;

  AudioTranslator(Map<String, ?> arguments) {
    this.inputName = Arguments.string(arguments, "inputName", "audio");
    this.output = new OutputReader(arguments);
    this.sampleRate = Arguments.integer(arguments, "sampleRate", 16_000);
    this.samples = Arguments.integer(arguments, "samples", sampleRate);
  }

  @Override
  public NDList processInput(TranslatorContext ctx, AudioClip clip) {
    float[] fixed = new float[samples];
    float[] source = clip.samples();
    double step = (double) clip.sampleRate() / sampleRate;
    for (int i = 0; i < samples; i++) {
      double at = i * step;
      int left = (int) at;
      if (left >= source.length) {
        break;
      }
      int right = Math.min(left + 1, source.length - 1);
      double frac = at - left;
      fixed[i] = (float) (source[left] * (1 - frac) + source[right] * frac);
    }
    NDArray array = ctx.getNDManager().create(fixed, new Shape(samples));
    array.setName(inputName);
    return new NDList(array);
  }

  @Override
  public Scores processOutput(TranslatorContext ctx, NDList list) {
    return output.read(list);
  }
}
