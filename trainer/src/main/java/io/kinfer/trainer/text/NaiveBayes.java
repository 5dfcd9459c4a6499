package io.kinfer.trainer.text;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Multinomial naive Bayes over lower-cased words with Laplace (add-one) smoothing: the
 * baseline a trained text model has to beat on the gloss task.
 */
public final class NaiveBayes {

  private final int labelCount;
  private final double[] logPriors;
  private final Map<String, double[]> logLikelihoods;

  private NaiveBayes(int labelCount, double[] logPriors, Map<String, double[]> logLikelihoods) {
    this.labelCount = labelCount;
    this.logPriors = logPriors;
    this.logLikelihoods = logLikelihoods;
  }

  /** Fits word counts per label on {@code train}; labels are {@code 0..labelCount-1}. */
  public static NaiveBayes train(List<Gloss> train, int labelCount) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("naive Bayes needs at least one training gloss");
    }
    int[] docs = new int[labelCount];
    long[] totals = new long[labelCount];
    Map<String, long[]> counts = new HashMap<>();
    for (Gloss gloss : train) {
      if (gloss.label() < 0 || gloss.label() >= labelCount) {
        throw new IllegalArgumentException("gloss " + gloss.synsetOffset() + " has label "
            + gloss.label() + ", outside 0.." + (labelCount - 1));
      }
      docs[gloss.label()]++;
      for (String word : words(gloss.text())) {
        counts.computeIfAbsent(word, w -> new long[labelCount])[gloss.label()]++;
        totals[gloss.label()]++;
      }
    }
    int vocabulary = counts.size();
    double[] logPriors = new double[labelCount];
    double[] logDenominators = new double[labelCount];
    for (int k = 0; k < labelCount; k++) {
      // A label absent from training still gets a (tiny) prior instead of log(0).
      logPriors[k] = Math.log((docs[k] + 1.0) / (train.size() + labelCount));
      logDenominators[k] = Math.log(totals[k] + (double) vocabulary);
    }
    Map<String, double[]> logLikelihoods = new HashMap<>();
    counts.forEach((word, perLabel) -> {
      double[] log = new double[labelCount];
      for (int k = 0; k < labelCount; k++) {
        log[k] = Math.log(perLabel[k] + 1.0) - logDenominators[k];
      }
      logLikelihoods.put(word, log);
    });
    return new NaiveBayes(labelCount, logPriors, logLikelihoods);
  }

  /** The most probable label of {@code text}. */
  public int predict(String text) {
    double[] scores = logPriors.clone();
    for (String word : words(text)) {
      double[] log = logLikelihoods.get(word);
      if (log == null) {
        continue; // a word never seen in training carries no evidence
      }
      for (int k = 0; k < labelCount; k++) {
        scores[k] += log[k];
      }
    }
    int best = 0;
    for (int k = 1; k < labelCount; k++) {
      if (scores[k] > scores[best]) {
        best = k;
      }
    }
    return best;
  }

  /** Share of {@code glosses} whose label is predicted correctly. */
  public double accuracy(List<Gloss> glosses) {
    if (glosses.isEmpty()) {
      throw new IllegalArgumentException("accuracy of an empty split is undefined");
    }
    long correct = glosses.stream().filter(g -> predict(g.text()) == g.label()).count();
    return (double) correct / glosses.size();
  }

  // The tokenizer's words minus punctuation: "(botany)" and "botany" count as the same word.
  private static List<String> words(String text) {
    return BertTextSplitter.split(text).stream()
        .filter(w -> w.codePoints().anyMatch(Character::isLetterOrDigit)).toList();
  }
}
