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
 * One task's batches in flight, oldest first: its shares of the model calls its stream thread
 * forms with the other tasks ({@link StreamThreadBatcher}), and calls of its own (outage
 * retries, overlap off) scored with its own predictor on the pipeline's scoring threads or on
 * the caller's thread when there are none. One call per batch; when it fails, one call per
 * record, so that a bad input fails alone. When the model cannot score even its warm-up
 * input, or the JVM or engine raises an {@link Error}, the batch is an {@link Scored#outage()}:
 * the engine is at fault, not the records.
 *
 * @param <T> what travels with each input (the buffered record)
 * @param <I> the model's input type
 */
final class BatchScorer<T, I> {

  private final ModelPredictor<I> predictor;
  private final ScoringThreads background;
  private final ArrayDeque<Sent<T>> inFlight = new ArrayDeque<>();
  private int recordsInFlight;

  /** @param background the pipeline's scoring threads, or null to score on the caller's */
  BatchScorer(ModelPredictor<I> predictor, ScoringThreads background) {
    this.predictor = predictor;
    this.background = background;
  }

  /**
   * Sends a batch of this task's own off, scored with its own predictor; {@code items} and
   * {@code inputs} are in the same order. Scored after the task's batches before it.
   */
  void send(List<T> items, List<I> inputs, long nowMillis) {
    CompletableFuture<Scored> scores;
    if (background == null) {
      scores = CompletableFuture.completedFuture(score(predictor, inputs));
    } else {
      Sent<T> previous = inFlight.peekLast();
      scores = previous == null
          ? CompletableFuture.supplyAsync(() -> score(predictor, inputs), background)
          : previous.scores().handleAsync((done, error) -> score(predictor, inputs), background);
    }
    add(new Sent<>(items, nowMillis, scores, 0));
  }

  /**
   * This task's share of a batch formed with other tasks' records ({@link
   * StreamThreadBatcher}): its items are the batch's inputs from {@code offset} on.
   */
  void joined(List<T> items, long sentOffMillis, CompletableFuture<Scored> batch, int offset) {
    add(new Sent<>(items, sentOffMillis, batch, offset));
  }

  private void add(Sent<T> sent) {
    inFlight.add(sent);
    recordsInFlight += sent.items().size();
  }

  /** Batches (or shares of batches) sent off and not forwarded yet. */
  int inFlight() {
    return inFlight.size();
  }

  /** Records sent off and not forwarded yet. */
  int recordsInFlight() {
    return recordsInFlight;
  }

  /** Whether the oldest batch in flight is scored (so taking it does not wait). */
  boolean oldestScored() {
    Sent<T> oldest = inFlight.peek();
    return oldest != null && oldest.scores().isDone();
  }

  /** Waits for the oldest batch in flight and hands it over. */
  Result<T> takeOldest() {
    Sent<T> sent = inFlight.poll();
    recordsInFlight -= sent.items().size();
    Scored batch = join(sent.scores());
    return new Result<>(sent.items(), sent.sentOffMillis(),
        batch.share(sent.offset(), sent.items().size()), sent.offset() == 0);
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
    recordsInFlight = 0;
  }

  void close() {
    abandon();
    predictor.close();
  }

  /**
   * Scores {@code inputs} in one call; when it fails, one by one, then probes the model if a
   * record still fails. Never throws for what the model does.
   */
  static <I> Scored score(ModelPredictor<I> predictor, List<I> inputs) {
    long started = System.nanoTime();
    try {
      List<Scores> scores = predictor.predict(inputs);
      return Scored.ok(scores, elapsedMs(started));
    } catch (TranslateException | RuntimeException batchFailure) {
      return scoreOneByOne(predictor, inputs, started);
    } catch (Error engine) {
      return Scored.outage(engine, elapsedMs(started));
    }
  }

  private static <I> Scored scoreOneByOne(ModelPredictor<I> predictor, List<I> inputs,
      long started) {
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
    return new Scored(scores, failures, null, elapsedMs(started), inputs.size());
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

  /** A batch, or a task's share of one from {@code offset} on. */
  private record Sent<T>(List<T> items, long sentOffMillis, CompletableFuture<Scored> scores,
      int offset) {}

  /**
   * A task's records of one model call, when the call was sent off, and how they were scored;
   * {@code firstShare} for the share that starts the call (so each call is counted once).
   */
  record Result<T>(List<T> items, long sentOffMillis, Scored scored, boolean firstShare) {}

  /**
   * Scores by batch position (null where that record failed), or, when the engine failed,
   * {@code outage} and no scores; {@code callSize} inputs were in the model call.
   */
  record Scored(List<Scores> scores, Map<Integer, Exception> failures, Throwable outage,
      double inferenceMs, int callSize) {

    static Scored ok(List<Scores> scores, double inferenceMs) {
      return new Scored(scores, Map.of(), null, inferenceMs, scores.size());
    }

    static Scored outage(Throwable cause, double inferenceMs) {
      return new Scored(List.of(), Map.of(), cause, inferenceMs, 0);
    }

    /** The {@code count} positions from {@code offset}, numbered from 0 again. */
    Scored share(int offset, int count) {
      if (outage != null || (offset == 0 && count == scores.size())) {
        return this;
      }
      Map<Integer, Exception> mine = new HashMap<>();
      failures.forEach((position, error) -> {
        if (position >= offset && position < offset + count) {
          mine.put(position - offset, error);
        }
      });
      return new Scored(scores.subList(offset, offset + count), mine, null, inferenceMs,
          callSize);
    }
  }
}
