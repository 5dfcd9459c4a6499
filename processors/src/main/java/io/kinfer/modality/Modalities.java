package io.kinfer.modality;

import jakarta.inject.Singleton;
import java.util.List;

/** The modalities this build knows; a fourth is one more {@link Modality} bean. */
@Singleton
public class Modalities {

  private final List<Modality<?, ?>> all;

  public Modalities(List<Modality<?, ?>> all) {
    this.all = List.copyOf(all);
  }

  public Modality<?, ?> get(String name) {
    return all.stream().filter(m -> m.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown modality '" + name
            + "'; known: " + all.stream().map(Modality::name).sorted().toList()));
  }
}
