package io.kinfer.trainer.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A labelled dataset held as flat arrays per named input (float features or int64 token ids),
 * so a batch becomes tensors without per-example objects.
 */
public final class Examples {

  private final int size;
  private final int[] labels;
  private final Map<String, float[]> floats = new LinkedHashMap<>();
  private final Map<String, long[]> longs = new LinkedHashMap<>();
  private final Map<String, long[]> exampleShapes = new LinkedHashMap<>();

  public Examples(int[] labels) {
    this.size = labels.length;
    this.labels = labels;
  }

  public Examples withFloats(String input, float[] values, long... exampleShape) {
    check(values.length, exampleShape);
    floats.put(input, values);
    exampleShapes.put(input, exampleShape);
    return this;
  }

  public Examples withLongs(String input, long[] values, long... exampleShape) {
    check(values.length, exampleShape);
    longs.put(input, values);
    exampleShapes.put(input, exampleShape);
    return this;
  }

  public int size() {
    return size;
  }

  public int label(int i) {
    return labels[i];
  }

  public int[] labels() {
    return labels;
  }

  public float[] floats(String input) {
    return floats.get(input);
  }

  public long[] exampleShape(String input) {
    return exampleShapes.get(input);
  }

  /** Tensors for the examples at {@code indices}, keyed by input name. Caller closes them. */
  Map<String, Tensor> batch(int[] indices, int from, int to) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    int n = to - from;
    floats.forEach((name, values) -> {
      int per = per(name);
      float[] out = new float[n * per];
      for (int i = 0; i < n; i++) {
        System.arraycopy(values, indices[from + i] * per, out, i * per, per);
      }
      tensors.put(name, TFloat32.tensorOf(shape(name, n), DataBuffers.of(out, true, false)));
    });
    longs.forEach((name, values) -> {
      int per = per(name);
      long[] out = new long[n * per];
      for (int i = 0; i < n; i++) {
        System.arraycopy(values, indices[from + i] * per, out, i * per, per);
      }
      tensors.put(name, TInt64.tensorOf(shape(name, n), DataBuffers.of(out, true, false)));
    });
    return tensors;
  }

  private int per(String name) {
    long per = 1;
    for (long d : exampleShapes.get(name)) {
      per *= d;
    }
    return (int) per;
  }

  private Shape shape(String name, int batch) {
    long[] example = exampleShapes.get(name);
    long[] dims = new long[example.length + 1];
    dims[0] = batch;
    System.arraycopy(example, 0, dims, 1, example.length);
    return Shape.of(dims);
  }

  private void check(int length, long... exampleShape) {
    long per = 1;
    for (long d : exampleShape) {
      per *= d;
    }
    if (length != per * size) {
      throw new IllegalArgumentException(length + " values for " + size + " examples of shape "
          + java.util.Arrays.toString(exampleShape));
    }
  }
}
