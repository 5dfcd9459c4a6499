package io.kinfer.trainer.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * How well a {@code tokenizer.json} fits a set of texts: the share of {@code [UNK]} tokens and
 * the distribution of sequence lengths (with {@code [CLS]} and {@code [SEP]}, before padding),
 * which is what picks the model's {@code maxLength}.
 */
public final class TokenizerCoverage {

  private static final long UNK_ID = WordPieceTrainer.SPECIAL_TOKENS.indexOf("[UNK]");

  private final long textTokens;
  private final long unknownTokens;
  private final int[] sortedLengths;

  private TokenizerCoverage(long textTokens, long unknownTokens, int[] sortedLengths) {
    this.textTokens = textTokens;
    this.unknownTokens = unknownTokens;
    this.sortedLengths = sortedLengths;
  }

  /** Encodes {@code texts} through DJL without padding or truncation and measures them. */
  public static TokenizerCoverage measure(Path tokenizerJson, List<String> texts) {
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no texts to measure " + tokenizerJson + " on");
    }
    int[] lengths = new int[texts.size()];
    long unknown = 0;
    long tokens = 0;
    try (HuggingFaceTokenizer tokenizer = WordPieceTrainer.open(tokenizerJson,
        Map.of("padding", "false", "truncation", "false"))) {
      for (int i = 0; i < texts.size(); i++) {
        Encoding encoding = tokenizer.encode(texts.get(i));
        long[] ids = encoding.getIds();
        lengths[i] = ids.length;
        tokens += ids.length - 2; // [CLS] and [SEP] are not text
        for (long id : ids) {
          unknown += id == UNK_ID ? 1 : 0;
        }
      }
    }
    Arrays.sort(lengths);
    return new TokenizerCoverage(tokens, unknown, lengths);
  }

  /** Share of text tokens (specials excluded) that are {@code [UNK]}. */
  public double unknownRate() {
    return textTokens == 0 ? 0 : (double) unknownTokens / textTokens;
  }

  /** Sequence length at quantile {@code q} (0-1), nearest rank. */
  public int lengthPercentile(double q) {
    int rank = (int) Math.ceil(q * sortedLengths.length);
    return sortedLengths[Math.max(0, Math.min(sortedLengths.length - 1, rank - 1))];
  }

  /** Share of texts whose whole sequence fits in {@code maxLength} tokens (no truncation). */
  public double fractionWithin(int maxLength) {
    int fits = 0;
    while (fits < sortedLengths.length && sortedLengths[fits] <= maxLength) {
      fits++;
    }
    return (double) fits / sortedLengths.length;
  }

  @Override
  public String toString() {
    return String.format("%d texts, %d tokens, %d [UNK] (%.4f%%); length p50 %d p90 %d p95 %d "
            + "p99 %d max %d; fit in 32: %.1f%%, 40: %.1f%%, 48: %.1f%%, 64: %.1f%%",
        sortedLengths.length, textTokens, unknownTokens, 100 * unknownRate(),
        lengthPercentile(0.5), lengthPercentile(0.9), lengthPercentile(0.95),
        lengthPercentile(0.99), sortedLengths[sortedLengths.length - 1], 100 * fractionWithin(32),
        100 * fractionWithin(40), 100 * fractionWithin(48), 100 * fractionWithin(64));
  }
}
