package io.kinfer.trainer.text;

import java.util.List;

/**
 * The WordNet gloss task, split for training: labels in model-output order (largest category
 * first, e.g. {@code noun.artifact}) and the three disjoint splits.
 */
public record GlossSplits(
    List<String> labels, List<Gloss> train, List<Gloss> validation, List<Gloss> test) {

  public GlossSplits {
    labels = List.copyOf(labels);
    train = List.copyOf(train);
    validation = List.copyOf(validation);
    test = List.copyOf(test);
  }

  /** The texts of a split, in split order. */
  public static List<String> texts(List<Gloss> split) {
    return split.stream().map(Gloss::text).toList();
  }
}
