package io.kinfer.trainer.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WordPieceTrainerTest {

  private static final List<String> CORPUS = List.of(
      "a small dog that barks", "a large dog with a long tail", "dogs and cats are animals",
      "a cat that meows", "an oak tree with acorns", "a tree of the genus Quercus",
      "the act of playing a game", "playing cards for money", "trees (especially oaks)");

  @TempDir Path dir;

  @Test
  void vocabHasSpecialTokensFirstAndEveryCharacterAsWordStartAndContinuation() {
    List<String> vocab = WordPieceTrainer.train(CORPUS, 400);

    assertEquals(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]"), vocab.subList(0, 4));
    assertTrue(vocab.size() <= 400, "size " + vocab.size());
    assertEquals(vocab.size(), Set.copyOf(vocab).size(), "tokens are unique");
    assertTrue(vocab.containsAll(List.of("q", "##q", "z", "##z", "(", ")")), "letters and ASCII");
    assertFalse(vocab.contains("##("), "punctuation is always a word start");
    assertFalse(vocab.contains("Q"), "the normalizer lower-cases, so no upper-case tokens");
    assertTrue(vocab.containsAll(List.of("dog", "tree", "playing")), "frequent words whole");
    assertEquals(vocab, WordPieceTrainer.train(CORPUS, 400), "deterministic");
  }

  @Test
  void vocabSizeIsAHardCapAndTooSmallASizeIsRefused() {
    List<String> vocab = WordPieceTrainer.train(CORPUS, 130);
    assertEquals(130, vocab.size());
    assertEquals(vocab, WordPieceTrainer.train(CORPUS, 400).subList(0, 130),
        "a smaller vocabulary is a prefix of a larger one");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> WordPieceTrainer.train(CORPUS, 20));
    assertTrue(e.getMessage().contains("use at least"), e.getMessage());
  }

  @Test
  void tokenizerJsonLoadsInDjlAndSplitsIntoPiecesAsServed() throws IOException {
    List<String> vocab = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]",
        "the", "dog", "##s", "play", "##ing", "(", ")", "\"", "\\");
    Path file = Files.writeString(dir.resolve("tokenizer.json"),
        WordPieceTrainer.tokenizerJson(vocab));

    try (HuggingFaceTokenizer tokenizer =
        WordPieceTrainer.open(file, WordPieceTrainer.servingOptions(12))) {
      List<String> tokens = List.of(tokenizer.encode("The DOGS (Plàying) \"\\ zzz").getTokens());
      assertEquals(List.of("[CLS]", "the", "dog", "##s", "(", "play", "##ing", ")", "\"", "\\",
          "[UNK]", "[SEP]"), tokens);
    }
    long[][] ids = WordPieceTrainer.encodeAll(file, List.of("the dogs playing",
        "the dog the dog the dog the dog the dog the dog"), 8);
    assertArrayEquals(new long[] {2, 4, 5, 6, 7, 8, 3, 0}, ids[0], "[CLS] ... [SEP] then [PAD]");
    assertArrayEquals(new long[] {2, 4, 5, 4, 5, 4, 5, 3}, ids[1], "truncated, [SEP] kept");
  }

  @Test
  void trainedTokenizerNeverNeedsUnkForKnownCharacters() throws IOException {
    List<String> vocab = WordPieceTrainer.train(CORPUS, 200);
    Path file = Files.writeString(dir.resolve("tokenizer.json"),
        WordPieceTrainer.tokenizerJson(vocab));

    try (HuggingFaceTokenizer tokenizer =
        WordPieceTrainer.open(file, WordPieceTrainer.servingOptions(32))) {
      for (String text : CORPUS) {
        assertFalse(List.of(tokenizer.encode(text).getTokens()).contains("[UNK]"), text);
      }
      String[] tokens = tokenizer.encode("Dogcatquiz").getTokens();
      List<String> pieces = List.of(tokens).subList(1, List.of(tokens).indexOf("[SEP]"));
      assertTrue(pieces.size() > 1 && pieces.subList(1, pieces.size()).stream()
          .allMatch(p -> p.startsWith("##")), "unseen word spelled in pieces: " + pieces);
      assertEquals("dogcatquiz", String.join("", pieces).replace("##", ""));
      assertEquals(0, tokenizer.encode("a dog").getIds()[31], "padded with [PAD]=0");
    }
  }

  @Test
  void tokenizerJsonRefusesAVocabWithoutTheSpecialTokensFirst() {
    List<String> shuffled = new ArrayList<>(WordPieceTrainer.SPECIAL_TOKENS);
    Collections.reverse(shuffled);
    assertThrows(IllegalArgumentException.class, () -> WordPieceTrainer.tokenizerJson(shuffled));
    assertThrows(IllegalArgumentException.class, () -> WordPieceTrainer.tokenizerJson(
        List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "a")));
  }
}
