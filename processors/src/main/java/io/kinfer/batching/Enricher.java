package io.kinfer.batching;

import io.kinfer.inference.Scores;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.Modality;
import io.kinfer.schema.ModelInfo;
import io.kinfer.schema.Prediction;
import io.kinfer.schema.Timings;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Turns a model's scores into the enriched result: ranked labels, embedding, timings. */
public final class Enricher {

  private final Modality modality;
  private final ModelInfo model;
  private final List<String> labels;
  private final int topK;

  public Enricher(Modality modality, ModelInfo model, List<String> labels, int topK) {
    this.modality = modality;
    this.model = model;
    this.labels = labels;
    this.topK = topK;
  }

  public EnrichedEvent enrich(Envelope envelope, Scores scores, Timings timings, Instant now) {
    float[] p = scores.probabilities();
    if (p.length != labels.size()) {
      throw new IllegalStateException("model " + model.getName() + " returned " + p.length
          + " scores for " + labels.size() + " labels");
    }
    Integer[] order = new Integer[p.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i));
    List<Prediction> ranked = new ArrayList<>(Math.min(topK, p.length));
    for (int i = 0; i < Math.min(topK, p.length); i++) {
      ranked.add(new Prediction(labels.get(order[i]), p[order[i]]));
    }
    List<Float> embedding = null;
    if (scores.embedding() != null) {
      embedding = new ArrayList<>(scores.embedding().length);
      for (float v : scores.embedding()) {
        embedding.add(v);
      }
    }
    return EnrichedEvent.newBuilder()
        .setEnvelope(envelope)
        .setModality(modality)
        .setModel(model)
        .setPredictions(ranked)
        .setTopLabel(ranked.get(0).getLabel())
        .setEmbedding(embedding)
        .setTimings(timings)
        .setProcessedAt(now)
        .build();
  }
}
