package io.kinfer.models.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PowerSpectrumTest {

  @Test
  void equalsTheSquaredMagnitudeOfAFullComplexFftOfTheRealFrame() {
    Random random = new Random(7);
    for (int size : new int[] {4, 16, 512}) {
      double[] frame = new double[size];
      for (int i = 0; i < size; i++) {
        frame[i] = random.nextGaussian();
      }
      double[] re = frame.clone();
      double[] im = new double[size];
      new Fft(size).transform(re, im);
      double[] power = new double[size / 2 + 1];
      new PowerSpectrum(size).compute(frame.clone(), new double[size / 2],
          new double[size / 2], power);
      for (int k = 0; k <= size / 2; k++) {
        double expected = re[k] * re[k] + im[k] * im[k];
        assertEquals(expected, power[k], 1e-9 * Math.max(1, expected), "bin " + k + " of " + size);
      }
    }
  }

  @Test
  void aCosineAtABinPutsAllItsPowerThere() {
    int size = 64;
    double[] frame = new double[size];
    for (int i = 0; i < size; i++) {
      frame[i] = Math.cos(2 * Math.PI * 5 * i / size);
    }
    double[] power = new double[size / 2 + 1];
    new PowerSpectrum(size).compute(frame, new double[size / 2], new double[size / 2], power);
    for (int k = 0; k <= size / 2; k++) {
      assertEquals(k == 5 ? (size / 2.0) * (size / 2.0) : 0, power[k], 1e-9, "bin " + k);
    }
  }
}
