package io.kinfer.trainer.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Java twin of the Hugging Face {@code BertNormalizer} (clean text, pad CJK characters, strip
 * accents, lower-case) followed by {@code BertPreTokenizer} (split on whitespace, every
 * punctuation character its own word). The trainer must see the same words the served
 * tokenizer will see, or learned pieces would never match.
 */
final class BertTextSplitter {

  private BertTextSplitter() {}

  /** The pre-tokenized words of {@code text}, as the served tokenizer splits it. */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    String normalized = normalize(text);
    for (int i = 0; i < normalized.length(); ) {
      int c = normalized.codePointAt(i);
      i += Character.charCount(c);
      if (isWhitespace(c) || isPunctuation(c)) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
        if (!isWhitespace(c)) {
          words.add(Character.toString(c));
        }
      } else {
        word.appendCodePoint(c);
      }
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }

  static String normalize(String text) {
    StringBuilder cleaned = new StringBuilder(text.length());
    text.codePoints().forEach(c -> {
      if (c == 0 || c == 0xFFFD || isControl(c)) {
        return;
      }
      if (isWhitespace(c)) {
        cleaned.append(' ');
      } else if (isCjk(c)) {
        cleaned.append(' ').appendCodePoint(c).append(' ');
      } else {
        cleaned.appendCodePoint(c);
      }
    });
    String decomposed = Normalizer.normalize(cleaned, Normalizer.Form.NFD);
    StringBuilder stripped = new StringBuilder(decomposed.length());
    decomposed.codePoints()
        .filter(c -> Character.getType(c) != Character.NON_SPACING_MARK)
        .forEach(stripped::appendCodePoint);
    return stripped.toString().toLowerCase(Locale.ROOT);
  }

  private static boolean isWhitespace(int c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r'
        || Character.isWhitespace(c) || Character.isSpaceChar(c);
  }

  // Tab, newline and carriage return count as whitespace, as in the Rust normalizer.
  private static boolean isControl(int c) {
    if (c == '\t' || c == '\n' || c == '\r') {
      return false;
    }
    int type = Character.getType(c);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
  }

  // ASCII symbols such as $ + < = > ^ ` | ~ are punctuation for BERT, though not for Unicode.
  static boolean isPunctuation(int c) {
    if (c < 128) {
      return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96)
          || (c >= 123 && c <= 126);
    }
    int type = Character.getType(c);
    return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
        || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
        || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
        || type == Character.OTHER_PUNCTUATION;
  }

  private static boolean isCjk(int c) {
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF)
        || (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F)
        || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
  }
}
