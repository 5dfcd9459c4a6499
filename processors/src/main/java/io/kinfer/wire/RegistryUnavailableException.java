package io.kinfer.wire;

import org.apache.kafka.common.KafkaException;

/**
 * The schema registry did not answer (unreachable, refused the credentials, failed): not the
 * record's fault, so the record is not dead-lettered; the pipeline stops and its offsets stay
 * where they were, so every record is read again once the registry is back.
 */
public final class RegistryUnavailableException extends KafkaException {

  RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
