package io.kinfer.inference;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import io.kinfer.config.KinferSettings;
import io.kinfer.decode.EventDecoder;
import io.kinfer.models.ModelFolder;
import io.kinfer.models.ModelFolder.ModelFolderException;
import io.kinfer.models.TensorFlowNatives;
import io.kinfer.schema.ModelInfo;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads model folders through DJL's TensorFlow engine: checks the folder and the SavedModel's
 * signature against serving.properties, places the model on the configured device, warms it
 * up, and closes everything at shutdown. Every failure names the folder and what to do.
 */
@Singleton
public class ModelRegistry implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  private final KinferSettings settings;
  private final List<ZooModel<?, ?>> loaded = new ArrayList<>();
  private Engine engine;

  public ModelRegistry(KinferSettings settings) {
    this.settings = settings;
  }

  /** The TensorFlow engine, provisioned on first use. */
  public synchronized Engine engine() {
    if (engine == null) {
      Path cache = settings.getCacheDir() != null ? Path.of(settings.getCacheDir())
          : TensorFlowNatives.defaultCacheRoot();
      engine = TensorFlowNatives.engine(cache);
    }
    return engine;
  }

  public <I> ServedModel<I> load(String name, String version, String deviceSetting,
      EventDecoder<?, I> modality) {
    return load(name, version, deviceSetting, modality, 1);
  }

  /**
   * Loads and checks a model version, and warms it up at batch 1 and at {@code warmUpBatch}
   * (the first call at a new batch size is slow: TensorFlow prepares its kernels then).
   * Several models may load at once, from different threads.
   */
  public <I> ServedModel<I> load(String name, String version, String deviceSetting,
      EventDecoder<?, I> modality, int warmUpBatch) {
    ModelFolder folder = ModelFolder.open(Path.of(settings.getModelsDir()), name, version);
    if (!folder.modality().equals(modality.name())) {
      throw new ModelFolderException(folder.dir() + "/serving.properties says modality="
          + folder.modality() + " but the pipeline is " + modality.name()
          + "; point the pipeline at a " + modality.name() + " model");
    }
    Device device = DeviceChoice.resolve(deviceSetting, engine());
    long started = System.nanoTime();
    Criteria<I, Scores> criteria = Criteria.builder()
        .setTypes(modality.inputType(), Scores.class)
        .optModelPath(folder.dir())
        .optEngine("TensorFlow")
        .optDevice(device)
        .optOption("Tags", folder.serving().tags())
        .optOption("SignatureDefKey", folder.serving().signature())
        .optArguments(new java.util.HashMap<>(folder.serving().toMap()))
        .optTranslatorFactory(new KinferTranslatorFactory())
        .build();
    ZooModel<I, Scores> model;
    try {
      model = criteria.loadModel();
    } catch (ModelNotFoundException | MalformedModelException | IOException
        | RuntimeException e) {
      throw new ModelFolderException("model folder " + folder.dir() + " cannot be loaded by"
          + " TensorFlow: " + e.getMessage());
    }
    synchronized (this) {
      loaded.add(model);
    }
    checkSignature(folder, model);
    ModelInfo info = new ModelInfo(name, folder.version(), "TensorFlow " + engine().getVersion(),
        device.toString());
    ServedModel<I> served = new ServedModel<>(folder, model, device, info,
        modality.warmUpInput());
    long warmUpStarted = System.nanoTime();
    warmUp(served, warmUpBatch);
    long done = System.nanoTime();
    LOG.info("Model {}/{} ({}) loaded from {} on {} in {} ms (warm-up {} ms)", name,
        folder.version(), modality.name(), folder.dir(), device, (done - started) / 1_000_000,
        (done - warmUpStarted) / 1_000_000);
    return served;
  }

  private static void checkSignature(ModelFolder folder, ZooModel<?, ?> model) {
    Map<String, ModelSignature> signatures = ModelSignature.of(model);
    if (!signatures.isEmpty()) {
      String key = folder.serving().signature();
      ModelSignature signature = signatures.get(key);
      if (signature == null) {
        throw new ModelFolderException(folder.dir() + "/serving.properties says"
            + " option.SignatureDefKey=" + key + " but the SavedModel's signatures are "
            + signatures.keySet() + "; ./kinfer models inspect " + folder.dir() + " shows them");
      }
      List<String> problems = SignatureCheck.problems(folder.serving(), signature,
          folder.labels().size());
      if (!problems.isEmpty()) {
        throw new ModelFolderException(folder.dir() + "/serving.properties does not fit the"
            + " SavedModel's signature '" + key + "': " + String.join("; ", problems)
            + " (./kinfer models inspect " + folder.dir() + " shows the signature)");
      }
      return;
    }
    List<String> inputs = names(model.describeInput());
    List<String> outputs = names(model.describeOutput());
    // DJL silently takes the first signature when the configured one is missing: check here.
    String input = folder.serving().inputName();
    if (!inputs.contains(input)) {
      throw new ModelFolderException(folder.dir() + "/serving.properties says inputName=" + input
          + " but the SavedModel's signature has inputs " + inputs + "; fix inputName or"
          + " option.SignatureDefKey");
    }
    for (String output : folder.serving().outputNames()) {
      if (!outputs.contains(output)) {
        throw new ModelFolderException(folder.dir() + "/serving.properties names output "
            + output + " (outputName or embeddingName) but the SavedModel's signature has"
            + " outputs " + outputs);
      }
    }
  }

  private static List<String> names(PairList<String, Shape> described) {
    return described == null ? List.of() : described.keys();
  }

  private static <I> void warmUp(ServedModel<I> served, int batch) {
    ModelFolder folder = served.folder();
    try (Predictor<I, Scores> predictor = served.model().newPredictor()) {
      Scores scores = predictor.predict(served.warmUpInput());
      if (batch > 1) {
        // Prepared once, as the pipeline prepares its inputs before the call: preparing it for
        // each copy (the audio model's log-mel frames, in code the JIT has not compiled yet)
        // took most of the audio model's load at start.
        predictor.batchPredict(java.util.Collections.nCopies(batch,
            served.prepare(served.warmUpInput())));
      }
      if (scores.probabilities().length != folder.labels().size()) {
        throw new ModelFolderException("model folder " + folder.dir() + " outputs "
            + scores.probabilities().length + " scores but synset.txt has "
            + folder.labels().size() + " labels; they must match");
      }
    } catch (TranslateException e) {
      throw new ModelFolderException("model folder " + folder.dir() + " fails on a warm-up input: "
          + e.getMessage() + "; check inputName and the input shape in serving.properties");
    }
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    for (ZooModel<?, ?> model : loaded) {
      model.close();
    }
    loaded.clear();
  }
}
