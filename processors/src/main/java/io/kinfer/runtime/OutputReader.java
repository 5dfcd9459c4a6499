package io.kinfer.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Map;

/** Picks the probabilities (and optional embedding) out of a model's named outputs. */
final class OutputReader {

  private final String outputName;
  private final String embeddingName;

  OutputReader(Map<String, ?> arguments) {
    this.outputName = Arguments.string(arguments, "outputName", "probabilities");
    this.embeddingName = Arguments.string(arguments, "embeddingName", null);
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
