package io.kinfer.pipeline;

import io.kinfer.config.PipelineSettings;
import io.kinfer.modality.Modality;
import io.kinfer.runtime.ServedModel;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The one pipeline every modality runs: events (Avro) → decode, predict, enrich → enriched
 * (Avro). Keys pass through untouched; bad records leave through the dead-letter handlers.
 */
public final class PipelineTopology {

  private PipelineTopology() {}

  public static <E extends SpecificRecord, I> Topology build(PipelineSettings settings,
      Modality<E, I> modality, ServedModel<I> model, Clock clock) {
    Topology topology = new Topology();
    topology.addSource("events", Serdes.ByteArray().deserializer(),
        modality.serde().deserializer(), settings.getInputTopic());
    topology.addProcessor("infer",
        () -> new InferenceProcessor<>(modality, model, settings.getTopK(), clock), "events");
    topology.addSink("enriched", settings.getOutputTopic(), Serdes.ByteArray().serializer(),
        AvroSerde.of(EnrichedEvent.class).serializer(), "infer");
    return topology;
  }
}
