package io.kinfer.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import io.kinfer.models.ServingProperties;
import java.util.Map;

/**
 * Text → the model's token inputs through the model folder's Hugging Face
 * {@code tokenizer.json} (its own special tokens and template), padded and truncated to
 * {@code maxLength}: the input ids and, when {@code serving.properties} names them, the
 * attention mask and token type ids, int64 or int32, each named after its signature input.
 * {@code truncation=left} keeps the end of a long text instead of its start.
 */
public final class TextTranslator implements Translator<String, Scores>, AutoCloseable {

  private final String inputName;
  private final String maskName;
  private final String typesName;
  private final boolean int32;
  private final OutputReader output;
  private final HuggingFaceTokenizer tokenizer;
  /** Without truncation or padding, to find where a left-truncated text starts; or null. */
  private final HuggingFaceTokenizer whole;
  private final int maxLength;

  TextTranslator(Path modelDir, ServingProperties serving) {
    this.inputName = serving.inputName();
    this.maskName = serving.text().attentionMaskName();
    this.typesName = serving.text().tokenTypeIdsName();
    this.int32 = serving.text().dtype().equals("int32");
    this.output = new OutputReader(serving);
    this.maxLength = serving.text().maxLength();
    Path file = modelDir.resolve(serving.text().tokenizer());
    this.tokenizer = tokenizer(file, Map.of("padding", "max_length", "truncation", "true",
        "maxLength", String.valueOf(maxLength), "modelMaxLength", String.valueOf(maxLength)));
    this.whole = serving.text().truncation().equals("left")
        ? tokenizer(file, Map.of("padding", "false", "truncation", "false")) : null;
  }

  private static HuggingFaceTokenizer tokenizer(Path file, Map<String, String> options) {
    try {
      return HuggingFaceTokenizer.newInstance(file, options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file, e);
    }
  }

  /** Token ids as the model sees them (for tests and debugging). */
  public long[] tokenize(String text) {
    return encode(text).getIds();
  }

  /**
   * The encoding the model sees. Left truncation drops as many leading tokens as the text has
   * too many (after the template's leading special tokens) and encodes the rest of the text
   * as usual, so the special tokens and the padding stay the tokenizer's own.
   */
  private Encoding encode(String text) {
    if (whole != null) {
      Encoding all = whole.encode(text);
      long[] ids = all.getIds();
      if (ids.length > maxLength) {
        long[] special = all.getSpecialTokenMask();
        int leading = 0;
        while (leading < special.length && special[leading] == 1) {
          leading++;
        }
        CharSpan[] spans = all.getCharTokenSpans();
        int first = leading + (ids.length - maxLength);
        if (first < spans.length && spans[first] != null) {
          return tokenizer.encode(text.substring(spans[first].getStart()));
        }
      }
    }
    return tokenizer.encode(text);
  }

  @Override
  public NDList processInput(TranslatorContext ctx, String text) {
    Encoding encoding = encode(text);
    NDList inputs = new NDList(named(ctx, encoding.getIds(), inputName));
    if (maskName != null) {
      inputs.add(named(ctx, encoding.getAttentionMask(), maskName));
    }
    if (typesName != null) {
      inputs.add(named(ctx, encoding.getTypeIds(), typesName));
    }
    return inputs;
  }

  private NDArray named(TranslatorContext ctx, long[] values, String name) {
    NDArray array;
    if (int32) {
      int[] ints = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        ints[i] = (int) values[i];
      }
      array = ctx.getNDManager().create(ints);
    } else {
      array = ctx.getNDManager().create(values);
    }
    array.setName(name);
    return array;
  }

  @Override
  public Scores processOutput(TranslatorContext ctx, NDList list) {
    return output.read(list);
  }

  /** The batch's outputs read once ({@link OutputReader#readBatch}). */
  @Override
  public List<Scores> batchProcessOutput(TranslatorContext ctx, NDList list) throws Exception {
    List<Scores> scores = output.readBatch(list);
    return scores != null ? scores : Translator.super.batchProcessOutput(ctx, list);
  }

  @Override
  public void close() {
    tokenizer.close();
    if (whole != null) {
      whole.close();
    }
  }
}
