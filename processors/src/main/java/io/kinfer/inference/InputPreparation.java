package io.kinfer.inference;

/**
 * A translator whose per-input work can be done ahead of the predict call, on another thread:
 * the pipeline prepares each input on its stream thread as it buffers it, so that this work
 * overlaps the scoring of earlier batches instead of running inside it, and so that the buffer
 * holds only what the model reads (an image in the model's size, a clip's features), however
 * large the event was.
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
