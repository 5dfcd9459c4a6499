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
  /** Frame-by-frame models ({@code features=waveform}): how frames are pooled; else null. */
  private final String pooling;

  OutputReader(ServingProperties serving) {
    this.outputName = serving.outputName();
    this.embeddingName = serving.embeddingName();
    this.activation = serving.scores().activation();
    this.pooling = serving.modality().equals("audio") && serving.audio().waveform()
        ? serving.audio().pooling() : null;
  }

  Scores read(NDList list) {
    NDArray scores = find(list, outputName);
    NDArray embedding = embeddingName == null ? null : find(list, embeddingName);
    if (pooling == null) {
      return new Scores(activate(scores.toFloatArray(), activation),
          embedding == null ? null : embedding.toFloatArray());
    }
    // [frames, labels]: each frame activated, then pooled into one score per label.
    float[][] frames = rows(scores);
    for (float[] frame : frames) {
      activate(frame, activation);
    }
    return new Scores(pool(frames, scores.getShape().get(scores.getShape().dimension() - 1),
        pooling), embedding == null ? null : pool(rows(embedding),
        embedding.getShape().get(embedding.getShape().dimension() - 1), "mean"), frames);
  }

  /**
   * Each record's scores out of a batch's outputs (each {@code [n, ...]}), read with one copy
   * per output rather than an array per record (DJL's default splits each output into n
   * native arrays first); null for frame-by-frame models, which are read per record.
   */
  java.util.List<Scores> readBatch(NDList list) {
    NDArray scores = find(list, outputName);
    NDArray embedding = embeddingName == null ? null : find(list, embeddingName);
    if (pooling != null || scores.getShape().dimension() == 0) {
      return null;
    }
    int n = (int) scores.getShape().get(0);
    float[] all = scores.toFloatArray();
    float[] embeddings = embedding == null ? null : embedding.toFloatArray();
    int width = n == 0 ? 0 : all.length / n;
    int embeddingWidth = embeddings == null || n == 0 ? 0 : embeddings.length / n;
    java.util.List<Scores> out = new java.util.ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      out.add(new Scores(activate(java.util.Arrays.copyOfRange(all, r * width, (r + 1) * width),
          activation), embeddings == null ? null : java.util.Arrays.copyOfRange(embeddings,
          r * embeddingWidth, (r + 1) * embeddingWidth)));
    }
    return out;
  }

  /** A rank-2 output as rows (a rank-1 output is one row). */
  private static float[][] rows(NDArray array) {
    float[] flat = array.toFloatArray();
    int width = (int) array.getShape().get(array.getShape().dimension() - 1);
    int count = width == 0 ? 0 : flat.length / width;
    float[][] rows = new float[count][];
    for (int r = 0; r < count; r++) {
      rows[r] = java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width);
    }
    return rows;
  }

  /** The mean or max of each column; zeros when there is no frame at all. */
  static float[] pool(float[][] frames, long width, String pooling) {
    float[] pooled = new float[(int) width];
    if (frames.length == 0) {
      return pooled;
    }
    boolean max = pooling.equals("max");
    if (max) {
      java.util.Arrays.fill(pooled, Float.NEGATIVE_INFINITY);
    }
    for (float[] frame : frames) {
      for (int i = 0; i < pooled.length; i++) {
        pooled[i] = max ? Math.max(pooled[i], frame[i]) : pooled[i] + frame[i] / frames.length;
      }
    }
    return pooled;
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
