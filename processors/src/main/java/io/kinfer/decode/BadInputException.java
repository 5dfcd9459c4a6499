package io.kinfer.decode;

/**
 * An event that cannot be scored because of its content (not an image, not a WAV, empty text,
 * a null value). It goes to the dead-letter topic with this message as the reason; the pipeline
 * goes on. Carries no stack trace: it is an expected outcome, not a bug.
 */
public final class BadInputException extends RuntimeException {

  public BadInputException(String reason) {
    super(reason, null, false, false);
  }

  public BadInputException(String reason, Throwable cause) {
    super(reason + ": " + cause.getMessage(), null, false, false);
  }
}
