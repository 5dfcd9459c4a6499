package io.kinfer.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import io.kinfer.models.ServingProperties;
import java.util.Map;

/**
 * Text → token ids through the model folder's Hugging Face {@code tokenizer.json}, padded and
 * truncated to {@code maxLength}, as an int64 array named after the signature input.
 */
public final class TextTranslator implements Translator<String, Scores>, AutoCloseable {

  private final String inputName;
  private final OutputReader output;
  private final HuggingFaceTokenizer tokenizer;

  TextTranslator(Path modelDir, ServingProperties serving) {
    this.inputName = serving.inputName();
    this.output = new OutputReader(serving);
    int maxLength = serving.text().maxLength();
    Path file = modelDir.resolve(serving.text().tokenizer());
    try {
      this.tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
          "padding", "max_length", "truncation", "true",
          "maxLength", String.valueOf(maxLength), "modelMaxLength", String.valueOf(maxLength)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read tokenizer " + file, e);
    }
  }

  /** Token ids as the model sees them (for tests and debugging). */
  public long[] tokenize(String text) {
    return tokenizer.encode(text).getIds();
  }

  @Override
  public NDList processInput(TranslatorContext ctx, String text) {
    Encoding encoding = tokenizer.encode(text);
    NDArray ids = ctx.getNDManager().create(encoding.getIds());
    ids.setName(inputName);
    return new NDList(ids);
  }

  @Override
  public Scores processOutput(TranslatorContext ctx, NDList list) {
    return output.read(list);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
