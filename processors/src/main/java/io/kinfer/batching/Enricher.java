package io.kinfer.batching;

import io.kinfer.inference.Scores;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.Modality;
import io.kinfer.schema.ModelInfo;
import io.kinfer.schema.Prediction;
import io.kinfer.schema.Segment;
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
  private final float threshold;

  public Enricher(Modality modality, ModelInfo model, List<String> labels, int topK) {
    this(modality, model, labels, topK, Float.NaN);
  }

  /**
   * @param threshold for a multi-label model, the score a label must reach to be reported in
   *     the result's {@code labels}; NaN for a single-label model
   */
  public Enricher(Modality modality, ModelInfo model, List<String> labels, int topK,
      float threshold) {
    this(modality, model, labels, topK, threshold, Double.NaN);
  }

  /**
   * @param frameHop for a model scoring audio frame by frame with segments kept, the seconds
   *     between the starts of two frames; NaN otherwise
   */
  public Enricher(Modality modality, ModelInfo model, List<String> labels, int topK,
      float threshold, double frameHop) {
    this.modality = modality;
    this.model = model;
    this.labels = labels;
    this.topK = topK;
    this.threshold = threshold;
    this.frameHop = frameHop;
  }

  private final double frameHop;

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
    List<String> reached = null;
    if (!Float.isNaN(threshold)) {
      reached = new ArrayList<>();
      for (Integer i : order) {
        if (p[i] < threshold) {
          break;
        }
        reached.add(labels.get(i));
      }
    }
    List<Segment> segments = null;
    if (!Double.isNaN(frameHop) && scores.frames() != null) {
      segments = new ArrayList<>(scores.frames().length);
      for (int f = 0; f < scores.frames().length; f++) {
        float[] frame = scores.frames()[f];
        int best = 0;
        for (int i = 1; i < frame.length; i++) {
          best = frame[i] > frame[best] ? i : best;
        }
        segments.add(new Segment(f * frameHop, labels.get(best), frame[best]));
      }
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
        .setLabels(reached)
        .setSegments(segments)
        .setTimings(timings)
        .setProcessedAt(now)
        .build();
  }
}
