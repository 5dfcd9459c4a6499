package io.kinfer.pipeline;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * One Kafka Streams client per pipeline, created side by side: each creation (its clients,
 * their configuration and metrics) took about 0.2 s of a start, one after the other. Their
 * clients come from {@link QuietPolls}.
 */
final class StreamsClients {

  private StreamsClients() {}

  /**
   * @param topologies by pipeline name, in start order
   * @param configs the same pipelines' Kafka Streams properties
   * @return the clients, created and not started, in the same order; when one cannot be
   *     created, the others are closed and its error thrown
   */
  static Map<String, KafkaStreams> create(Map<String, Topology> topologies,
      Map<String, Properties> configs) {
    Map<String, CompletableFuture<KafkaStreams>> creating = new LinkedHashMap<>();
    topologies.forEach((name, topology) -> {
      Properties props = configs.get(name);
      CompletableFuture<KafkaStreams> streams = new CompletableFuture<>();
      Thread creator = new Thread(() -> {
        try {
          streams.complete(new KafkaStreams(topology, props, new QuietPolls()));
        } catch (RuntimeException | Error e) {
          streams.completeExceptionally(e);
        }
      }, "kinfer-create-" + name);
      creator.setDaemon(true);
      creator.start();
      creating.put(name, streams);
    });
    Map<String, KafkaStreams> created = new LinkedHashMap<>();
    RuntimeException failure = null;
    for (var entry : creating.entrySet()) {
      try {
        created.put(entry.getKey(), entry.getValue().join());
      } catch (CompletionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (failure != null) {
      created.values().forEach(k -> k.close(Duration.ZERO));
      throw failure;
    }
    return created;
  }
}
