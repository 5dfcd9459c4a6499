package io.kinfer.pipeline;

import io.kinfer.batching.ModelOutageException;
import io.kinfer.wire.RegistryUnavailableException;
import java.time.Instant;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A started pipeline: its Kafka Streams, since when it is in its state, and why it stopped.
 * Written by Kafka Streams' threads, read by the health endpoints and the metrics.
 */
final class RunningPipeline {
  final KafkaStreams streams;
  volatile Instant since = Instant.now();
  volatile String failure;

  RunningPipeline(KafkaStreams streams) {
    this.streams = streams;
  }

  void moved() {
    since = Instant.now();
  }

  /** Records why the pipeline stopped; true when the reason is known and says it all. */
  boolean failed(Throwable error) {
    Throwable root = error;
    boolean denied = false;
    while (root.getCause() != null && root.getCause() != root
        && !(root instanceof ModelOutageException)
        && !(root instanceof RegistryUnavailableException)) {
      denied |= root instanceof AuthorizationException;
      root = root.getCause();
    }
    denied |= root instanceof AuthorizationException;
    String message = root.getMessage() != null ? root.getMessage() : root.toString();
    boolean refused = root instanceof RecordTooLargeException;
    failure = denied ? "Kafka denied it: " + message + "; grant the ACLs the README lists"
        + " under \"Connect to a secured cluster\"" : refused ? "Kafka refused a record as"
        + " too large (" + message + "); raise the max.message.bytes of the output and"
        + " dead-letter topics to kinfer.limits.max-record-bytes + 65536 and start again"
        : message;
    return denied || refused || root instanceof ModelOutageException
        || root instanceof RegistryUnavailableException;
  }
}
