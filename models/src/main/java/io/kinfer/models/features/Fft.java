package io.kinfer.models.features;

/**
 * In-place iterative radix-2 complex FFT of one fixed power-of-two size, with its twiddle
 * factors and bit-reversal permutation computed once. Immutable, so safe to share.
 */
final class Fft {

  private final int size;
  private final double[] cos;
  private final double[] sin;
  private final int[] reversed;

  Fft(int size) {
    if (size < 2 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("FFT size must be a power of two, got " + size);
    }
    this.size = size;
    cos = new double[size / 2];
    sin = new double[size / 2];
    for (int k = 0; k < size / 2; k++) {
      cos[k] = Math.cos(-2 * Math.PI * k / size);
      sin[k] = Math.sin(-2 * Math.PI * k / size);
    }
    int bits = Integer.numberOfTrailingZeros(size);
    reversed = new int[size];
    for (int i = 0; i < size; i++) {
      reversed[i] = Integer.reverse(i) >>> (32 - bits);
    }
  }

  /** Replaces ({@code re}, {@code im}) by its forward transform (no scaling). */
  void transform(double[] re, double[] im) {
    for (int i = 0; i < size; i++) {
      int j = reversed[i];
      if (j > i) {
        double t = re[i];
        re[i] = re[j];
        re[j] = t;
        t = im[i];
        im[i] = im[j];
        im[j] = t;
      }
    }
    // Twiddle-major order: each twiddle is loaded once per stage, then applied to every
    // butterfly that uses it.
    for (int len = 2; len <= size; len <<= 1) {
      int half = len / 2;
      int stride = size / len;
      for (int k = 0; k < half; k++) {
        double wr = cos[k * stride];
        double wi = sin[k * stride];
        for (int a = k; a < size; a += len) {
          int b = a + half;
          double xr = re[b] * wr - im[b] * wi;
          double xi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - xr;
          im[b] = im[a] - xi;
          re[a] += xr;
          im[a] += xi;
        }
      }
    }
  }
}
