package io.kinfer.batching;

import io.kinfer.inference.ServedModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that score full batches for one pipeline while its stream threads read and decode
 * the next ones: as many as the pipeline has stream threads, shared by all of its tasks, so the
 * model is called from as many threads as with overlap off. Daemon threads, named
 * {@code kinfer-<pipeline>-predict-N}.
 */
public final class ScoringThreads implements Executor, AutoCloseable {

  private final ExecutorService threads;
  /** Batches handed over and not finished yet, by every task of the pipeline. */
  private final AtomicInteger pending = new AtomicInteger();
  /** Each stream thread's batcher, by thread, model and settings (tests share one pool). */
  private final Map<BatcherKey, StreamThreadBatcher<?>> batchers = new ConcurrentHashMap<>();

  public ScoringThreads(String pipeline, int threadCount) {
    AtomicInteger next = new AtomicInteger(1);
    this.threads = Executors.newFixedThreadPool(threadCount, r -> {
      Thread t = new Thread(r, "kinfer-" + pipeline + "-predict-" + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void execute(Runnable command) {
    pending.incrementAndGet();
    try {
      threads.execute(() -> {
        try {
          command.run();
        } finally {
          pending.decrementAndGet();
        }
      });
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      throw e;
    }
  }

  /**
   * Whether the model has nothing to score for any task of the pipeline: a task whose own
   * batches are scored may still wait behind another task's, and then the model is busy.
   */
  public boolean idle() {
    return pending.get() == 0;
  }

  /**
   * The batcher of the calling stream thread for {@code model}: the tasks it runs form their
   * model calls together. Created at a thread's first call, with its own predictor.
   */
  @SuppressWarnings("unchecked")
  <I> StreamThreadBatcher<I> batcherForCurrentThread(ServedModel<I> model,
      BatchSettings settings) {
    Thread thread = Thread.currentThread();
    batchers.keySet().removeIf(key -> !key.thread().isAlive() && forget(key));
    return (StreamThreadBatcher<I>) batchers.computeIfAbsent(
        new BatcherKey(thread, model, settings),
        key -> new StreamThreadBatcher<>(thread, model.newPredictor(), this, settings));
  }

  /** Closes the batcher of a stream thread that has ended (a replaced thread). */
  private boolean forget(BatcherKey key) {
    StreamThreadBatcher<?> gone = batchers.get(key);
    if (gone != null) {
      gone.close();
    }
    return true;
  }

  private record BatcherKey(Thread thread, ServedModel<?> model, BatchSettings settings) {}

  /**
   * Call after the pipeline's streams are closed. Batches already handed over still finish (a
   * stream thread that outlived a close timeout may be waiting for one); new ones are refused.
   */
  @Override
  public void close() {
    threads.shutdown();
    try {
      threads.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    batchers.values().forEach(StreamThreadBatcher::close);
    batchers.clear();
  }
}
