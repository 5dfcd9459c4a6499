package io.kinfer.trainer.train;

import java.util.List;

/** Accuracy, per-class precision/recall and the confusion matrix of predictions on a test set. */
public record Evaluation(List<String> labels, int[][] confusion, double accuracy) {

  public static Evaluation of(List<String> labels, float[][] probabilities, int[] truth) {
    int[][] confusion = new int[labels.size()][labels.size()];
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      int predicted = Trainer.argMax(probabilities[i], 0, labels.size());
      confusion[truth[i]][predicted]++;
      if (predicted == truth[i]) {
        correct++;
      }
    }
    return new Evaluation(labels, confusion, (double) correct / truth.length);
  }

  public double recall(int label) {
    int total = 0;
    for (int v : confusion[label]) {
      total += v;
    }
    return total == 0 ? 0 : (double) confusion[label][label] / total;
  }

  public double precision(int label) {
    int total = 0;
    for (int[] row : confusion) {
      total += row[label];
    }
    return total == 0 ? 0 : (double) confusion[label][label] / total;
  }

  /** Markdown: per-class table, then the confusion matrix (rows: truth, columns: predicted). */
  public String markdown() {
    StringBuilder md = new StringBuilder("| class | precision | recall | examples |\n|---|---|---|---|\n");
    for (int i = 0; i < labels.size(); i++) {
      int total = 0;
      for (int v : confusion[i]) {
        total += v;
      }
      md.append(String.format("| %s | %.1f%% | %.1f%% | %d |%n", labels.get(i),
          100 * precision(i), 100 * recall(i), total));
    }
    md.append("\nConfusion matrix (rows: true class, columns: predicted, in class order above):\n\n```\n");
    for (int[] row : confusion) {
      for (int v : row) {
        md.append(String.format("%6d", v));
      }
      md.append('\n');
    }
    return md.append("```\n").toString();
  }
}
