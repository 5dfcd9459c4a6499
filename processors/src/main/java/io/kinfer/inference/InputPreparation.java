package io.kinfer.inference;

/**
 * A translator whose per-input work can be done ahead of the predict call, on another thread:
 * the pipeline prepares a batch's inputs on its stream thread as it sends the batch off, so
 * that this work overlaps the scoring of the previous batch instead of running inside it. A
 * prepared input holds only what the model reads (an image in the model's size, a clip's
 * features), so batches in flight stay small however large their events were.
 *
 * @param <I> the translator's input type
 */
public interface InputPreparation<I> {

  /**
   * The input with the work done, for the same translator's {@code processInput}; the same
   * result as leaving it to {@code processInput}. May throw on bad input, as processInput would.
   */
  I prepare(I input);
}
