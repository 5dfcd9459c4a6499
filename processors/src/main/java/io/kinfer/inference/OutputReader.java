package io.kinfer.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.kinfer.models.ServingProperties;

/**
 * Picks the scores (and optional embedding) out of a model's named outputs, turning logits into
 * probabilities as {@code activation} says: softmax over the labels, or sigmoid per label.
 */
final class OutputReader {

  private final String outputName;
  private final String embeddingName;
  private final String activation;

  OutputReader(ServingProperties serving) {
    this.outputName = serving.outputName();
    this.embeddingName = serving.embeddingName();
    this.activation = serving.scores().activation();
  }

  Scores read(NDList list) {
    float[] probabilities = activate(find(list, outputName).toFloatArray(), activation);
    float[] embedding = embeddingName == null ? null : find(list, embeddingName).toFloatArray();
    return new Scores(probabilities, embedding);
  }

  /** Softmax (shifted by the largest logit) or sigmoid in place; {@code none} as it is. */
  static float[] activate(float[] scores, String activation) {
    switch (activation) {
      case "softmax" -> {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : scores) {
          max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
          e[i] = Math.exp(scores[i] - max);
          sum += e[i];
        }
        for (int i = 0; i < scores.length; i++) {
          scores[i] = (float) (e[i] / sum);
        }
      }
      case "sigmoid" -> {
        for (int i = 0; i < scores.length; i++) {
          scores[i] = (float) (1 / (1 + Math.exp(-scores[i])));
        }
      }
      default -> {
        // already probabilities
      }
    }
    return scores;
  }

  private static NDArray find(NDList list, String name) {
    NDArray array = list.get(name);
    if (array == null) {
      throw new IllegalStateException("model output '" + name + "' not found; outputs are "
          + list.stream().map(NDArray::getName).toList());
    }
    return array;
  }
}
