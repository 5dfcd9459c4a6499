package io.kinfer.inference;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.List;

/**
 * One thread's handle on a served model: a batch in one call, one input alone, and a probe
 * with an input known to be good (to tell a broken engine from a bad input). Not thread-safe;
 * each user takes its own from {@link ServedModel#newPredictor()} and closes it.
 *
 * @param <I> the decoded input type
 */
public interface ModelPredictor<I> extends AutoCloseable {

  List<Scores> predict(List<I> inputs) throws TranslateException;

  Scores predict(I input) throws TranslateException;

  /** Scores the model's warm-up input; throws when the model cannot score even that. */
  void probe() throws TranslateException;

  @Override
  void close();

  /** A DJL predictor with the model's warm-up input as the probe. */
  static <I> ModelPredictor<I> of(Predictor<I, Scores> predictor, I warmUpInput) {
    return new ModelPredictor<>() {
      @Override
      public List<Scores> predict(List<I> inputs) throws TranslateException {
        return predictor.batchPredict(inputs);
      }

      @Override
      public Scores predict(I input) throws TranslateException {
        return predictor.predict(input);
      }

      @Override
      public void probe() throws TranslateException {
        predictor.predict(warmUpInput);
      }

      @Override
      public void close() {
        predictor.close();
      }
    };
  }
}
