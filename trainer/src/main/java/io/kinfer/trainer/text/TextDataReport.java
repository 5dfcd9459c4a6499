package io.kinfer.trainer.text;

import io.kinfer.models.TensorFlowNatives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Prints what the text task's data looks like: counts per category and split, the trained
 * WordPiece vocabulary's coverage on validation, and the naive Bayes baseline. Usage:
 * {@code TextDataReport [OUT_DIR [VOCAB_SIZE]]}; writes {@code OUT_DIR/tokenizer.json}
 * (default {@code <cache>/text/tokenizer.json}).
 */
public final class TextDataReport {

  private TextDataReport() {}

  public static void main(String[] args) throws IOException {
    Path cache = TensorFlowNatives.defaultCacheRoot();
    Path out = args.length > 0 ? Path.of(args[0]) : cache.resolve("text");
    int vocabSize = args.length > 1 ? Integer.parseInt(args[1])
        : WordPieceTrainer.DEFAULT_VOCAB_SIZE;

    long start = System.nanoTime();
    GlossSplits splits = WordNetGlosses.load(cache, System.out::println);
    System.out.printf("load: %.1f s%n", seconds(start));
    System.out.printf("%-20s %7s %6s %6s%n", "category", "train", "val", "test");
    for (int k = 0; k < splits.labels().size(); k++) {
      System.out.printf("%-20s %7d %6d %6d%n", splits.labels().get(k), count(splits.train(), k),
          count(splits.validation(), k), count(splits.test(), k));
    }
    System.out.printf("%-20s %7d %6d %6d%n", "total", splits.train().size(),
        splits.validation().size(), splits.test().size());

    start = System.nanoTime();
    List<String> vocab = WordPieceTrainer.train(GlossSplits.texts(splits.train()), vocabSize);
    Path tokenizer = Files.createDirectories(out).resolve("tokenizer.json");
    Files.writeString(tokenizer, WordPieceTrainer.tokenizerJson(vocab));
    System.out.printf("vocab: %d tokens in %.1f s -> %s%n", vocab.size(), seconds(start),
        tokenizer);

    start = System.nanoTime();
    System.out.println("validation: "
        + TokenizerCoverage.measure(tokenizer, GlossSplits.texts(splits.validation())));
    System.out.println("train:      "
        + TokenizerCoverage.measure(tokenizer, GlossSplits.texts(splits.train())));
    System.out.printf("coverage: %.1f s%n", seconds(start));

    start = System.nanoTime();
    long[][] ids = WordPieceTrainer.encodeAll(tokenizer, GlossSplits.texts(splits.train()), 32);
    System.out.printf("encodeAll: %d x %d ids in %.1f s%n", ids.length, ids[0].length,
        seconds(start));

    start = System.nanoTime();
    NaiveBayes bayes = NaiveBayes.train(splits.train(), splits.labels().size());
    System.out.printf("naive Bayes: validation %.2f%%, test %.2f%% (%.1f s)%n",
        100 * bayes.accuracy(splits.validation()), 100 * bayes.accuracy(splits.test()),
        seconds(start));
  }

  private static long count(List<Gloss> split, int label) {
    return split.stream().filter(g -> g.label() == label).count();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
