package io.kinfer.pipeline;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.kinfer.modality.Modality;
import io.kinfer.runtime.Scores;
import io.kinfer.runtime.ServedModel;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Timings;
import java.time.Clock;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * decode → predict → enrich → forward, one record at a time. Bad content throws
 * {@link BadInputException}, which the processing exception handler dead-letters. Each task
 * owns its predictor (DJL predictors are not thread-safe).
 */
final class InferenceProcessor<E extends SpecificRecord, I>
    implements Processor<byte[], E, byte[], EnrichedEvent> {

  private final Modality<E, I> modality;
  private final ServedModel<I> model;
  private final Enricher enricher;
  private final Clock clock;
  private ProcessorContext<byte[], EnrichedEvent> context;
  private Predictor<I, Scores> predictor;

  InferenceProcessor(Modality<E, I> modality, ServedModel<I> model, int topK, Clock clock) {
    this.modality = modality;
    this.model = model;
    this.enricher = new Enricher(modality.schemaValue(), model.info(), model.labels(), topK);
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<byte[], EnrichedEvent> context) {
    this.context = context;
    this.predictor = model.newPredictor();
  }

  @Override
  public void process(Record<byte[], E> record) {
    long arrived = System.nanoTime();
    E event = record.value();
    if (event == null) {
      throw new BadInputException("record has a null value (a tombstone), not a "
          + modality.name() + " event");
    }
    I input = modality.decode(event);
    long started = System.nanoTime();
    Scores scores;
    try {
      scores = predictor.predict(input);
    } catch (TranslateException e) {
      throw new BadInputException("model " + model.info().getName() + " failed on this "
          + modality.name() + " event", e);
    }
    long finished = System.nanoTime();
    Timings timings = new Timings((started - arrived) / 1e6, (finished - started) / 1e6, 1);
    EnrichedEvent result = enricher.enrich(modality.envelope(event), scores, timings,
        clock.instant());
    context.forward(record.withValue(result));
  }

  @Override
  public void close() {
    if (predictor != null) {
      predictor.close();
    }
  }
}
