package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

import io.kinfer.trainer.train.Network;
import io.kinfer.trainer.train.Regularizer;
import io.kinfer.trainer.train.Weights;
import io.kinfer.trainer.train.Weights.Init;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Unstack;
import org.tensorflow.types.TFloat32;

/**
 * The shipped keyword spotter: an LSTM over log-mel frames (unrolled, so TF-Java can take its
 * gradients), mean and last hidden states pooled, a dense classifier. Input {@code features}:
 * [batch, frames, mels] from {@link LogMel}.
 *
 * <p>With {@code cepstra > 0}, the graph first turns each frame's mel bands into its first
 * {@code cepstra} cepstral coefficients (an orthonormal DCT-II, a constant matrix in the graph,
 * so serving computes it too): the MFCCs of the frame. Keeping only the first coefficients
 * keeps the spectral envelope (the vocal tract: what was said) and drops finer ripples, such
 * as the harmonics of a high voice, which tell more about who said it.
 */
public final class KeywordLstm implements Network {

  static final String INPUT = "features";
  private final int frames;
  private final int mels;
  private final int cepstra;
  private final int units;
  private final int classes;
  private final float dropout;

  public KeywordLstm(int frames, int mels, int cepstra, int units, int classes, float dropout) {
    if (cepstra < 0 || cepstra > mels) {
      throw new IllegalArgumentException("cepstra must be 0 (none) to " + mels + ": " + cepstra);
    }
    this.frames = frames;
    this.mels = mels;
    this.cepstra = cepstra;
    this.units = units;
    this.classes = classes;
    this.dropout = dropout;
  }

  @Override
  public Map<String, Operand<?>> inputs(Ops tf) {
    return Map.of(INPUT, tf.withName(INPUT).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, frames, mels))));
  }

  @Override
  public Outputs build(Ops tf, Weights w, Map<String, Operand<?>> inputs, Regularizer reg) {
    @SuppressWarnings("unchecked")
    Operand<TFloat32> x = (Operand<TFloat32>) inputs.get(INPUT);
    x = reg.dropout(x, dropout / 2);
    int width = mels;
    if (cepstra > 0) {
      x = tf.reshape(tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {-1, mels})),
          tf.constant(dct(mels, cepstra))), tf.constant(new int[] {-1, frames, cepstra}));
      width = cepstra;
    }
    Operand<TFloat32> kernel = w.get("lstm_kernel", Init.GLOROT_NORMAL, width + units, 4L * units);
    Operand<TFloat32> bias = w.get("lstm_bias", Init.ZEROS, 4L * units);
    Operand<TFloat32> forgetBias = tf.constant(1f); // the usual +1 on the forget gate
    Operand<TFloat32> h = null;
    Operand<TFloat32> c = null;
    List<Operand<TFloat32>> states = new ArrayList<>();
    for (Operand<TFloat32> step : tf.unstack(x, (long) frames, Unstack.axis(1L))) {
      Operand<TFloat32> in = h == null
          ? tf.concat(List.of(step, tf.zerosLike(tf.linalg.matMul(step,
              tf.zeros(tf.constant(new long[] {width, units}), TFloat32.class)))), tf.constant(1))
          : tf.concat(List.of(step, h), tf.constant(1));
      Operand<TFloat32> z = tf.nn.biasAdd(tf.linalg.matMul(in, kernel), bias);
      List<Operand<TFloat32>> gates = new ArrayList<>();
      tf.split(tf.constant(1), z, 4L).forEach(gates::add);
      Operand<TFloat32> input = tf.math.sigmoid(gates.get(0));
      Operand<TFloat32> forget = tf.math.sigmoid(tf.math.add(gates.get(1), forgetBias));
      Operand<TFloat32> candidate = tf.math.tanh(gates.get(2));
      Operand<TFloat32> output = tf.math.sigmoid(gates.get(3));
      c = c == null ? tf.math.mul(input, candidate)
          : tf.math.add(tf.math.mul(forget, c), tf.math.mul(input, candidate));
      h = tf.math.mul(output, tf.math.tanh(c));
      states.add(h);
    }
    Operand<TFloat32> mean = tf.math.div(tf.math.addN(states), tf.constant((float) frames));
    Operand<TFloat32> pooled = tf.concat(List.of(mean, h), tf.constant(1)); // [B, 2*units]
    pooled = reg.dropout(pooled, dropout);
    Operand<TFloat32> logits = tf.nn.biasAdd(
        tf.linalg.matMul(pooled, w.get("dense_kernel", Init.GLOROT_NORMAL, 2L * units, classes)),
        w.get("dense_bias", Init.ZEROS, classes));
    return new Outputs(logits, Map.of());
  }

  /** Orthonormal DCT-II as a [mels, cepstra] matrix: frame [1, mels] x it = its cepstra. */
  static float[][] dct(int mels, int cepstra) {
    float[][] m = new float[mels][cepstra];
    for (int k = 0; k < cepstra; k++) {
      double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / mels);
      for (int n = 0; n < mels; n++) {
        m[n][k] = (float) (scale * Math.cos(Math.PI * k * (n + 0.5) / mels));
      }
    }
    return m;
  }

  /** What the model card says the network is. */
  String describe() {
    return (cepstra > 0 ? "first " + cepstra + " cepstral coefficients of each frame (DCT-II in"
        + " the graph: MFCCs), then " : "") + "LSTM " + units + " units over the " + frames
        + " frames (unrolled), mean and last hidden state concatenated, dropout " + dropout
        + ", dense " + classes;
  }

  @Override
  public long macsPerExample() {
    int width = cepstra > 0 ? cepstra : mels;
    return (cepstra > 0 ? (long) frames * mels * cepstra : 0)
        + (long) frames * (width + units) * 4L * units + 2L * units * classes;
  }
}
