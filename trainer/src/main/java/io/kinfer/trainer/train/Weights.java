package io.kinfer.trainer.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * The variables of a network, by name. The same architecture code builds the training graph
 * (seeded random initial values) and the clean inference graph that is exported (trained
 * values), so what is served is exactly what was trained.
 */
public final class Weights {

  /** How a weight starts before training. */
  public enum Init { HE_NORMAL, GLOROT_NORMAL, NORMAL_002, ZEROS, ONES }

  private final Ops tf;
  private final Random random;
  private final Map<String, float[]> values;
  private final Map<String, Variable<TFloat32>> variables = new LinkedHashMap<>();
  private final Map<String, Shape> shapes = new LinkedHashMap<>();

  private Weights(Ops tf, Random random, Map<String, float[]> values) {
    this.tf = tf;
    this.random = random;
    this.values = values;
  }

  /** Fresh weights for training, from a seed. */
  public static Weights random(Ops tf, long seed) {
    return new Weights(tf, new Random(seed), null);
  }

  /** Trained weights for an inference graph. */
  public static Weights trained(Ops tf, Map<String, float[]> values) {
    return new Weights(tf, null, values);
  }

  public Operand<TFloat32> get(String name, Init init, long... shape) {
    if (variables.containsKey(name)) {
      throw new IllegalArgumentException("weight " + name + " defined twice");
    }
    Shape s = Shape.of(shape);
    Variable<TFloat32> variable;
    if (values != null) {
      float[] trained = values.get(name);
      if (trained == null || trained.length != s.size()) {
        throw new IllegalStateException("no trained value of size " + s.size() + " for " + name);
      }
      // Zeros in the graph, trained values assigned at export: the SavedModel holds each
      // weight once (in variables/), not a second time as a graph constant.
      variable = tf.withName(name).variable(tf.withInitScope().zeros(
          tf.withInitScope().constant(shape), TFloat32.class));
    } else {
      var constant = tf.withInitScope().constant(
          NdArrays.wrap(s, DataBuffers.of(initialValues(init, shape), true, false)));
      variable = tf.withName(name).variable(constant);
    }
    variables.put(name, variable);
    shapes.put(name, s);
    return variable;
  }

  /** Assigns the trained values to the variables (after the session is initialised). */
  public void assignTrained(org.tensorflow.Session session) {
    if (values == null) {
      throw new IllegalStateException("these weights are not trained values");
    }
    var runner = session.runner();
    List<org.tensorflow.Tensor> tensors = new java.util.ArrayList<>();
    variables.forEach((name, variable) -> {
      TFloat32 value = TFloat32.tensorOf(shapes.get(name),
          DataBuffers.of(values.get(name), true, false));
      tensors.add(value);
      var placeholder = tf.placeholder(TFloat32.class);
      runner.addTarget(tf.assign(variable, placeholder)).feed(placeholder, value);
    });
    runner.run().close();
    tensors.forEach(org.tensorflow.Tensor::close);
  }

  public List<Variable<TFloat32>> variables() {
    return List.copyOf(variables.values());
  }

  public Map<String, Variable<TFloat32>> byName() {
    return variables;
  }

  /** Number of scalar parameters. */
  public long parameterCount() {
    return shapes.values().stream().mapToLong(Shape::size).sum();
  }

  private float[] initialValues(Init init, long... shape) {
    int size = (int) Shape.of(shape).size();
    long fanIn = 1;
    for (int i = 0; i < shape.length - 1; i++) {
      fanIn *= shape[i];
    }
    long fanOut = shape[shape.length - 1];
    float[] v = new float[size];
    double std = switch (init) {
      case HE_NORMAL -> Math.sqrt(2.0 / Math.max(1, fanIn));
      case GLOROT_NORMAL -> Math.sqrt(2.0 / Math.max(1, fanIn + fanOut));
      case NORMAL_002 -> 0.02;
      case ZEROS, ONES -> 0;
    };
    for (int i = 0; i < size; i++) {
      v[i] = init == Init.ONES ? 1f : (float) (random.nextGaussian() * std);
    }
    return v;
  }
}
