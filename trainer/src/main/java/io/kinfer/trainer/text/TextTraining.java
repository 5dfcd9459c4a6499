package io.kinfer.trainer.text;

import io.kinfer.models.ServingProperties;

import io.kinfer.trainer.train.Evaluation;
import io.kinfer.trainer.train.Examples;
import io.kinfer.trainer.train.ModelCard;
import io.kinfer.trainer.train.SampleSet;
import io.kinfer.trainer.train.SavedModelExport;
import io.kinfer.trainer.train.Subsets;
import io.kinfer.trainer.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code kinfer models train text}: WordNet noun glosses → WordPiece tokenizer (trained on the
 * training split) → {@link TextTransformer} → models/text-transformer/3 with tokenizer.json,
 * a naive Bayes baseline measured on the same split, and 200 held-out glosses as samples.
 */
public final class TextTraining {

  public static final String MODEL = "text-transformer";
  public static final String VERSION = "3";
  static final int MAX_LENGTH = 48;
  static final int SAMPLES = 200;

  private TextTraining() {}

  public static double run(Path cacheDir, Path modelsDir, Path samplesDir, int epochs, int limit,
      PrintStream out) throws IOException {
    long started = System.nanoTime();
    out.println("Text model: WordNet gloss -> lexicographer category, Transformer ("
        + MODEL + "/" + VERSION + ")");
    GlossSplits splits = WordNetGlosses.load(cacheDir, out::println);
    List<Gloss> train = Subsets.limit(splits.train(), limit);
    List<Gloss> validation = Subsets.limit(splits.validation(), limit);
    List<Gloss> test = Subsets.limit(splits.test(), limit);
    List<String> vocab = WordPieceTrainer.train(GlossSplits.texts(train),
        WordPieceTrainer.DEFAULT_VOCAB_SIZE);
    Path tokenizer = Files.createTempFile("kinfer-tokenizer-", ".json");
    Files.writeString(tokenizer, WordPieceTrainer.tokenizerJson(vocab));
    out.printf("  WordPiece vocabulary: %,d tokens (trained on the training split)%n",
        vocab.size());
    NaiveBayes baseline = NaiveBayes.train(train, splits.labels().size());
    double baselineAccuracy = baseline.accuracy(test);
    out.printf("  naive Bayes baseline: %.2f%% on the test split%n", 100 * baselineAccuracy);

    TextTransformer network = new TextTransformer(vocab.size(), MAX_LENGTH, 128, 4, 256, 2,
        splits.labels().size(), 0.1f);
    Trainer.Settings settings = new Trainer.Settings(epochs, 64, 1e-3f, 1e-5f, 11L);
    List<Gloss> samples = Subsets.spread(splits.test(), SAMPLES);
    Trainer.Result result;
    Evaluation evaluation;
    float[][] sampleOutputs;
    try (Trainer trainer = new Trainer(network, splits.labels().size(), settings, out)) {
      result = trainer.fit(examples(tokenizer, train), examples(tokenizer, validation), null);
      trainer.restore(result.weights());
      Examples testExamples = examples(tokenizer, test);
      evaluation = Evaluation.of(splits.labels(), trainer.predict(testExamples),
          testExamples.labels());
      sampleOutputs = trainer.predict(examples(tokenizer, samples));
    }
    int[] sampleLabels = samples.stream().mapToInt(Gloss::label).toArray();
    double sampleAccuracy = Trainer.accuracy(sampleOutputs, sampleLabels);
    out.printf("  test accuracy %.2f%% (naive Bayes %.2f%%)%n", 100 * evaluation.accuracy(),
        100 * baselineAccuracy);

    Path dir = modelsDir.resolve(MODEL).resolve(VERSION);
    SavedModelExport.export(network, result.weights(), dir);
    Files.copy(tokenizer, dir.resolve("tokenizer.json"));
    Files.delete(tokenizer);
    ModelCard.writeFolderFiles(dir, servingProperties(), splits.labels(), card(network, settings,
        result, evaluation, test.size(), baselineAccuracy, vocab.size(), sampleAccuracy, dir,
        limit));
    if (limit == 0 && samplesDir != null) {
      SampleSet.write(samplesDir.resolve("text"), "held-out WordNet 3.0 noun glosses (WordNet"
          + " licence), never used for training or model selection", samples.size(), null,
          i -> samples.get(i).text(), i -> splits.labels().get(samples.get(i).label()),
          sampleOutputs);
    }
    out.printf("  wrote %s (%d KiB) in %s%n", dir, ModelCard.sizeKib(dir),
        ModelCard.minutes(java.time.Duration.ofNanos(System.nanoTime() - started)));
    return evaluation.accuracy();
  }

  static Examples examples(Path tokenizer, List<Gloss> glosses) {
    long[][] ids = WordPieceTrainer.encodeAll(tokenizer, GlossSplits.texts(glosses), MAX_LENGTH);
    long[] flat = new long[ids.length * MAX_LENGTH];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(ids[i], 0, flat, i * MAX_LENGTH, MAX_LENGTH);
    }
    return new Examples(glosses.stream().mapToInt(Gloss::label).toArray())
        .withLongs(TextTransformer.INPUT, flat, MAX_LENGTH);
  }

  static String servingProperties() {
    return ServingProperties.text("input_ids", "probabilities", "embedding",
        new ServingProperties.TextInput("tokenizer.json", MAX_LENGTH)).render();
  }

  private static String card(TextTransformer network, Trainer.Settings settings,
      Trainer.Result result, Evaluation evaluation, int testSize, double baseline, int vocab,
      double sampleAccuracy, Path dir, int limit) throws IOException {
    return """
        # text-transformer %s

        Classifies an English noun definition into one of the 10 largest WordNet noun
        lexicographer categories (noun.artifact, noun.person, ...), and exposes the pooled
        sentence embedding.

        | | |
        |---|---|
        | test accuracy | **%s** on %,d held-out glosses (never used for training or model selection)%s |
        | baseline | multinomial naive Bayes on the same split: %s |
        | sample accuracy | %s on the %d committed samples (`models/samples/text`, part of the test split) |
        | data | WordNet 3.0 noun glosses from Debian's `wordnet-base` (WordNet licence, Princeton University); definition text only (the synset's own words are left out: they give the category away) |
        | split | by a hash of the synset offset: 80%% train / 10%% validation / 10%% test |
        | tokenizer | WordPiece, %,d tokens, trained on the training split; `tokenizer.json` (Hugging Face format, read by DJL's HF tokenizers); BERT normalisation (lower case, accents stripped); [CLS] ... [SEP], padded/truncated to %d |
        | architecture | token + learned position embeddings (d 128), 2 pre-norm Transformer layers (4-head self-attention over non-padding tokens, ReLU feed-forward 256, residuals, LayerNorm), final LayerNorm, masked mean pooling → `embedding` [batch, 128], dense 10 |
        | parameters | %,d |
        | multiply-adds per example | %,d (%.1f MFLOPs) |
        | training | Adam, batch %d, %d epochs, cosine learning rate %.0e → %.0e, dropout 0.1; best epoch by validation accuracy: %d (validation %s) |
        | training time | %s on 2 CPU cores (TF-Java, TensorFlow 2.16.1) |
        | input | `input_ids` [batch, %d] int64 |
        | outputs | `probabilities` [batch, 10], `embedding` [batch, 128] |
        | size | %d KiB |
        | reproduce | `./kinfer models train text` (seeded: same split, vocabulary and weights) |

        ## Per-class scores on the test split

        %s
        """.formatted(VERSION, ModelCard.percent(evaluation.accuracy()), testSize,
        limit > 0 ? " — SMOKE RUN on a slice, not a real model" : "",
        ModelCard.percent(baseline), ModelCard.percent(sampleAccuracy), SAMPLES, vocab,
        MAX_LENGTH, result.parameters(), network.macsPerExample(),
        2 * network.macsPerExample() / 1e6, settings.batchSize(), settings.epochs(),
        settings.learningRate(), settings.finalLearningRate(), result.bestEpoch(),
        ModelCard.percent(result.validationAccuracy().get(result.bestEpoch() - 1)),
        ModelCard.minutes(result.duration()), MAX_LENGTH, ModelCard.sizeKib(dir),
        evaluation.markdown());
  }
}
