package io.kinfer.models.features;

/**
 * The power spectrum {@code |X[k]|²}, k = 0..N/2, of a real frame of N samples, through one
 * complex FFT of N/2 points: even samples as the real parts, odd ones as the imaginary parts,
 * then the two half-spectra are separated and combined with the twiddles {@code e^(-2πik/N)}.
 * Half the work of a complex FFT of the real frame, with the same result up to rounding.
 * Immutable, so safe to share.
 */
final class PowerSpectrum {

  private final int size;
  private final Fft half;
  private final double[] cos;
  private final double[] sin;

  PowerSpectrum(int size) {
    if (size < 4 || Integer.bitCount(size) != 1) {
      throw new IllegalArgumentException("frame size must be a power of two >= 4, got " + size);
    }
    this.size = size;
    this.half = new Fft(size / 2);
    cos = new double[size / 2 + 1];
    sin = new double[size / 2 + 1];
    for (int k = 0; k <= size / 2; k++) {
      cos[k] = Math.cos(-2 * Math.PI * k / size);
      sin[k] = Math.sin(-2 * Math.PI * k / size);
    }
  }

  /**
   * @param frame {@code size} real samples (not modified)
   * @param re scratch of {@code size / 2}
   * @param im scratch of {@code size / 2}
   * @param power receives {@code size / 2 + 1} values
   */
  void compute(double[] frame, double[] re, double[] im, double[] power) {
    int h = size / 2;
    for (int n = 0; n < h; n++) {
      re[n] = frame[2 * n];
      im[n] = frame[2 * n + 1];
    }
    half.transform(re, im);
    for (int k = 0; k <= h; k++) {
      // Z[k] and the conjugate of Z[h - k] (indices mod h).
      int a = k == h ? 0 : k;
      int b = k == 0 ? 0 : h - k;
      double zr = re[a];
      double zi = im[a];
      double cr = re[b];
      double ci = -im[b];
      // Spectrum of the even samples E = (Z[k] + conj Z[h-k]) / 2, of the odd ones
      // O = (Z[k] - conj Z[h-k]) / 2i; X[k] = E + e^(-2πik/N) O.
      double er = (zr + cr) / 2;
      double ei = (zi + ci) / 2;
      double or = (zi - ci) / 2;
      double oi = -(zr - cr) / 2;
      double xr = er + cos[k] * or - sin[k] * oi;
      double xi = ei + cos[k] * oi + sin[k] * or;
      power[k] = xr * xr + xi * xi;
    }
  }
}
