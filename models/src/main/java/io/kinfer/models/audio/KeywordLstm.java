package io.kinfer.models.audio;

import io.kinfer.models.train.Network;
import io.kinfer.models.train.Regularizer;
import io.kinfer.models.train.Weights;
import io.kinfer.models.train.Weights.Init;
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
 */
public final class KeywordLstm implements Network {

  static final String INPUT = "features";
  private final int frames;
  private final int mels;
  private final int units;
  private final int classes;
  private final float dropout;

  public KeywordLstm(int frames, int mels, int units, int classes, float dropout) {
    this.frames = frames;
    this.mels = mels;
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
    Operand<TFloat32> kernel = w.get("lstm_kernel", Init.GLOROT_NORMAL, mels + units, 4L * units);
    Operand<TFloat32> bias = w.get("lstm_bias", Init.ZEROS, 4L * units);
    Operand<TFloat32> forgetBias = tf.constant(1f); // the usual +1 on the forget gate
    Operand<TFloat32> h = null;
    Operand<TFloat32> c = null;
    List<Operand<TFloat32>> states = new ArrayList<>();
    for (Operand<TFloat32> step : tf.unstack(x, (long) frames, Unstack.axis(1L))) {
      Operand<TFloat32> in = h == null
          ? tf.concat(List.of(step, tf.zerosLike(tf.linalg.matMul(step,
              tf.zeros(tf.constant(new long[] {mels, units}), TFloat32.class)))), tf.constant(1))
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

  @Override
  public long macsPerExample() {
    return (long) frames * (mels + units) * 4L * units + 2L * units * classes;
  }
}
