package io.kinfer.batching;

import ai.djl.translate.TranslateException;
import io.kinfer.inference.ModelPredictor;
import io.kinfer.inference.Scores;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Scores one task's batches, in the order they were sent, on the pipeline's scoring threads
 * (or on the caller's thread when there are none). One call per batch; when it fails, one call
 * per record, so that a bad input fails alone. When the model cannot score even its warm-up
 * input, or the JVM or engine raises an {@link Error}, the batch is an {@link Scored#outage()}:
 * the engine is at fault, not the records.
 *
 * @param <T> what travels with each input (the buffered record)
 * @param <I> the model's input type
 */
final class BatchScorer<T, I> {

  /**
   * Batches a task may have sent off and not forwarded yet. Two keep the scorer busy while the
   * stream thread forwards one batch's results, commits or polls.
   */
  static final int MAX_IN_FLIGHT = 2;

  private final ModelPredictor<I> predictor;
  private final ScoringThreads background;
  private final ArrayDeque<Sent<T>> inFlight = new ArrayDeque<>();

  /** @param background the pipeline's scoring threads, or null to score on the caller's */
  BatchScorer(ModelPredictor<I> predictor, ScoringThreads background) {
    this.predictor = predictor;
    this.background = background;
  }

  /**
   * Sends a batch off; {@code items} and {@code inputs} are in the same order. A task's batches
   * are scored one after the other (its predictor is not thread-safe), other tasks' alongside.
   */
  void send(List<T> items, List<I> inputs, long nowMillis) {
    CompletableFuture<Scored> scores;
    if (background == null) {
      scores = CompletableFuture.completedFuture(score(inputs));
    } else {
      Sent<T> previous = inFlight.peekLast();
      scores = previous == null ? CompletableFuture.supplyAsync(() -> score(inputs), background)
          : previous.scores().handleAsync((done, error) -> score(inputs), background);
    }
    inFlight.add(new Sent<>(items, nowMillis, scores));
  }

  int inFlight() {
    return inFlight.size();
  }

  /**
   * Whether the model has nothing to score: every batch in flight is scored already, and the
   * pipeline's scoring threads (shared by its tasks) have no other task's batch either.
   */
  boolean idle() {
    Sent<T> newest = inFlight.peekLast();
    boolean ownDone = newest == null || newest.scores().isDone();
    return ownDone && (background == null || background.idle());
  }

  /** Whether the oldest batch in flight is scored (so taking it does not wait). */
  boolean oldestScored() {
    Sent<T> oldest = inFlight.peek();
    return oldest != null && oldest.scores().isDone();
  }

  /** Waits for the oldest batch in flight and hands it over. */
  Result<T> takeOldest() {
    Sent<T> sent = inFlight.poll();
    return new Result<>(sent.items(), sent.sentOffMillis(), join(sent.scores()));
  }

  /**
   * Waits until nothing is being scored and forgets every batch in flight: their records are
   * still buffered and will be scored again.
   */
  void abandon() {
    for (Sent<T> sent : inFlight) {
      sent.scores().handle((scored, error) -> null).join();
    }
    inFlight.clear();
  }

  void close() {
    abandon();
    predictor.close();
  }

  private Scored score(List<I> inputs) {
    long started = System.nanoTime();
    try {
      List<Scores> scores = predictor.predict(inputs);
      return Scored.ok(scores, elapsedMs(started));
    } catch (TranslateException | RuntimeException batchFailure) {
      return scoreOneByOne(inputs, started);
    } catch (Error engine) {
      return Scored.outage(engine, elapsedMs(started));
    }
  }

  private Scored scoreOneByOne(List<I> inputs, long started) {
    List<Scores> scores = new ArrayList<>(inputs.size());
    Map<Integer, Exception> failures = new HashMap<>();
    try {
      for (int i = 0; i < inputs.size(); i++) {
        try {
          scores.add(predictor.predict(inputs.get(i)));
        } catch (TranslateException | RuntimeException e) {
          scores.add(null);
          failures.put(i, e);
        }
      }
      if (!failures.isEmpty()) {
        try {
          predictor.probe();
        } catch (TranslateException | RuntimeException e) {
          return Scored.outage(e, elapsedMs(started));
        }
      }
    } catch (Error engine) {
      return Scored.outage(engine, elapsedMs(started));
    }
    return new Scored(scores, failures, null, elapsedMs(started));
  }

  private static double elapsedMs(long started) {
    return (System.nanoTime() - started) / 1e6;
  }

  private static Scored join(CompletableFuture<Scored> scores) {
    try {
      return scores.join();
    } catch (CompletionException e) {
      // Scoring catches what the model throws, so this is a bug: the pipeline must stop.
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  private record Sent<T>(List<T> items, long sentOffMillis, CompletableFuture<Scored> scores) {}

  /** A batch's items, when it was sent off, and how it was scored. */
  record Result<T>(List<T> items, long sentOffMillis, Scored scored) {}

  /**
   * Scores by batch position (null where that record failed), or, when the engine failed,
   * {@code outage} and no scores.
   */
  record Scored(List<Scores> scores, Map<Integer, Exception> failures, Throwable outage,
      double inferenceMs) {

    static Scored ok(List<Scores> scores, double inferenceMs) {
      return new Scored(scores, Map.of(), null, inferenceMs);
    }

    static Scored outage(Throwable cause, double inferenceMs) {
      return new Scored(List.of(), Map.of(), cause, inferenceMs);
    }
  }
}
