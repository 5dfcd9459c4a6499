package io.kinfer.trainer.audio;

import java.util.Random;

/**
 * Generated background noise of three spectral colours: white (flat, like hiss), pink (-3 dB
 * per octave, like rain or a crowd far away) and brown (-6 dB per octave, like rumble or wind).
 */
enum BackgroundNoise {
  WHITE, PINK, BROWN;

  /** {@code length} samples of this noise with zero mean and unit RMS. */
  float[] generate(int length, Random random) {
    double[] noise = new double[length];
    // Pink: Paul Kellet's economy filter; brown: a leaky integrator (the leak keeps it bounded).
    double b0 = 0;
    double b1 = 0;
    double b2 = 0;
    double brown = 0;
    for (int i = 0; i < length; i++) {
      double white = random.nextGaussian();
      noise[i] = switch (this) {
        case WHITE -> white;
        case PINK -> {
          b0 = 0.99765 * b0 + white * 0.0990460;
          b1 = 0.96300 * b1 + white * 0.2965164;
          b2 = 0.57000 * b2 + white * 1.0526913;
          yield b0 + b1 + b2 + white * 0.1848;
        }
        case BROWN -> brown = 0.995 * brown + white;
      };
    }
    double mean = 0;
    for (double v : noise) {
      mean += v;
    }
    mean /= Math.max(1, length);
    double squares = 0;
    for (double v : noise) {
      squares += (v - mean) * (v - mean);
    }
    double scale = 1 / Math.sqrt(Math.max(squares / Math.max(1, length), 1e-12));
    float[] out = new float[length];
    for (int i = 0; i < length; i++) {
      out[i] = (float) ((noise[i] - mean) * scale);
    }
    return out;
  }
}
