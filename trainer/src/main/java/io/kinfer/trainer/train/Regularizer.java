package io.kinfer.trainer.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Dropout with masks drawn in Java from a seeded generator and fed each step: training is
 * reproducible, and the exported graph has no random ops (the inactive regularizer is the
 * identity).
 */
public final class Regularizer {

  private final Ops tf;
  private final boolean active;
  private final List<Mask> masks = new ArrayList<>();

  private Regularizer(Ops tf, boolean active) {
    this.tf = tf;
    this.active = active;
  }

  public static Regularizer training(Ops tf) {
    return new Regularizer(tf, true);
  }

  public static Regularizer inference() {
    return new Regularizer(null, false);
  }

  /** Inverted dropout with probability {@code rate} on {@code x}, whose static shape is known. */
  public Operand<TFloat32> dropout(Operand<TFloat32> x, float rate) {
    if (!active || rate <= 0) {
      return x;
    }
    Shape shape = x.shape();
    long perExample = 1;
    for (int i = 1; i < shape.numDimensions(); i++) {
      if (shape.get(i) < 0) {
        throw new IllegalArgumentException("dropout needs a static shape, got " + shape);
      }
      perExample *= shape.get(i);
    }
    long[] dims = shape.asArray();
    dims[0] = -1;
    Placeholder<TFloat32> mask = tf.placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(dims)));
    masks.add(new Mask(mask, shape, (int) perExample, rate));
    return tf.math.mul(x, mask);
  }

  List<Mask> masks() {
    return masks;
  }

  /** One dropout site: values 0 or 1/(1-rate), drawn per step. */
  record Mask(Placeholder<TFloat32> placeholder, Shape shape, int perExample, float rate) {
    float[] draw(Random random, int batch) {
      float keep = 1f / (1f - rate);
      float[] values = new float[batch * perExample];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextFloat() < rate ? 0f : keep;
      }
      return values;
    }

    Shape batchShape(int batch) {
      long[] dims = shape.asArray();
      dims[0] = batch;
      return Shape.of(dims);
    }
  }
}
