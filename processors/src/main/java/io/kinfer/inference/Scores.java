package io.kinfer.inference;

/**
 * What a model says about one input: class probabilities in synset order and, when the model
 * exposes one, a pooled embedding.
 */
public record Scores(float[] probabilities, float[] embedding) {}
