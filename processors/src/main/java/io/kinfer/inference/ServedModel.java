package io.kinfer.inference;

import ai.djl.Device;
import ai.djl.repository.zoo.ZooModel;
import io.kinfer.models.ModelFolder;
import io.kinfer.schema.ModelInfo;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A loaded, warmed-up model version shared by all stream threads of a pipeline. Predictors are
 * not thread-safe: each processor takes its own with {@link #newPredictor()}.
 *
 * @param warmUpInput an input the model is known to score, used to probe it after a failure
 * @param predictors wraps each new predictor (identity when served as loaded; a decorator can
 *     time calls or, in tests, make them fail)
 */
public record ServedModel<I>(ModelFolder folder, ZooModel<I, Scores> model, Device device,
    ModelInfo info, I warmUpInput, UnaryOperator<ModelPredictor<I>> predictors) {

  public ServedModel(ModelFolder folder, ZooModel<I, Scores> model, Device device,
      ModelInfo info, I warmUpInput) {
    this(folder, model, device, info, warmUpInput, UnaryOperator.identity());
  }

  public ModelPredictor<I> newPredictor() {
    return predictors.apply(ModelPredictor.of(model.newPredictor(), warmUpInput));
  }

  /** The same model with every new predictor wrapped by {@code decorator}. */
  public ServedModel<I> withPredictors(UnaryOperator<ModelPredictor<I>> decorator) {
    return new ServedModel<>(folder, model, device, info, warmUpInput,
        p -> decorator.apply(predictors.apply(p)));
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

  /** Seconds between frames when a frame-by-frame audio model keeps segments; else NaN. */
  public double segmentHop() {
    var serving = folder.serving();
    return serving.modality().equals("audio") && serving.audio().waveform()
        && serving.audio().segments() ? serving.audio().frameHop() : Double.NaN;
  }

  /** A multi-label model's threshold ({@code activation=sigmoid}); NaN for single-label ones. */
  public float labelThreshold() {
    var scores = folder.serving().scores();
    return scores.multiLabel() ? scores.threshold() : Float.NaN;
  }
}
