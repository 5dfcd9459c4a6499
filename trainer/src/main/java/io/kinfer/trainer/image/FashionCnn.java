package io.kinfer.trainer.image;

import io.kinfer.trainer.train.Network;
import io.kinfer.trainer.train.Regularizer;
import io.kinfer.trainer.train.Weights;
import io.kinfer.trainer.train.Weights.Init;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The shipped image CNN: two conv blocks (3x3x32, 3x3x32, pool; 3x3x64, pool), dense 128 with
 * dropout, softmax over 10 classes. Input {@code image}: [batch, 28, 28, 1] grey in [0, 1].
 */
public final class FashionCnn implements Network {

  static final String INPUT = "image";
  private final float dropout;

  public FashionCnn(float dropout) {
    this.dropout = dropout;
  }

  @Override
  public Map<String, Operand<?>> inputs(Ops tf) {
    return Map.of(INPUT, tf.withName(INPUT).placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, 28, 28, 1))));
  }

  @Override
  public Outputs build(Ops tf, Weights w, Map<String, Operand<?>> inputs, Regularizer reg) {
    @SuppressWarnings("unchecked")
    Operand<TFloat32> x = (Operand<TFloat32>) inputs.get(INPUT);
    x = conv(tf, w, x, "conv1", 1, 32);
    x = conv(tf, w, x, "conv2", 32, 32);
    x = pool(tf, x);
    x = conv(tf, w, x, "conv3", 32, 64);
    x = pool(tf, x);
    x = tf.reshape(x, tf.constant(new int[] {-1, 7 * 7 * 64}));
    x = tf.nn.relu(dense(tf, w, x, "dense1", 7 * 7 * 64, 128));
    x = reg.dropout(x, dropout);
    return new Outputs(dense(tf, w, x, "logits", 128, FashionMnist.LABELS.size()), Map.of());
  }

  @Override
  public long macsPerExample() {
    return 28L * 28 * 9 * 32 + 28L * 28 * 9 * 32 * 32 + 14L * 14 * 9 * 32 * 64
        + 7L * 7 * 64 * 128 + 128L * 10;
  }

  private static Operand<TFloat32> conv(Ops tf, Weights w, Operand<TFloat32> x, String name,
      int in, int out) {
    Operand<TFloat32> conv = tf.nn.conv2d(x, w.get(name + "_kernel", Init.HE_NORMAL, 3, 3, in, out),
        List.of(1L, 1L, 1L, 1L), "SAME");
    return tf.nn.relu(tf.nn.biasAdd(conv, w.get(name + "_bias", Init.ZEROS, out)));
  }

  private static Operand<TFloat32> pool(Ops tf, Operand<TFloat32> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}),
        tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  static Operand<TFloat32> dense(Ops tf, Weights w, Operand<TFloat32> x, String name, int in,
      int out) {
    return tf.nn.biasAdd(tf.linalg.matMul(x, w.get(name + "_kernel", Init.GLOROT_NORMAL, in, out)),
        w.get(name + "_bias", Init.ZEROS, out));
  }
}
