package io.kinfer.runtime;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.kinfer.models.ModelFolder;
import io.kinfer.schema.ModelInfo;
import java.util.List;

/**
 * A loaded, warmed-up model version shared by all stream threads of a pipeline. Predictors are
 * not thread-safe: each processor takes its own with {@link #newPredictor()}.
 */
public record ServedModel<I>(ModelFolder folder, ZooModel<I, Scores> model, Device device,
    ModelInfo info) {

  public Predictor<I, Scores> newPredictor() {
    return model.newPredictor();
  }

  /**
   * The input with the translator's per-input work done ahead of predicting (see
   * {@link InputPreparation}); the input itself when the translator has none, or when
   * preparing fails, so that the predict call meets and reports the same failure.
   */
  @SuppressWarnings("unchecked")
  public I prepare(I input) {
    if (model.getTranslator() instanceof InputPreparation<?> preparation) {
      try {
        return ((InputPreparation<I>) preparation).prepare(input);
      } catch (RuntimeException e) {
        return input;
      }
    }
    return input;
  }

  public List<String> labels() {
    return folder.labels();
  }
}
