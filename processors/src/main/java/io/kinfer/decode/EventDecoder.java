package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import org.apache.avro.specific.SpecificRecord;

/**
 * What one kind of event contributes to the shared pipeline: its Avro type, how to decode an
 * event into the model's input type, and a harmless input to warm a model up. Everything else
 * (prediction, enrichment, dead letters, topics) is the same for every modality.
 *
 * @param <E> the Avro event type
 * @param <I> the decoded input the model's translator takes
 */
public interface EventDecoder<E extends SpecificRecord, I> {

  /** image, audio or text: the {@code modality} key of serving.properties. */
  String name();

  Modality modality();

  AvroSerde<E> serde();

  Class<I> inputType();

  Envelope envelope(E event);

  /** Decodes and validates an event; bad content raises {@link BadInputException}. */
  I decode(E event);

  I warmUpInput();
}
