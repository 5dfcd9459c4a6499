package io.kinfer.pipeline;

import io.kinfer.config.PipelineSettings;
import io.kinfer.modality.Modality;
import io.kinfer.runtime.ServedModel;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The one pipeline every modality runs: events (Avro) → decode, buffer, predict in batches,
 * enrich → enriched (Avro). Keys, timestamps and headers pass through; records that cannot be
 * decoded leave through the dead-letter handlers, records that fail at predict time through the
 * dead-letter sink.
 */
public final class PipelineTopology {

  private PipelineTopology() {}

  /**
   * @param background where batches are scored when {@code settings.isOverlap()}: the
   *     pipeline's {@link BackgroundScorer}
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <E extends SpecificRecord, I> Topology build(PipelineSettings settings,
      Modality<E, I> modality, ServedModel<I> model, Clock clock, Executor background) {
    Topology topology = new Topology();
    topology.addSource("events", Serdes.ByteArray().deserializer(),
        modality.serde().deserializer(), settings.getInputTopic());
    topology.addProcessor("infer", () -> new BatchingProcessor<>(modality, model,
        settings.getTopK(), settings.getMaxBatch(), settings.getMaxDelay(),
        settings.isOverlap() ? background : null,
        settings.getInputTopic(), clock), "events");
    topology.addStateStore(Stores.keyValueStoreBuilder(
            Stores.inMemoryKeyValueStore(BatchingProcessor.STORE), Serdes.Long(),
            Serdes.ByteArray())
        .withCachingEnabled()
        .withLoggingEnabled(Map.of()), "infer");
    Serializer enriched = AvroSerde.of(EnrichedEvent.class).serializer();
    Serializer bytes = Serdes.ByteArray().serializer();
    topology.addSink(BatchingProcessor.ENRICHED, settings.getOutputTopic(),
        Serdes.ByteArray().serializer(), enriched, "infer");
    topology.addSink(BatchingProcessor.DEAD_LETTERS, settings.getDeadLetterTopic(),
        Serdes.ByteArray().serializer(), bytes, "infer");
    return topology;
  }
}
