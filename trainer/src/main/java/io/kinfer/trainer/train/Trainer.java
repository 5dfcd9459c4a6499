package io.kinfer.trainer.train;


import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Trains a {@link Network} with Adam on softmax cross-entropy, in TF-Java: gradients from the
 * graph, raw ApplyAdam ops, seeded shuffling and dropout; one seed gives the same weights bit
 * for bit. After each epoch it scores the validation set and keeps the best weights (model
 * selection never sees the test set).
 */
public final class Trainer implements AutoCloseable {

  /** Training settings. */
  public record Settings(int epochs, int batchSize, float learningRate, float finalLearningRate,
      long seed) {}

  /** Changes a batch's features in place (data augmentation), given the batch size. */
  public interface Augmentation {
    void apply(Map<String, float[]> batch, int batchSize, Random random);
  }

  /** The outcome: the selected weights and the validation accuracy per epoch. */
  public record Result(Map<String, float[]> weights, List<Double> validationAccuracy,
      int bestEpoch, long parameters, Duration duration) {}

  private final Network network;
  private final int classes;
  private final Settings settings;
  private final PrintStream out;
  private final Graph graph = new Graph();
  private final Session session;
  private final Map<String, Operand<?>> inputs;
  private final Placeholder<TFloat32> labels;
  private final Placeholder<TFloat32> learningRate;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> loss;
  private final Regularizer regularizer;
  private final Weights weights;
  private final List<Operand<?>> updates = new ArrayList<>();

  public Trainer(Network network, int classes, Settings settings, PrintStream out) {
    this.network = network;
    this.classes = classes;
    this.settings = settings;
    this.out = out;
    Ops tf = Ops.create(graph);
    inputs = network.inputs(tf);
    weights = Weights.random(tf, settings.seed());
    regularizer = Regularizer.training(tf);
    logits = network.build(tf, weights, inputs, regularizer).logits();
    labels = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, classes)));
    loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(),
        tf.constant(0));
    learningRate = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    List<Variable<TFloat32>> variables = weights.variables();
    var gradients = tf.gradients(loss, variables);
    // Updates wait for every gradient, the loss and the logits: backward ops read the weights
    // (dx = dy W^T), and an update that ran before such a read would make a step depend on
    // the executor's thread timing (runs of the same seed then differed by up to 3 points).
    List<Op> computed = new ArrayList<>(List.of(tf.identity(loss),
        tf.identity(logits)));
    for (int i = 0; i < variables.size(); i++) {
      computed.add(tf.identity(gradients.<TFloat32>dy(i)));
    }
    Ops afterGradients = tf.withControlDependencies(computed);
    for (int i = 0; i < variables.size(); i++) {
      Variable<TFloat32> v = variables.get(i);
      // Slots start from zeros of the static shape, not zerosLike(v): initialisers run in no
      // particular order, and v may not be initialised yet.
      Ops init = tf.withInitScope();
      Operand<TFloat32> m = tf.variable(init.zeros(init.constant(v.shape().asArray()),
          TFloat32.class));
      Operand<TFloat32> s = tf.variable(init.zeros(init.constant(v.shape().asArray()),
          TFloat32.class));
      updates.add(afterGradients.train.applyAdam(v, m, s, beta1Power, beta2Power, learningRate,
          tf.constant(0.9f), tf.constant(0.999f), tf.constant(1e-7f), gradients.<TFloat32>dy(i)));
    }
    session = new Session(graph);
    session.initialize();
  }

  public Result fit(Examples train, Examples validation, Augmentation augmentation) {
    return fit(train, validation, "validation", augmentation);
  }

  /**
   * {@link #fit(Examples, Examples, Augmentation)} with the selection set named in the progress
   * output, e.g. "development" when it is not a held-out part of the training data.
   */
  public Result fit(Examples train, Examples validation, String validationName,
      Augmentation augmentation) {
    long started = System.nanoTime();
    Random random = new Random(settings.seed());
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    int steps = (train.size() + settings.batchSize() - 1) / settings.batchSize();
    long totalSteps = (long) steps * settings.epochs();
    long step = 0;
    List<Double> history = new ArrayList<>();
    Map<String, float[]> best = null;
    int bestEpoch = 0;
    double bestAccuracy = -1;
    Progress progress = new Progress(out);
    out.printf("  %,d parameters, %,d training / %,d %s examples, %d epochs of %d steps%n",
        weights.parameterCount(), train.size(), validation.size(), validationName,
        settings.epochs(), steps);
    for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
      shuffle(order, random);
      double lossSum = 0;
      long correct = 0;
      long seen = 0;
      long epochStart = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        int from = s * settings.batchSize();
        int to = Math.min(train.size(), from + settings.batchSize());
        step++;
        float lr = learningRate(step, totalSteps);
        float[] batchLogits;
        double batchLoss;
        try (Feed feed = new Feed(train, order, from, to, augmentation, random, true)) {
          Session.Runner runner = feed.runner()
              .feed(learningRate, TFloat32.scalarOf(lr))
              .feed(beta1Power, TFloat32.scalarOf((float) Math.pow(0.9, step)))
              .feed(beta2Power, TFloat32.scalarOf((float) Math.pow(0.999, step)))
              .fetch(loss).fetch(logits);
          updates.forEach(runner::addTarget);
          try (org.tensorflow.Result result = runner.run()) {
            batchLoss = ((TFloat32) result.get(0)).getFloat();
            batchLogits = toArray((TFloat32) result.get(1));
          }
        }
        int n = to - from;
        lossSum += batchLoss * n;
        correct += countCorrect(batchLogits, train, order, from, n);
        seen += n;
        double perSecond = seen / ((System.nanoTime() - epochStart) / 1e9);
        Duration eta = Duration.ofSeconds((long) ((totalSteps - step) * settings.batchSize()
            / Math.max(1, perSecond)));
        progress.step(epoch, settings.epochs(), seen, train.size(), lossSum / seen,
            (double) correct / seen, perSecond, eta, s == steps - 1);
      }
      double accuracy = accuracy(predict(validation), validation.labels());
      history.add(accuracy);
      out.printf("  epoch %d: %s accuracy %.2f%%%s%n", epoch, validationName, 100 * accuracy,
          accuracy > bestAccuracy ? " (best so far)" : "");
      if (accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestEpoch = epoch;
        best = snapshot();
      }
    }
    return new Result(best, history, bestEpoch, weights.parameterCount(),
        Duration.ofNanos(System.nanoTime() - started));
  }

  /** Class probabilities for every example, from the current weights with dropout off. */
  public float[][] predict(Examples examples) {
    int[] order = new int[examples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    float[][] probabilities = new float[examples.size()][];
    int batch = 256;
    for (int from = 0; from < examples.size(); from += batch) {
      int to = Math.min(examples.size(), from + batch);
      try (Feed feed = new Feed(examples, order, from, to, null, null, false);
          org.tensorflow.Result result = feed.runner().fetch(logits).run()) {
        float[] flat = toArray((TFloat32) result.get(0));
        for (int i = 0; i < to - from; i++) {
          probabilities[from + i] = softmax(flat, i * classes, classes);
        }
      }
    }
    return probabilities;
  }

  /** Loads a weight snapshot back into the training graph (e.g. the best epoch). */
  public void restore(Map<String, float[]> values) {
    Ops tf = Ops.create(graph);
    Session.Runner runner = session.runner();
    List<Tensor> tensors = new ArrayList<>();
    for (var entry : weights.byName().entrySet()) {
      TFloat32 value = TFloat32.tensorOf(entry.getValue().shape(),
          DataBuffers.of(values.get(entry.getKey()), true, false));
      tensors.add(value);
      Placeholder<TFloat32> p = tf.placeholder(TFloat32.class);
      runner.addTarget(tf.assign(entry.getValue(), p)).feed(p, value);
    }
    runner.run().close();
    tensors.forEach(Tensor::close);
  }

  public static double accuracy(float[][] probabilities, int[] labels) {
    long correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (argMax(probabilities[i], 0, probabilities[i].length) == labels[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }

  private Map<String, float[]> snapshot() {
    Map<String, float[]> values = new LinkedHashMap<>();
    Session.Runner runner = session.runner();
    List<String> names = new ArrayList<>(weights.byName().keySet());
    names.forEach(n -> runner.fetch(weights.byName().get(n)));
    try (org.tensorflow.Result result = runner.run()) {
      for (int i = 0; i < names.size(); i++) {
        values.put(names.get(i), toArray((TFloat32) result.get(i)));
      }
    }
    return values;
  }

  private float learningRate(long step, long total) {
    // Cosine decay from the initial to the final rate, after a short linear warm-up.
    long warmup = Math.max(1, total / 50);
    if (step < warmup) {
      return settings.learningRate() * step / warmup;
    }
    double progress = (double) (step - warmup) / Math.max(1, total - warmup);
    return (float) (settings.finalLearningRate() + 0.5 * (settings.learningRate()
        - settings.finalLearningRate()) * (1 + Math.cos(Math.PI * progress)));
  }

  private int countCorrect(float[] batchLogits, Examples examples, int[] order, int from, int n) {
    int correct = 0;
    for (int i = 0; i < n; i++) {
      if (argMax(batchLogits, i * classes, classes) == examples.label(order[from + i])) {
        correct++;
      }
    }
    return correct;
  }

  static int argMax(float[] values, int offset, int length) {
    int best = 0;
    for (int i = 1; i < length; i++) {
      if (values[offset + i] > values[offset + best]) {
        best = i;
      }
    }
    return best;
  }

  private static float[] softmax(float[] logits, int offset, int length) {
    float max = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < length; i++) {
      max = Math.max(max, logits[offset + i]);
    }
    double sum = 0;
    float[] p = new float[length];
    for (int i = 0; i < length; i++) {
      p[i] = (float) Math.exp(logits[offset + i] - max);
      sum += p[i];
    }
    for (int i = 0; i < length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  static float[] toArray(TFloat32 tensor) {
    float[] values = new float[(int) tensor.shape().size()];
    FloatDataBuffer buffer = DataBuffers.of(values, false, false);
    tensor.copyTo(buffer);
    return values;
  }

  private static void shuffle(int[] order, Random random) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

  /** The tensors of one step; closes them all. */
  private final class Feed implements AutoCloseable {
    private final List<Tensor> tensors = new ArrayList<>();
    private final Session.Runner runner = session.runner();

    Feed(Examples examples, int[] order, int from, int to, Augmentation augmentation,
        Random random, boolean training) {
      int n = to - from;
      Map<String, Tensor> batch;
      if (augmentation != null) {
        Map<String, float[]> raw = new HashMap<>();
        batch = examples.batch(order, from, to);
        batch.forEach((name, t) -> {
          if (t instanceof TFloat32 f) {
            raw.put(name, toArray(f));
          }
        });
        augmentation.apply(raw, n, random);
        raw.forEach((name, values) -> {
          Tensor old = batch.put(name, TFloat32.tensorOf(batch.get(name).shape(),
              DataBuffers.of(values, true, false)));
          old.close();
        });
      } else {
        batch = examples.batch(order, from, to);
      }
      batch.forEach((name, tensor) -> {
        tensors.add(tensor);
        runner.feed(inputs.get(name), tensor);
      });
      float[] oneHot = new float[n * classes];
      for (int i = 0; i < n; i++) {
        oneHot[i * classes + examples.label(order[from + i])] = 1f;
      }
      TFloat32 y = TFloat32.tensorOf(Shape.of(n, classes), DataBuffers.of(oneHot, true, false));
      tensors.add(y);
      runner.feed(labels, y);
      for (Regularizer.Mask mask : regularizer.masks()) {
        float[] values;
        if (training) {
          values = mask.draw(random, n);
        } else {
          values = new float[n * mask.perExample()];
          java.util.Arrays.fill(values, 1f);
        }
        TFloat32 m = TFloat32.tensorOf(mask.batchShape(n), DataBuffers.of(values, true, false));
        tensors.add(m);
        runner.feed(mask.placeholder(), m);
      }
    }

    Session.Runner runner() {
      return runner;
    }

    @Override
    public void close() {
      tensors.forEach(Tensor::close);
    }
  }
}
