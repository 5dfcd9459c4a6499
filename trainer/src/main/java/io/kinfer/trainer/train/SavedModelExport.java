package io.kinfer.trainer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;

/**
 * Exports a clean inference SavedModel: a fresh graph of the network with the trained weights,
 * softmax probabilities and any extra outputs, no optimizer slots and no training ops.
 */
public final class SavedModelExport {

  public static final String PROBABILITIES = "probabilities";

  private SavedModelExport() {}

  public static void export(Network network, Map<String, float[]> weights, Path dir)
      throws IOException {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      Map<String, Operand<?>> inputs = network.inputs(tf);
      Weights trained = Weights.trained(tf, weights);
      Network.Outputs outputs = network.build(tf, trained, inputs, Regularizer.inference());
      Map<String, Operand<?>> named = new LinkedHashMap<>();
      named.put(PROBABILITIES, tf.withName(PROBABILITIES).nn.softmax(outputs.logits()));
      outputs.extras().forEach((name, op) -> named.put(name, tf.withName(name).identity(op)));
      write(graph, dir, inputs, named, trained::assignTrained);
    }
  }

  /** Writes {@code graph} as a SavedModel with one serving_default signature. */
  public static void write(Graph graph, Path dir, Map<String, Operand<?>> inputs,
      Map<String, Operand<?>> outputs) throws IOException {
    write(graph, dir, inputs, outputs, session -> { });
  }

  private static void write(Graph graph, Path dir, Map<String, Operand<?>> inputs,
      Map<String, Operand<?>> outputs, java.util.function.Consumer<Session> initialize)
      throws IOException {
    deleteFolder(dir);
    Files.createDirectories(dir.getParent());
    try (Session session = new Session(graph)) {
      session.initialize();
      initialize.accept(session);
      Signature.Builder signature = Signature.builder().key("serving_default")
          .methodName("tensorflow/serving/predict");
      inputs.forEach(signature::input);
      outputs.forEach(signature::output);
      SavedModelBundle.exporter(dir.toString()).withSession(session)
          .withSignature(signature.build()).export();
    }
  }

  static void deleteFolder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
