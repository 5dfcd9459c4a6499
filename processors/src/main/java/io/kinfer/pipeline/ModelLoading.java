package io.kinfer.pipeline;

import io.kinfer.config.PipelineSettings;
import io.kinfer.decode.EventDecoder;
import io.kinfer.inference.ModelRegistry;
import io.kinfer.inference.ServedModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Loads the pipelines' models at once, one thread each: reading a SavedModel and its first
 * calls are mostly single-threaded, so three models load in about the time of the slowest.
 * TensorFlow's natives are loaded first, once.
 */
final class ModelLoading {

  private ModelLoading() {}

  /**
   * @return each pipeline's model by pipeline name; when one fails, the first failure (in the
   *     pipelines' order) once every load has finished
   */
  static Map<String, ServedModel<?>> all(ModelRegistry models, List<PipelineSettings> pipelines,
      Function<PipelineSettings, EventDecoder<?, ?>> decoders) {
    models.engine();
    List<CompletableFuture<ServedModel<?>>> loads = new ArrayList<>();
    for (PipelineSettings p : pipelines) {
      CompletableFuture<ServedModel<?>> load = new CompletableFuture<>();
      Thread thread = new Thread(() -> {
        try {
          load.complete(models.load(p.getModel(), p.getModelVersion(), p.getDevice(),
              decoders.apply(p), p.getMaxBatch()));
        } catch (RuntimeException | Error e) {
          load.completeExceptionally(e);
        }
      }, "kinfer-load-" + p.getName());
      thread.setDaemon(true);
      thread.start();
      loads.add(load);
    }
    Map<String, ServedModel<?>> loaded = new LinkedHashMap<>();
    RuntimeException failure = null;
    for (int i = 0; i < pipelines.size(); i++) {
      try {
        loaded.put(pipelines.get(i).getName(), loads.get(i).join());
      } catch (CompletionException e) {
        if (failure == null) {
          failure = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
    return loaded;
  }
}
