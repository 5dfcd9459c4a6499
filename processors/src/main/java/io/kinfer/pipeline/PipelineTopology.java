package io.kinfer.pipeline;

import io.kinfer.batching.BatchObserver;
import io.kinfer.batching.BatchSettings;
import io.kinfer.batching.BatchingProcessor;
import io.kinfer.batching.BufferStore;
import io.kinfer.batching.ScoringThreads;
import io.kinfer.config.PipelineSettings;
import io.kinfer.decode.EventDecoder;
import io.kinfer.inference.ServedModel;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.wire.WireFormat;
import java.time.Clock;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The one pipeline every modality runs: events (Avro, plain or registry-framed) → decode,
 * buffer, predict in batches, enrich → enriched (Avro, the same wire format). Keys, timestamps
 * and headers pass through. Records that are not events leave through the dead-letter
 * handlers; events that fail at predict time through the dead-letter sink.
 */
public final class PipelineTopology {

  static final String SOURCE = "events";
  static final String INFER = "infer";

  private PipelineTopology() {}

  /**
   * @param background where full batches are scored when {@code settings.isOverlap()}: the
   *     pipeline's {@link io.kinfer.batching.ScoringThreads}
   */
  public static <E extends SpecificRecord, I> Topology build(PipelineSettings settings,
      EventDecoder<E, I> decoder, ServedModel<I> model, Clock clock, ScoringThreads background) {
    return build(settings, decoder, model, clock, background, () -> BatchObserver.NONE);
  }

  /** @param observers a new observer for each stream task's processor (metrics) */
  public static <E extends SpecificRecord, I> Topology build(PipelineSettings settings,
      EventDecoder<E, I> decoder, ServedModel<I> model, Clock clock, ScoringThreads background,
      Supplier<BatchObserver> observers) {
    return build(settings, decoder, model, clock, background, observers, DEFAULT_MAX_RECORD);
  }

  /** Kafka's default largest record, for callers without {@code kinfer.limits}. */
  static final int DEFAULT_MAX_RECORD = 1_000_000;

  /**
   * @param maxRecordBytes {@code kinfer.limits.max-record-bytes}: larger input records are
   *     dead-lettered, and dead letters are cut to it
   */
  public static <E extends SpecificRecord, I> Topology build(PipelineSettings settings,
      EventDecoder<E, I> decoder, ServedModel<I> model, Clock clock, ScoringThreads background,
      Supplier<BatchObserver> observers, int maxRecordBytes) {
    return build(settings, decoder, model, clock, background, observers, maxRecordBytes,
        WireFormat.PLAIN);
  }

  /** @param wire how events, results and dead letters of decoded events look on Kafka */
  public static <E extends SpecificRecord, I> Topology build(PipelineSettings settings,
      EventDecoder<E, I> decoder, ServedModel<I> model, Clock clock, ScoringThreads background,
      Supplier<BatchObserver> observers, int maxRecordBytes, WireFormat wire) {
    BatchSettings batching = new BatchSettings(settings.getMaxBatch(), settings.getMaxDelay(),
        settings.getTopK(), settings.getOutageRetries(), settings.getOutageBackoff(),
        maxRecordBytes, settings.isSendWhenIdle(), settings.isEarlyCommit());
    Topology topology = new Topology();
    // 1. Source: Avro events of the modality (bytes that are not one: deserialization handler).
    topology.addSource(SOURCE, Serdes.ByteArray().deserializer(),
        new RecordSizeLimit<>(wire.reader(decoder.serde()), maxRecordBytes),
        settings.getInputTopic());
    // 2. Decode, buffer, score in batches, enrich (bad content: processing handler).
    UnaryOperator<byte[]> deadLetterValue = wire.reframe(decoder.serde(),
        settings.getDeadLetterTopic());
    topology.addProcessor(INFER, () -> new BatchingProcessor<>(decoder, model, batching,
        settings.isOverlap() ? background : null, settings.getInputTopic(), clock,
        observers.get(), deadLetterValue), SOURCE);
    // 3. The buffer: a changelogged store, so buffered records survive a crash.
    //    Records scored before a commit never reach it (BufferStore).
    topology.addStateStore(BufferStore.builder(), INFER);
    // 4. Sinks: results, and events the model failed on alone.
    topology.addSink(BatchingProcessor.ENRICHED, settings.getOutputTopic(),
        Serdes.ByteArray().serializer(), wire.writer(AvroSerde.of(EnrichedEvent.class)),
        INFER);
    topology.addSink(BatchingProcessor.DEAD_LETTERS, settings.getDeadLetterTopic(),
        Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(), INFER);
    return topology;
  }
}
