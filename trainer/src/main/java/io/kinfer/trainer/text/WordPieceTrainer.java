package io.kinfer.trainer.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Learns a BERT-style WordPiece vocabulary from training texts and writes it as a Hugging Face
 * {@code tokenizer.json}, the file the serving side loads through DJL's tokenizers.
 *
 * <p>Algorithm (the one Hugging Face's own WordPiece trainer uses): split texts into words
 * exactly as {@code BertNormalizer} + {@code BertPreTokenizer} do; start from single characters,
 * each as a word start {@code c} and as a continuation {@code ##c} (punctuation only as
 * {@code c}: it is always a word of its own), so any word made of known characters can be
 * spelled and never becomes {@code [UNK]}; then repeatedly merge the most frequent adjacent pair
 * of pieces (counted over word frequencies; ties broken by the pieces' spelling, so training is
 * deterministic) until the vocabulary is full or no pair occurs twice. Frequent words end up
 * whole, rarer ones as stem + {@code ##suffix} pieces. WordPiece serving splits greedily
 * longest-match-first rather than replaying merges, so a word may split differently than the
 * merges built it ("here" → her ##e); harmless, because training encodes through the served
 * tokenizer ({@link #encodeAll}).
 */
public final class WordPieceTrainer {

  /** {@code [PAD]}=0, {@code [UNK]}=1, {@code [CLS]}=2, {@code [SEP]}=3, as the models expect. */
  public static final List<String> SPECIAL_TOKENS = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]");
  public static final int DEFAULT_VOCAB_SIZE = 8000;
  static final String CONTINUATION = "##";
  // Longer words become [UNK] when served (WordPiece's max_input_chars_per_word): skip them.
  static final int MAX_WORD_CHARS = 100;
  // Known characters beyond the training texts', so served text meets [UNK] only for truly
  // exotic characters: lower-case printable ASCII plus the typographic quotes and dashes that
  // BertNormalizer leaves as they are.
  static final String EXTRA_CHARACTERS = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026";
  private static final int ENCODE_CHUNK = 4096;

  private WordPieceTrainer() {}

  /**
   * Trains a vocabulary of at most {@code vocabSize} tokens, special tokens first.
   *
   * @param texts training texts only (validation and test texts must stay unseen)
   * @param vocabSize total size including the 4 special tokens
   */
  public static List<String> train(List<String> texts, int vocabSize) {
    Map<String, Integer> wordCounts = new TreeMap<>(); // sorted: training order is deterministic
    for (String text : texts) {
      for (String word : BertTextSplitter.split(text)) {
        if (word.length() <= MAX_WORD_CHARS) {
          wordCounts.merge(word, 1, Integer::sum);
        }
      }
    }
    TreeSet<String> alphabet = new TreeSet<>();
    IntStream.concat(IntStream.rangeClosed('!', '~'), EXTRA_CHARACTERS.codePoints())
        .filter(c -> !Character.isUpperCase(c)).forEach(c -> addCharacter(alphabet, c));
    for (String word : wordCounts.keySet()) {
      word.codePoints().forEach(c -> addCharacter(alphabet, c));
    }
    int minimum = SPECIAL_TOKENS.size() + alphabet.size();
    if (vocabSize < minimum) {
      throw new IllegalArgumentException("vocabSize " + vocabSize + " is below the " + minimum
          + " tokens this corpus needs (4 special + its characters, as c and ##c); use at least "
          + minimum);
    }
    Pieces pieces = new Pieces(alphabet, wordCounts);
    List<String> vocab = new ArrayList<>(SPECIAL_TOKENS);
    Set<String> seen = new HashSet<>(vocab);
    for (String symbol : alphabet) {
      if (seen.add(symbol)) {
        vocab.add(symbol);
      }
    }
    while (vocab.size() < vocabSize) {
      String merged = pieces.mergeMostFrequentPair();
      if (merged == null) {
        break;
      }
      if (seen.add(merged)) {
        vocab.add(merged);
      }
    }
    return List.copyOf(vocab);
  }

  private static void addCharacter(Set<String> alphabet, int c) {
    alphabet.add(Character.toString(c));
    if (!BertTextSplitter.isPunctuation(c)) {
      alphabet.add(CONTINUATION + Character.toString(c));
    }
  }

  /**
   * A Hugging Face {@code tokenizer.json}: BERT normalizer and pre-tokenizer, WordPiece model
   * over {@code vocab}, {@code [CLS] $A [SEP]} template, WordPiece decoder. Padding and
   * truncation are left out: the server sets them from the model's {@code maxLength}
   * (DJL options {@code padding=max_length, truncation=true}), so one number rules both.
   *
   * @param vocab tokens by id, starting with {@link #SPECIAL_TOKENS}
   */
  public static String tokenizerJson(List<String> vocab) {
    if (vocab.size() < SPECIAL_TOKENS.size()
        || !vocab.subList(0, SPECIAL_TOKENS.size()).equals(SPECIAL_TOKENS)) {
      throw new IllegalArgumentException("vocab must start with " + SPECIAL_TOKENS
          + " at ids 0-3; got " + vocab.subList(0, Math.min(4, vocab.size())));
    }
    if (new HashSet<>(vocab).size() != vocab.size()) {
      throw new IllegalArgumentException("vocab has duplicate tokens; ids must be unique");
    }
    StringBuilder added = new StringBuilder();
    for (int id = 0; id < SPECIAL_TOKENS.size(); id++) {
      added.append(id == 0 ? "" : ",\n    ").append("{\"id\":").append(id)
          .append(",\"content\":").append(quote(SPECIAL_TOKENS.get(id)))
          .append(",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
              + "\"normalized\":false,\"special\":true}");
    }
    StringBuilder entries = new StringBuilder();
    for (int id = 0; id < vocab.size(); id++) {
      entries.append(id == 0 ? "" : ",\n      ").append(quote(vocab.get(id))).append(':')
          .append(id);
    }
    return """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
            %s
          ],
          "normalizer": {"type": "BertNormalizer", "clean_text": true,
            "handle_chinese_chars": true, "strip_accents": true, "lowercase": true},
          "pre_tokenizer": {"type": "BertPreTokenizer"},
          "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
              {"Sequence": {"id": "A", "type_id": 0}},
              {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
            "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
              {"Sequence": {"id": "A", "type_id": 0}},
              {"SpecialToken": {"id": "[SEP]", "type_id": 0}},
              {"Sequence": {"id": "B", "type_id": 1}},
              {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
            "special_tokens": {
              "[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]},
              "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}
            }
          },
          "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
          "model": {
            "type": "WordPiece",
            "unk_token": "[UNK]",
            "continuing_subword_prefix": "##",
            "max_input_chars_per_word": %d,
            "vocab": {
              %s
            }
          }
        }
        """.formatted(added, MAX_WORD_CHARS, entries);
  }

  /**
   * Token ids of every text through DJL's Hugging Face tokenizer with the serving options
   * ({@code padding=max_length, truncation=true}): training feeds the model exactly what the
   * server will, by construction.
   *
   * @return one row of {@code maxLength} ids per text, {@code [CLS] ... [SEP]} then 0-padding
   */
  public static long[][] encodeAll(Path tokenizerJson, List<String> texts, int maxLength) {
    long[][] ids = new long[texts.size()][];
    try (HuggingFaceTokenizer tokenizer = open(tokenizerJson, servingOptions(maxLength))) {
      // Chunks bound the native memory held by one batch of encodings.
      for (int from = 0; from < texts.size(); from += ENCODE_CHUNK) {
        int to = Math.min(texts.size(), from + ENCODE_CHUNK);
        Encoding[] encodings = tokenizer.batchEncode(texts.subList(from, to));
        for (int i = 0; i < encodings.length; i++) {
          ids[from + i] = encodings[i].getIds();
        }
      }
    }
    return ids;
  }

  /** The options Kinfer's {@code TextTranslator} passes at serving time. */
  static Map<String, String> servingOptions(int maxLength) {
    return Map.of("padding", "max_length", "truncation", "true",
        "maxLength", String.valueOf(maxLength), "modelMaxLength", String.valueOf(maxLength));
  }

  static HuggingFaceTokenizer open(Path tokenizerJson, Map<String, String> options) {
    // Everything is local; offline also keeps DJL from "calling home" on first use.
    if (System.getProperty("ai.djl.offline") == null) {
      System.setProperty("ai.djl.offline", "true");
    }
    try {
      return HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson, e);
    }
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c > 0x7E) {
            out.append(String.format("\\u%04x", (int) c)); // ASCII file, surrogates included
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /**
   * The corpus as sequences of piece ids, with pair counts kept up to date incrementally: a
   * merge only revisits the words that contain the pair, which keeps 8000 merges over ~25k
   * distinct words to about a second.
   */
  private static final class Pieces {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<int[]> words = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
    private final PriorityQueue<long[]> queue; // {pair, count}; stale entries skipped on poll

    Pieces(Set<String> alphabet, Map<String, Integer> wordCounts) {
      alphabet.forEach(this::id);
      Comparator<long[]> byCount = Comparator.comparingLong(e -> -e[1]);
      queue = new PriorityQueue<>(byCount.thenComparing(e -> names.get(left(e[0])))
          .thenComparing(e -> names.get(right(e[0]))));
      for (Map.Entry<String, Integer> entry : wordCounts.entrySet()) {
        int[] codePoints = entry.getKey().codePoints().toArray();
        int[] symbols = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
          String c = Character.toString(codePoints[i]);
          symbols[i] = id(i == 0 ? c : CONTINUATION + c);
        }
        words.add(symbols);
        counts.add(entry.getValue());
      }
      Set<Long> touched = new HashSet<>();
      for (int w = 0; w < words.size(); w++) {
        addPairs(w, touched);
      }
      touched.forEach(pair -> queue.add(new long[] {pair, pairCounts.get(pair)}));
    }

    /** Applies the best merge; returns the new piece, or null when no pair occurs twice. */
    String mergeMostFrequentPair() {
      long[] best;
      do {
        best = queue.poll();
        if (best == null) {
          return null;
        }
      } while (pairCounts.getOrDefault(best[0], 0L) != best[1]);
      if (best[1] < 2) {
        return null;
      }
      long pair = best[0];
      int a = left(pair);
      int b = right(pair);
      String merged = names.get(a) + names.get(b).substring(CONTINUATION.length());
      int c = id(merged);
      Set<Long> touched = new HashSet<>();
      for (int w : List.copyOf(pairWords.getOrDefault(pair, Set.of()))) {
        if (!contains(words.get(w), a, b)) {
          continue; // stale: an earlier merge already consumed this word's pair
        }
        removePairs(w, touched);
        words.set(w, merge(words.get(w), a, b, c));
        addPairs(w, touched);
      }
      pairWords.remove(pair);
      for (long p : touched) {
        Long count = pairCounts.get(p);
        if (count != null) {
          queue.add(new long[] {p, count});
        }
      }
      return merged;
    }

    private int id(String name) {
      return ids.computeIfAbsent(name, n -> {
        names.add(n);
        return names.size() - 1;
      });
    }

    private void addPairs(int w, Set<Long> touched) {
      int[] s = words.get(w);
      for (int i = 0; i + 1 < s.length; i++) {
        long pair = pair(s[i], s[i + 1]);
        pairCounts.merge(pair, (long) counts.get(w), Long::sum);
        pairWords.computeIfAbsent(pair, p -> new HashSet<>()).add(w);
        touched.add(pair);
      }
    }

    private void removePairs(int w, Set<Long> touched) {
      int[] s = words.get(w);
      for (int i = 0; i + 1 < s.length; i++) {
        long pair = pair(s[i], s[i + 1]);
        long left = pairCounts.merge(pair, (long) -counts.get(w), Long::sum);
        if (left == 0) {
          pairCounts.remove(pair);
        }
        touched.add(pair);
      }
    }

    private static boolean contains(int[] s, int a, int b) {
      for (int i = 0; i + 1 < s.length; i++) {
        if (s[i] == a && s[i + 1] == b) {
          return true;
        }
      }
      return false;
    }

    private static int[] merge(int[] s, int a, int b, int c) {
      int[] out = new int[s.length];
      int n = 0;
      for (int i = 0; i < s.length; i++) {
        if (i + 1 < s.length && s[i] == a && s[i + 1] == b) {
          out[n++] = c;
          i++;
        } else {
          out[n++] = s[i];
        }
      }
      return Arrays.copyOf(out, n);
    }

    private static long pair(int a, int b) {
      return ((long) a << 32) | (b & 0xFFFFFFFFL);
    }

    private static int left(long pair) {
      return (int) (pair >>> 32);
    }

    private static int right(long pair) {
      return (int) pair;
    }
  }
}
