package io.kinfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Stack;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TNumber;

/**
 * SavedModels with exactly the signatures of well-known public models, built with TF-Java for
 * the bring-your-own-model tests. Their weights are not learned but set so that the right
 * answer for an input is known, and differs when the input is prepared the wrong way:
 *
 * <ul>
 *   <li>{@link #mobileNetV2}: Keras' MobileNetV2 classifier ({@code input_1} float32
 *       [-1, 224, 224, 3] in [-1, 1], {@code predictions} [-1, 1000] softmax). Classes 0–2 are
 *       the mean of R, G and B, class 3 ("dark") their negated mean: a dark grey picture is
 *       "dark" only when its values are mapped onto [-1, 1].
 *   <li>{@link #channelsFirst}: a PyTorch-origin export ({@code input} float32 [-1, 3, 32, 32],
 *       {@code logits} [-1, 3]): the mean of each input channel, whichever colour it holds.
 *   <li>{@link #bertClassifier}: Hugging Face's TFBertForSequenceClassification
 *       ({@code input_ids}, {@code attention_mask}, {@code token_type_ids} int32 [-1, 128],
 *       {@code logits} [-1, 2]): "dog" when the unmasked ids hold the word dog, less ten per
 *       non-zero token type.
 *   <li>{@link #yamnet}: TF Hub's YAMNet (a waveform of any length in, scores per 0.48 s frame
 *       out): "silence" or "tone" by each frame's loudness.
 *   <li>{@link #multiLabel}: independent sigmoid labels ({@code input_ids} int64 [-1, 32],
 *       {@code logits} [-1, 3]): dog, cat, bird, each 4 × its count − 2.
 * </ul>
 *
 * The text models use the shipped text model's WordPiece {@code tokenizer.json}.
 */
public final class SignatureModels {

  public static final List<String> MOBILENET_LABELS;

  static {
    List<String> labels = new ArrayList<>(List.of("red", "green", "blue", "dark"));
    for (int i = 4; i < 1000; i++) {
      labels.add("class-" + i);
    }
    MOBILENET_LABELS = List.copyOf(labels);
  }

  private SignatureModels() {}

  /** Keras MobileNetV2's signature; folder {@code root/mobilenet-v2/1}. */
  public static Path mobileNetV2(Path root, String servingProperties) throws IOException {
    Path dir = root.resolve("mobilenet-v2/1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.withName("input_1").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 224, 224, 3)));
      Operand<TFloat32> means = tf.math.mean(input, tf.constant(new int[] {1, 2})); // [B, 3]
      float[][] weights = new float[3][1000];
      float[] bias = new float[1000];
      for (int c = 0; c < 3; c++) {
        weights[c][c] = 1f;
        weights[c][3] = -1f / 3;
      }
      for (int k = 4; k < 1000; k++) {
        bias[k] = -10f;
      }
      Operand<TFloat32> logits = tf.math.add(tf.linalg.matMul(means, tf.constant(weights)),
          tf.constant(bias));
      export(graph, tf, dir, Map.of("input_1", input),
          Map.of("predictions", tf.nn.softmax(logits)));
    }
    folderFiles(dir, MOBILENET_LABELS, servingProperties);
    return dir;
  }

  /** A channels-first export; folder {@code root/<name>/1}. */
  public static Path channelsFirst(Path root, String name, String servingProperties)
      throws IOException {
    Path dir = root.resolve(name + "/1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> input = tf.withName("input").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, 3, 32, 32)));
      export(graph, tf, dir, Map.of("input", input),
          Map.of("logits", tf.math.mean(input, tf.constant(new int[] {2, 3}))));
    }
    folderFiles(dir, List.of("first", "second", "third"), servingProperties);
    return dir;
  }

  /** Hugging Face TF BERT's sequence-classifier signature; folder {@code root/bert/1}. */
  public static Path bertClassifier(Path root, String servingProperties, int dogId)
      throws IOException {
    Path dir = root.resolve("bert/1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TInt32> ids = tf.withName("input_ids").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(-1, 128)));
      Placeholder<TInt32> mask = tf.withName("attention_mask").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(-1, 128)));
      Placeholder<TInt32> types = tf.withName("token_type_ids").placeholder(TInt32.class,
          Placeholder.shape(Shape.of(-1, 128)));
      Operand<TFloat32> dogs = count(tf, ids, tf.constant(dogId), floats(tf, mask));
      Operand<TFloat32> typeSum = tf.reduceSum(floats(tf, types), tf.constant(1));
      Operand<TFloat32> dog = tf.math.sub(tf.math.sub(tf.math.mul(dogs, tf.constant(2f)),
          tf.constant(1f)), tf.math.mul(typeSum, tf.constant(10f)));
      Operand<TFloat32> zero = tf.math.mul(dog, tf.constant(0f));
      Map<String, Operand<?>> inputs = new LinkedHashMap<>();
      inputs.put("input_ids", ids);
      inputs.put("attention_mask", mask);
      inputs.put("token_type_ids", types);
      export(graph, tf, dir, inputs,
          Map.of("logits", tf.stack(List.of(dog, zero), Stack.axis(1L))));
    }
    folderFiles(dir, List.of("dog", "no-dog"), servingProperties);
    copyTokenizer(dir);
    return dir;
  }

  /** Three independent sigmoid labels over word counts; folder {@code root/tags/1}. */
  public static Path multiLabel(Path root, String servingProperties, Map<String, Integer> words)
      throws IOException {
    Path dir = root.resolve("tags/1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TInt64> ids = tf.withName("input_ids").placeholder(TInt64.class,
          Placeholder.shape(Shape.of(-1, 32)));
      List<Operand<TFloat32>> logits = new ArrayList<>();
      for (int id : words.values()) {
        Operand<TFloat32> n = count(tf, ids, tf.constant((long) id), null);
        logits.add(tf.math.sub(tf.math.mul(n, tf.constant(4f)), tf.constant(2f)));
      }
      export(graph, tf, dir, Map.of("input_ids", ids),
          Map.of("logits", tf.stack(logits, Stack.axis(1L))));
    }
    folderFiles(dir, List.copyOf(words.keySet()), servingProperties);
    copyTokenizer(dir);
    return dir;
  }

  /** YAMNet's frames: 0.48 s at 16 kHz (non-overlapping here). */
  public static final int YAMNET_HOP = 7680;

  /**
   * TF Hub's YAMNet signature ({@code waveform} float32 [-1] at 16 kHz; {@code output_0} scores
   * [-1, 521], {@code output_1} embeddings [-1, 1024], {@code output_2} log-mel [-1, 64]; one
   * row per 0.48 s frame): class 0 "silence" and class 1 "tone" by the frame's mean amplitude
   * (over 0.05: tone). Folder {@code root/yamnet/1}.
   */
  public static Path yamnet(Path root, String servingProperties) throws IOException {
    Path dir = root.resolve("yamnet/1");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Placeholder<TFloat32> waveform = tf.withName("waveform").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1)));
      Operand<TInt32> frames = tf.math.floorDiv(tf.shape(waveform),
          tf.constant(new int[] {YAMNET_HOP}));
      Operand<TFloat32> cut = tf.slice(waveform, tf.constant(new int[] {0}),
          tf.math.mul(frames, tf.constant(new int[] {YAMNET_HOP})));
      Operand<TFloat32> grid = tf.reshape(cut, tf.concat(List.of(frames,
          tf.constant(new int[] {YAMNET_HOP})), tf.constant(0)));
      Operand<TFloat32> energy = tf.math.mean(tf.math.abs(grid), tf.constant(1));
      Operand<TFloat32> tone = tf.math.sigmoid(tf.math.mul(tf.math.sub(energy,
          tf.constant(0.05f)), tf.constant(200f)));
      Operand<TFloat32> silence = tf.math.sub(tf.constant(1f), tone);
      Operand<TFloat32> scores = tf.concat(List.of(tf.expandDims(silence, tf.constant(1)),
          tf.expandDims(tone, tf.constant(1)), zeros(tf, frames, 519)), tf.constant(1));
      Map<String, Operand<?>> outputs = new LinkedHashMap<>();
      outputs.put("output_0", scores);
      outputs.put("output_1", zeros(tf, frames, 1024));
      outputs.put("output_2", zeros(tf, frames, 64));
      export(graph, tf, dir, Map.of("waveform", waveform), outputs);
    }
    List<String> labels = new ArrayList<>(List.of("silence", "tone"));
    for (int i = 2; i < 521; i++) {
      labels.add("class-" + i);
    }
    folderFiles(dir, labels, servingProperties);
    return dir;
  }

  private static Operand<TFloat32> zeros(Ops tf, Operand<TInt32> rows, int width) {
    return tf.zeros(tf.concat(List.of(rows, tf.constant(new int[] {width})), tf.constant(0)),
        TFloat32.class);
  }

  /** How often {@code id} occurs per row of {@code ids}, counting only where mask is 1. */
  private static <T extends TNumber> Operand<TFloat32> count(Ops tf, Operand<T> ids,
      Operand<T> id, Operand<TFloat32> mask) {
    Operand<TFloat32> hits = floats(tf, tf.math.equal(ids, id));
    return tf.reduceSum(mask == null ? hits : tf.math.mul(hits, mask), tf.constant(1));
  }

  private static Operand<TFloat32> floats(Ops tf, Operand<?> x) {
    return tf.dtypes.cast(x, TFloat32.class);
  }

  private static void export(Graph graph, Ops tf, Path dir, Map<String, Operand<?>> inputs,
      Map<String, Operand<?>> outputs) throws IOException {
    Files.createDirectories(dir.getParent());
    try (Session session = new Session(graph)) {
      Signature.Builder signature = Signature.builder().key("serving_default")
          .methodName("tensorflow/serving/predict");
      inputs.forEach(signature::input);
      outputs.forEach((name, op) -> signature.output(name, tf.withName(name).identity(op)));
      SavedModelBundle.exporter(dir.toString()).withSession(session)
          .withSignature(signature.build()).export();
    }
  }

  private static void folderFiles(Path dir, List<String> labels, String servingProperties)
      throws IOException {
    Files.write(dir.resolve("synset.txt"), labels, StandardCharsets.UTF_8);
    if (servingProperties != null) {
      Files.writeString(dir.resolve("serving.properties"), servingProperties);
    }
  }

  /** The shipped text model's WordPiece tokenizer. */
  public static Path shippedTokenizer() throws IOException {
    try (var versions = Files.list(TestModels.MODELS_DIR.resolve("text-transformer"))) {
      return versions.filter(Files::isDirectory).map(d -> d.resolve("tokenizer.json"))
          .filter(Files::exists).findFirst().orElseThrow();
    }
  }

  private static void copyTokenizer(Path dir) throws IOException {
    Files.copy(shippedTokenizer(), dir.resolve("tokenizer.json"));
  }
}
