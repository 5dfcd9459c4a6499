package io.kinfer.tools.bench;

import ai.djl.translate.TranslateException;
import io.kinfer.config.PipelineSettings;
import io.kinfer.decode.EventDecoder;
import io.kinfer.decode.EventDecoders;
import io.kinfer.inference.ModelPredictor;
import io.kinfer.inference.ModelRegistry;
import io.kinfer.inference.ServedModel;
import io.kinfer.tools.bench.Bench.Figure;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/** The model alone through DJL on decoded inputs, in a context of its own. */
final class ModelAlone implements AutoCloseable {

  private final ApplicationContext context;
  private final ServedModel<Object> model;
  private final ModelPredictor<Object> predictor;
  private final List<Object> inputs = new ArrayList<>();

  @SuppressWarnings({"unchecked", "rawtypes"})
  ModelAlone(Path modelsDir, String modality, List<byte[]> encoded) {
    context = ApplicationContext.builder().deduceEnvironment(false)
        .properties(Map.of("kinfer.models-dir", modelsDir.toString(),
            // no health monitor: this context is closed before its first run would start
            "micronaut.health.monitor.enabled", false)).start();
    try {
      EventDecoder m = context.getBean(EventDecoders.class).get(modality);
      PipelineSettings settings = context.getBeansOfType(PipelineSettings.class).stream()
          .filter(p -> p.getName().equals(modality)).findFirst().orElseThrow();
      model = context.getBean(ModelRegistry.class).load(settings.getModel(),
          settings.getModelVersion(), "cpu", m);
      for (byte[] bytes : encoded) {
        inputs.add(m.decode((SpecificRecord) m.serde().decode(bytes)));
      }
      predictor = model.newPredictor();
    } catch (RuntimeException e) {
      context.close();
      throw e;
    }
  }

  List<Object> inputs() {
    return inputs;
  }

  List<Object> warmUpRound() {
    return inputs.subList(0, Bench.warmUpSize(inputs.size()));
  }

  Figure run(List<Object> round, int size) {
    return modelRun(predictor, round, size);
  }

  /**
   * Every input through the model, {@code size} at a time, taken in turn by {@code callers}
   * threads that call it at once, each with a predictor of its own.
   *
   * @return events per second
   */
  double rate(List<Object> inputs, int size, int callers) throws InterruptedException {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<Exception> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    List<ModelPredictor<Object>> predictors = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      predictors.add(i == 0 ? predictor : model.newPredictor());
    }
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (ModelPredictor<Object> p : predictors) {
      Thread t = new Thread(() -> {
        try {
          for (int from = next.getAndAdd(size); from < inputs.size();
              from = next.getAndAdd(size)) {
            p.predict(inputs.subList(from, Math.min(inputs.size(), from + size)));
          }
        } catch (TranslateException | RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }, "bench-caller");
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    predictors.stream().skip(1).forEach(ModelPredictor::close);
    if (failure.get() != null) {
      throw new IllegalStateException("the model failed on a bench event: "
          + failure.get().getMessage(), failure.get());
    }
    return inputs.size() / seconds;
  }

  @Override
  public void close() {
    predictor.close();
    context.close();
  }

  /** Every input through the model, {@code size} at a time (1: predict, else batchPredict). */
  private static Figure modelRun(ModelPredictor<Object> predictor, List<Object> inputs,
      int size) {
    double[] latencies = new double[inputs.size()];
    long[] doneAt = new long[inputs.size()];
    Measurement.CpuClock clock = Measurement.CpuClock.start();
    long start = System.nanoTime();
    double callsMs = 0;
    try {
      for (int from = 0; from < inputs.size(); from += size) {
        int to = Math.min(inputs.size(), from + size);
        long t = System.nanoTime();
        if (size == 1) {
          predictor.predict(inputs.get(from));
        } else {
          predictor.predict(inputs.subList(from, to));
        }
        long done = System.nanoTime();
        double ms = (done - t) / 1e6;
        callsMs += ms;
        for (int i = from; i < to; i++) {
          latencies[i] = ms;
          doneAt[i] = done;
        }
      }
    } catch (TranslateException e) {
      throw new IllegalStateException("the model failed on a bench event: " + e.getMessage(), e);
    }
    int calls = (inputs.size() + size - 1) / size;
    return Measurement.figure("model only", size, inputs.size(), System.nanoTime() - start,
        doneAt, latencies, clock.stop(), (double) inputs.size() / calls, 0,
        new Measurement.ModelCalls(calls, callsMs));
  }
}
