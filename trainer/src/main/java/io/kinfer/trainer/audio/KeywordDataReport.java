package io.kinfer.trainer.audio;
import io.kinfer.models.features.LogMel;

import io.kinfer.models.TensorFlowNatives;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads (generating if needed) the keyword data and prints what it holds: load time, clips per
 * class per split, how keyword features differ from silence's, and a nearest class-mean
 * baseline. Run by hand:
 * {@code java -cp models/target/classes io.kinfer.trainer.audio.KeywordDataReport [CACHE_DIR]}.
 */
public final class KeywordDataReport {

  private KeywordDataReport() {}

  public static void main(String[] args) {
    Path cache = args.length > 0 ? Path.of(args[0]) : TensorFlowNatives.defaultCacheRoot();
    long started = System.nanoTime();
    KeywordSplits splits = KeywordData.load(cache, System.out::println);
    System.out.printf("loaded in %.1f s%n%n", (System.nanoTime() - started) / 1e9);

    System.out.printf("%-10s %6s %11s %12s %6s%n", "class", "train", "validation",
        "development", "test");
    for (int label = 0; label < KeywordData.LABELS.size(); label++) {
      System.out.printf("%-10s %6d %11d %12d %6d%n", KeywordData.LABELS.get(label),
          count(splits.train(), label), count(splits.validation(), label),
          count(splits.development(), label), count(splits.test(), label));
    }
    System.out.printf("%-10s %6d %11d %12d %6d%n%n", "total", splits.train().size(),
        splits.validation().size(), splits.development().size(), splits.test().size());

    // Normalised features all have unit spread, so loudness shows as a range over time.
    int silence = KeywordData.LABELS.indexOf("_silence_");
    for (String name : List.of("train", "test")) {
      List<KeywordClip> split = name.equals("train") ? splits.train() : splits.test();
      System.out.printf("%s: mean frame-loudness range %.2f for keywords, %.2f for _silence_%n",
          name, meanLoudnessRange(split.stream().filter(c -> c.label() < silence).toList()),
          meanLoudnessRange(split.stream().filter(c -> c.label() == silence).toList()));
    }

    // A model-free baseline: the class whose mean train features are nearest (chance 1/12).
    float[][] means = classMeans(splits.train());
    System.out.printf("nearest class-mean accuracy: validation %.3f, development %.3f,"
        + " test %.3f%n", nearestMeanAccuracy(means, splits.validation()),
        nearestMeanAccuracy(means, splits.development()),
        nearestMeanAccuracy(means, splits.test()));
  }

  private static long count(List<KeywordClip> clips, int label) {
    return clips.stream().filter(c -> c.label() == label).count();
  }

  private static KeywordClip first(List<KeywordClip> clips, int label) {
    return clips.stream().filter(c -> c.label() == label).findFirst().orElseThrow();
  }

  private static double meanLoudnessRange(List<KeywordClip> clips) {
    return clips.stream().mapToDouble(c -> loudnessRange(LogMel.compute(c.samples())))
        .average().orElse(Double.NaN);
  }

  private static float[][] classMeans(List<KeywordClip> clips) {
    float[][] means = new float[KeywordData.LABELS.size()][LogMel.FRAMES * LogMel.MELS];
    int[] counts = new int[means.length];
    for (KeywordClip clip : clips) {
      float[] features = LogMel.compute(clip.samples());
      for (int i = 0; i < features.length; i++) {
        means[clip.label()][i] += features[i];
      }
      counts[clip.label()]++;
    }
    for (int label = 0; label < means.length; label++) {
      for (int i = 0; i < means[label].length; i++) {
        means[label][i] /= Math.max(1, counts[label]);
      }
    }
    return means;
  }

  private static double nearestMeanAccuracy(float[][] means, List<KeywordClip> clips) {
    int correct = 0;
    for (KeywordClip clip : clips) {
      float[] features = LogMel.compute(clip.samples());
      int nearest = 0;
      double best = Double.POSITIVE_INFINITY;
      for (int label = 0; label < means.length; label++) {
        double distance = 0;
        for (int i = 0; i < features.length; i++) {
          double d = features[i] - means[label][i];
          distance += d * d;
        }
        if (distance < best) {
          best = distance;
          nearest = label;
        }
      }
      correct += nearest == clip.label() ? 1 : 0;
    }
    return correct / (double) clips.size();
  }

  /** Loudest minus quietest frame, by mean normalised log-mel value. */
  private static double loudnessRange(float[] features) {
    double max = Double.NEGATIVE_INFINITY;
    double min = Double.POSITIVE_INFINITY;
    for (int f = 0; f < LogMel.FRAMES; f++) {
      double mean = 0;
      for (int m = 0; m < LogMel.MELS; m++) {
        mean += features[f * LogMel.MELS + m];
      }
      mean /= LogMel.MELS;
      max = Math.max(max, mean);
      min = Math.min(min, mean);
    }
    return max - min;
  }
}
