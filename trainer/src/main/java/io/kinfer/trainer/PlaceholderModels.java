package io.kinfer.trainer;


import io.kinfer.models.ServingProperties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.kinfer.trainer.train.ModelCard;
import io.kinfer.trainer.train.SavedModelExport;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Builds the three placeholder models of the foundation release with TF-Java: real graphs
 * (a 2-block CNN, a tanh RNN over PCM frames, a one-layer self-attention encoder) with seeded
 * random weights, exported as SavedModels in the model-folder contract. They exercise the whole
 * runtime but classify at chance; the trained models replace them (see docs/models.md).
 */
public final class PlaceholderModels {

  static final List<String> IMAGE_LABELS = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
  static final List<String> AUDIO_LABELS = List.of("yes", "no", "up", "down", "left", "right",
      "on", "off", "stop", "go", "_silence_", "_unknown_");
  static final List<String> TEXT_LABELS = List.of("noun.artifact", "noun.person", "noun.plant",
      "noun.animal", "noun.act", "noun.communication", "noun.state", "noun.location",
      "noun.attribute", "noun.substance");

  static final int AUDIO_SAMPLES = 16_000;
  static final int AUDIO_FRAMES = 50;
  static final int TEXT_TOKENS = 32;
  static final int TEXT_DIM = 32;

  private PlaceholderModels() {}

  /** Writes image-cnn, audio-rnn and text-transformer (version 1) under {@code root}. */
  public static List<Path> writeAll(Path root, long seed) throws IOException {
    return List.of(
        writeImage(root.resolve("image-cnn/1"), seed),
        writeAudio(root.resolve("audio-rnn/1"), seed + 1),
        writeText(root.resolve("text-transformer/1"), seed + 2));
  }

  static Path writeImage(Path dir, long seed) throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      GraphWeights w = new GraphWeights(tf, seed);
      Placeholder<TFloat32> image = tf.withName("image").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 28, 28, 1)));
      Operand<TFloat32> x = convBlock(tf, w, image, "conv1", 1, 8);
      x = convBlock(tf, w, x, "conv2", 8, 16);
      x = tf.reshape(x, tf.constant(new int[] {-1, 7 * 7 * 16}));
      Operand<TFloat32> logits = tf.nn.biasAdd(
          tf.linalg.matMul(x, w.weight("dense_w", 7 * 7 * 16, IMAGE_LABELS.size())),
          w.bias("dense_b", IMAGE_LABELS.size()));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      SavedModelExport.write(graph, dir, Map.of("image", image), Map.of("probabilities", probabilities));
    }
    writeFolderFiles(dir, IMAGE_LABELS, ServingProperties.image("image", "probabilities",
        new ServingProperties.ImageInput(28, 28, true, false)).render(), "image-cnn", "a 2-block CNN (conv 3x3x8, pool, conv 3x3x16, pool, dense 10) over"
            + " 28x28 grey images scaled to [0, 1]");
    return dir;
  }

  private static Operand<TFloat32> convBlock(Ops tf, GraphWeights w, Operand<TFloat32> in,
      String name, int channelsIn, int channelsOut) {
    Operand<TFloat32> conv = tf.nn.conv2d(in, w.weight(name + "_w", 3, 3, channelsIn, channelsOut),
        List.of(1L, 1L, 1L, 1L), "SAME");
    Operand<TFloat32> act = tf.nn.relu(tf.nn.biasAdd(conv, w.bias(name + "_b", channelsOut)));
    return tf.nn.maxPool(act, tf.constant(new int[] {1, 2, 2, 1}),
        tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  static Path writeAudio(Path dir, long seed) throws IOException {
    int frameLength = AUDIO_SAMPLES / AUDIO_FRAMES;
    int hidden = 32;
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      GraphWeights w = new GraphWeights(tf, seed);
      Placeholder<TFloat32> audio = tf.withName("audio").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, AUDIO_SAMPLES)));
      Operand<TFloat32> frames = tf.reshape(audio,
          tf.constant(new int[] {-1, AUDIO_FRAMES, frameLength}));
      Operand<TFloat32> wx = w.weight("rnn_wx", frameLength, hidden);
      Operand<TFloat32> wh = w.weight("rnn_wh", hidden, hidden);
      Operand<TFloat32> b = w.bias("rnn_b", hidden);
      // A plain tanh RNN, unrolled: h_t = tanh(x_t Wx + h_{t-1} Wh + b).
      Operand<TFloat32> h = null;
      for (Operand<TFloat32> step : tf.unstack(frames, (long) AUDIO_FRAMES,
          org.tensorflow.op.core.Unstack.axis(1L))) {
        Operand<TFloat32> in = tf.linalg.matMul(step, wx);
        if (h != null) {
          in = tf.math.add(in, tf.linalg.matMul(h, wh));
        }
        h = tf.math.tanh(tf.nn.biasAdd(in, b));
      }
      Operand<TFloat32> logits = tf.nn.biasAdd(
          tf.linalg.matMul(h, w.weight("dense_w", hidden, AUDIO_LABELS.size())),
          w.bias("dense_b", AUDIO_LABELS.size()));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      SavedModelExport.write(graph, dir, Map.of("audio", audio), Map.of("probabilities", probabilities));
    }
    writeFolderFiles(dir, AUDIO_LABELS, ServingProperties.audio("audio", "probabilities",
        new ServingProperties.AudioInput(16_000, 16_000, false)).render(), "audio-rnn", "a tanh RNN (32 units, unrolled over 50 frames of 320 samples) over one"
            + " second of 16 kHz mono PCM scaled to [-1, 1]");
    return dir;
  }

  static Path writeText(Path dir, long seed) throws IOException {
    List<String> vocabulary = TextVocabulary.words();
    int vocabSize = vocabulary.size() + TextVocabulary.SPECIAL_TOKENS.size();
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      GraphWeights w = new GraphWeights(tf, seed);
      Placeholder<TInt64> ids = tf.withName("input_ids").placeholder(TInt64.class,
          Placeholder.shape(Shape.of(-1, TEXT_TOKENS)));
      Operand<TFloat32> mask = tf.dtypes.cast(
          tf.math.notEqual(ids, tf.constant(0L)), TFloat32.class); // [B, T]; 0 = [PAD]
      Operand<TFloat32> tokens = tf.gather(w.weight("token_embedding", vocabSize, TEXT_DIM),
          ids, tf.constant(0));
      Operand<TFloat32> x = tf.math.add(tokens,
          w.weight("position_embedding", TEXT_TOKENS, TEXT_DIM)); // [B, T, D]
      Operand<TFloat32> q = project(tf, x, w.weight("wq", TEXT_DIM, TEXT_DIM));
      Operand<TFloat32> k = project(tf, x, w.weight("wk", TEXT_DIM, TEXT_DIM));
      Operand<TFloat32> v = project(tf, x, w.weight("wv", TEXT_DIM, TEXT_DIM));
      // Scaled dot-product attention by broadcasting: scores[b,i,j] = <q_i, k_j> / sqrt(D).
      Operand<TFloat32> scores = tf.math.div(
          tf.reduceSum(tf.math.mul(tf.expandDims(q, tf.constant(2)),
              tf.expandDims(k, tf.constant(1))), tf.constant(-1)),
          tf.constant((float) Math.sqrt(TEXT_DIM)));
      Operand<TFloat32> keyMask = tf.expandDims(mask, tf.constant(1)); // [B, 1, T]
      scores = tf.math.add(scores,
          tf.math.mul(tf.math.sub(tf.constant(1f), keyMask), tf.constant(-1e9f)));
      Operand<TFloat32> attention = tf.nn.softmax(scores);
      Operand<TFloat32> attended = tf.reduceSum(tf.math.mul(
          tf.expandDims(attention, tf.constant(-1)), tf.expandDims(v, tf.constant(1))),
          tf.constant(2));
      Operand<TFloat32> encoded = tf.math.tanh(tf.math.add(x, attended));
      // Masked mean pooling: the sentence embedding.
      Operand<TFloat32> summed = tf.reduceSum(
          tf.math.mul(encoded, tf.expandDims(mask, tf.constant(-1))), tf.constant(1));
      Operand<TFloat32> count = tf.math.maximum(
          tf.reduceSum(mask, tf.constant(1), org.tensorflow.op.core.ReduceSum.keepDims(true)),
          tf.constant(1f));
      Operand<TFloat32> embedding = tf.withName("embedding").math.div(summed, count);
      Operand<TFloat32> logits = tf.nn.biasAdd(
          tf.linalg.matMul(embedding, w.weight("dense_w", TEXT_DIM, TEXT_LABELS.size())),
          w.bias("dense_b", TEXT_LABELS.size()));
      Operand<TFloat32> probabilities = tf.withName("probabilities").nn.softmax(logits);
      Map<String, Operand<?>> outputs = new LinkedHashMap<>();
      outputs.put("probabilities", probabilities);
      outputs.put("embedding", embedding);
      SavedModelExport.write(graph, dir, Map.of("input_ids", ids), outputs);
    }
    Files.writeString(dir.resolve("tokenizer.json"), TextVocabulary.tokenizerJson(vocabulary));
    writeFolderFiles(dir, TEXT_LABELS, ServingProperties.text("input_ids", "probabilities", "embedding",
        new ServingProperties.TextInput("tokenizer.json", 32)).render(), "text-transformer", "a one-layer self-attention encoder (d 32, token + position"
            + " embeddings, masked mean pooling) over 32 word-level tokens; the pooled vector is"
            + " the `embedding` output");
    return dir;
  }

  private static Operand<TFloat32> project(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w) {
    Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[] {-1, TEXT_DIM}));
    return tf.reshape(tf.linalg.matMul(flat, w),
        tf.constant(new int[] {-1, TEXT_TOKENS, TEXT_DIM}));
  }

  private static void writeFolderFiles(Path dir, List<String> labels, String properties,
      String name, String architecture) throws IOException {
    Files.writeString(dir.resolve("serving.properties"), properties);
    Files.write(dir.resolve("synset.txt"), labels, StandardCharsets.UTF_8);
    List<String> card = new ArrayList<>(List.of(
        "# " + name + " 1 (placeholder)",
        "",
        "A placeholder model of the foundation release: " + architecture + ".",
        "",
        "- **Weights:** seeded random (He-scaled Gaussian), **not trained**: it classifies at",
        "  chance. It exists so the runtime, the pipelines and the tests run a real SavedModel",
        "  through DJL's TensorFlow engine until the trained model ships.",
        "- **Labels:** " + String.join(", ", labels) + " (`synset.txt`).",
        "- **Signature:** `serving_default`; see `serving.properties` for input/output names.",
        "- **Reproduce:** `./kinfer models placeholders` (same seed, same weights).",
        ""));
    Files.write(dir.resolve("MODEL.md"), card, StandardCharsets.UTF_8);
  }
}
