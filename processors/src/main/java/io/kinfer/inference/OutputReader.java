package io.kinfer.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.kinfer.models.ServingProperties;

/** Picks the probabilities (and optional embedding) out of a model's named outputs. */
final class OutputReader {

  private final String outputName;
  private final String embeddingName;

  OutputReader(ServingProperties serving) {
    this.outputName = serving.outputName();
    this.embeddingName = serving.embeddingName();
  }

  Scores read(NDList list) {
    float[] probabilities = find(list, outputName).toFloatArray();
    float[] embedding = embeddingName == null ? null : find(list, embeddingName).toFloatArray();
    return new Scores(probabilities, embedding);
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
