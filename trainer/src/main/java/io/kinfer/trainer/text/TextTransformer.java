package io.kinfer.trainer.text;

import io.kinfer.trainer.train.Network;
import io.kinfer.trainer.train.Regularizer;
import io.kinfer.trainer.train.Weights;
import io.kinfer.trainer.train.Weights.Init;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The shipped text encoder: token + learned position embeddings, {@code layers} pre-norm
 * Transformer blocks (multi-head self-attention over non-padding tokens, then a ReLU
 * feed-forward, each with a residual), a final LayerNorm, masked mean pooling → the
 * {@code embedding} output, and a linear classifier. Input {@code input_ids}: [batch, length]
 * int64 WordPiece ids, 0 = [PAD].
 */
public final class TextTransformer implements Network {

  static final String INPUT = "input_ids";
  static final String EMBEDDING = "embedding";
  private final int vocab;
  private final int length;
  private final int dim;
  private final int heads;
  private final int hidden;
  private final int layers;
  private final int classes;
  private final float dropout;

  public TextTransformer(int vocab, int length, int dim, int heads, int hidden, int layers,
      int classes, float dropout) {
    if (dim % heads != 0) {
      throw new IllegalArgumentException("dim " + dim + " is not a multiple of heads " + heads);
    }
    this.vocab = vocab;
    this.length = length;
    this.dim = dim;
    this.heads = heads;
    this.hidden = hidden;
    this.layers = layers;
    this.classes = classes;
    this.dropout = dropout;
  }

  @Override
  public Map<String, Operand<?>> inputs(Ops tf) {
    return Map.of(INPUT, tf.withName(INPUT).placeholder(TInt64.class,
        Placeholder.shape(Shape.of(-1, length))));
  }

  @Override
  public Outputs build(Ops tf, Weights w, Map<String, Operand<?>> inputs, Regularizer reg) {
    @SuppressWarnings("unchecked")
    Operand<TInt64> ids = (Operand<TInt64>) inputs.get(INPUT);
    Operand<TFloat32> mask = tf.dtypes.cast(tf.math.notEqual(ids, tf.constant(0L)),
        TFloat32.class); // [B, T]
    // Additive attention mask: padding keys get -1e9 before the softmax. [B, 1, 1, T]
    Operand<TFloat32> keyBias = tf.math.mul(tf.math.sub(tf.constant(1f), mask),
        tf.constant(-1e9f));
    keyBias = tf.reshape(keyBias, tf.constant(new int[] {-1, 1, 1, length}));

    Operand<TFloat32> x = tf.gather(w.get("token_embedding", Init.NORMAL_002, vocab, dim), ids,
        tf.constant(0));
    x = tf.math.add(x, w.get("position_embedding", Init.NORMAL_002, length, dim));
    x = reg.dropout(x, dropout);
    for (int layer = 0; layer < layers; layer++) {
      String p = "layer" + layer + "_";
      Operand<TFloat32> h = layerNorm(tf, w, x, p + "ln1");
      x = tf.math.add(x, reg.dropout(attention(tf, w, h, keyBias, p), dropout));
      h = layerNorm(tf, w, x, p + "ln2");
      h = tf.nn.relu(dense3(tf, w, h, p + "ff1", dim, hidden));
      x = tf.math.add(x, reg.dropout(dense3(tf, w, h, p + "ff2", hidden, dim), dropout));
    }
    x = layerNorm(tf, w, x, "final_ln");
    // Masked mean over real tokens: the sentence embedding.
    Operand<TFloat32> summed = tf.reduceSum(tf.math.mul(x, tf.expandDims(mask, tf.constant(-1))),
        tf.constant(1));
    Operand<TFloat32> count = tf.math.maximum(
        tf.reduceSum(mask, tf.constant(1), ReduceSum.keepDims(true)), tf.constant(1f));
    Operand<TFloat32> embedding = tf.math.div(summed, count);
    Operand<TFloat32> logits = tf.nn.biasAdd(
        tf.linalg.matMul(reg.dropout(embedding, dropout),
            w.get("classifier_kernel", Init.GLOROT_NORMAL, dim, classes)),
        w.get("classifier_bias", Init.ZEROS, classes));
    return new Outputs(logits, Map.of(EMBEDDING, embedding));
  }

  private Operand<TFloat32> attention(Ops tf, Weights w, Operand<TFloat32> x,
      Operand<TFloat32> keyBias, String p) {
    int headDim = dim / heads;
    Operand<TFloat32> q = splitHeads(tf, dense3(tf, w, x, p + "q", dim, dim), headDim);
    Operand<TFloat32> k = splitHeads(tf, dense3(tf, w, x, p + "k", dim, dim), headDim);
    Operand<TFloat32> v = splitHeads(tf, dense3(tf, w, x, p + "v", dim, dim), headDim);
    Operand<TFloat32> scores = tf.math.mul(
        tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
        tf.constant((float) (1 / Math.sqrt(headDim)))); // [B, H, T, T]
    Operand<TFloat32> weights = tf.nn.softmax(tf.math.add(scores, keyBias));
    Operand<TFloat32> context = tf.train.batchMatMul(weights, v, TFloat32.class); // [B,H,T,hd]
    context = tf.linalg.transpose(context, tf.constant(new int[] {0, 2, 1, 3}));
    context = tf.reshape(context, tf.constant(new int[] {-1, length, dim}));
    return dense3(tf, w, context, p + "o", dim, dim);
  }

  private Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x, int headDim) {
    Operand<TFloat32> r = tf.reshape(x, tf.constant(new int[] {-1, length, heads, headDim}));
    return tf.linalg.transpose(r, tf.constant(new int[] {0, 2, 1, 3}));
  }

  /** A dense layer over the last axis of [B, T, in]. */
  private Operand<TFloat32> dense3(Ops tf, Weights w, Operand<TFloat32> x, String name, int in,
      int out) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, in}));
    Operand<TFloat32> y = tf.nn.biasAdd(
        tf.linalg.matMul(flat, w.get(name + "_kernel", Init.GLOROT_NORMAL, in, out)),
        w.get(name + "_bias", Init.ZEROS, out));
    return tf.reshape(y, tf.constant(new int[] {-1, length, out}));
  }

  private Operand<TFloat32> layerNorm(Ops tf, Weights w, Operand<TFloat32> x, String name) {
    Operand<TFloat32> mean = tf.math.mean(x, tf.constant(-1),
        org.tensorflow.op.math.Mean.keepDims(true));
    // Written as square(x - mean), not SquaredDifference: TensorFlow 2.16's oneDNN remapper
    // rewrites the SquaredDifference form into a fused layer norm and then aborts the process
    // (protobuf CHECK "key not found: value") on these graphs.
    Operand<TFloat32> centered = tf.math.sub(x, mean);
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centered), tf.constant(-1),
        org.tensorflow.op.math.Mean.keepDims(true));
    Operand<TFloat32> normed = tf.math.mul(centered,
        tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-5f))));
    return tf.math.add(tf.math.mul(normed, w.get(name + "_gamma", Init.ONES, dim)),
        w.get(name + "_beta", Init.ZEROS, dim));
  }

  @Override
  public long macsPerExample() {
    long t = length;
    long perLayer = 4 * t * dim * dim + 2 * t * t * dim + 2 * t * dim * hidden;
    return layers * perLayer + (long) dim * classes;
  }
}
