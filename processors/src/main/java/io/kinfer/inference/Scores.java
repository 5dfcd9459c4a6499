package io.kinfer.inference;

/**
 * What a model says about one input: class probabilities in synset order and, when the model
 * exposes one, a pooled embedding; for a model that scores a clip frame by frame, each frame's
 * scores too (null otherwise).
 */
public record Scores(float[] probabilities, float[] embedding, float[][] frames) {

  public Scores(float[] probabilities, float[] embedding) {
    this(probabilities, embedding, null);
  }
}
