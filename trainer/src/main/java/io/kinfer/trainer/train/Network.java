package io.kinfer.trainer.train;

import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An architecture: the serving inputs it declares and the graph from inputs to logits. Built
 * twice: for training (with {@link Regularizer} dropout active) and for export (inactive).
 */
public interface Network {

  /** Creates the serving placeholders (batch dimension first), keyed by signature name. */
  Map<String, Operand<?>> inputs(Ops tf);

  /** Logits {@code [batch, classes]} plus optional named extra outputs such as an embedding. */
  Outputs build(Ops tf, Weights weights, Map<String, Operand<?>> inputs, Regularizer regularizer);

  /** Multiply-accumulate operations per example, for the model card. */
  long macsPerExample();

  /** What the network produces. */
  record Outputs(Operand<TFloat32> logits, Map<String, Operand<TFloat32>> extras) {}
}
