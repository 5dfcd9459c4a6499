package io.kinfer.batching;

/**
 * The model could not score even a known-good input, again and again: the pipeline stops. Not a
 * bad input, so nothing is dead-lettered; the records stay in the batch buffer and are scored
 * once the model works again (after a restart).
 */
public final class ModelOutageException extends RuntimeException {

  ModelOutageException(String message, Throwable cause) {
    super(message, cause);
  }
}
