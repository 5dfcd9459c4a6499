package io.kinfer.trainer;

import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Creates graph variables initialised from a seeded generator (He-scaled Gaussian). */
final class GraphWeights {

  private final Ops tf;
  private final Random random;

  GraphWeights(Ops tf, long seed) {
    this.tf = tf;
    this.random = new Random(seed);
  }

  /** A weight variable; fan-in is the product of all dimensions but the last. */
  Operand<TFloat32> weight(String name, long... shape) {
    long fanIn = 1;
    for (int i = 0; i < shape.length - 1; i++) {
      fanIn *= shape[i];
    }
    float scale = (float) Math.sqrt(2.0 / Math.max(1, fanIn));
    float[] values = new float[(int) Shape.of(shape).size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * scale;
    }
    return variable(name, values, shape);
  }

  /** A bias variable with small random values, so every class can win. */
  Operand<TFloat32> bias(String name, long size) {
    float[] values = new float[(int) size];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian() * 0.1f;
    }
    return variable(name, values, size);
  }

  private Operand<TFloat32> variable(String name, float[] values, long... shape) {
    Ops init = tf.withInitScope();
    var initial = init.constant(NdArrays.wrap(Shape.of(shape), DataBuffers.of(values, true, false)));
    return tf.withName(name).variable(initial);
  }
}
