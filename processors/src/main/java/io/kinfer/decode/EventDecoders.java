package io.kinfer.decode;

import jakarta.inject.Singleton;
import java.util.List;

/** The modalities this build knows; a fourth is one more {@link EventDecoder} bean. */
@Singleton
public class EventDecoders {

  private final List<EventDecoder<?, ?>> all;

  public EventDecoders(List<EventDecoder<?, ?>> all) {
    this.all = List.copyOf(all);
  }

  public EventDecoder<?, ?> get(String name) {
    return all.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown modality '" + name
            + "'; known: " + all.stream().map(EventDecoder::name).sorted().toList()));
  }
}
