package io.kinfer.decode;

import io.kinfer.decode.BadInputException;
import io.kinfer.schema.Modality;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.TextEvent;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Plain text; blank text is bad input. */
@Singleton
public final class TextDecoder implements EventDecoder<TextEvent, String> {

  private final AvroSerde<TextEvent> serde = AvroSerde.of(TextEvent.class);
  private final InputLimits limits;

  public TextDecoder() {
    this(InputLimits.DEFAULT);
  }

  @Inject
  public TextDecoder(InputLimits limits) {
    this.limits = limits;
  }

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
    if (text.length() > limits.maxTextChars()) {
      // Models read a few dozen tokens: the start is what they would see anyway.
      int end = limits.maxTextChars();
      if (Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      return text.substring(0, end);
    }
    return text;
  }

  @Override
  public String warmUpInput() {
    return "warm up";
  }
}
