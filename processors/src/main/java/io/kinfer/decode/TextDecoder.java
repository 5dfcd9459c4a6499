package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.TextEvent;
import jakarta.inject.Singleton;

/** Plain text; blank text is bad input. */
@Singleton
public final class TextDecoder implements EventDecoder<TextEvent, String> {

  static final int MAX_CHARS = 100_000;
  private final AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);

  @Override
  public String name() {
    return "text";
  }

  @Override
  public Modality modality() {
    return Modality.TEXT;
  }

  @Override
  public AvroSerde<TextEvent> serde() {
    return serde;
  }

  @Override
  public Class<String> inputType() {
    return String.class;
  }

  @Override
  public Envelope envelope(TextEvent event) {
    return event.getEnvelope();
  }

  @Override
  public String decode(TextEvent event) {
    String text = event.getText();
    if (text == null || text.isBlank()) {
      throw new BadInputException("text is blank");
    }
    if (text.length() > MAX_CHARS) {
      throw new BadInputException("text has " + text.length() + " characters, over the "
          + MAX_CHARS + " limit");
    }
    return text;
  }

  @Override
  public String warmUpInput() {
    return "warm up";
  }
}
