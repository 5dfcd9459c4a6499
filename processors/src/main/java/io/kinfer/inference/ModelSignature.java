package io.kinfer.inference;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.tensorflow.engine.TfSymbolBlock;
import io.kinfer.models.ModelFolder.ModelFolderException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * A SavedModel signature as TensorFlow records it: its inputs and outputs by name, each with
 * its dtype and shape ({@code -1} for a dimension of any size; a null shape for unknown rank).
 */
public record ModelSignature(String key, List<Tensor> inputs, List<Tensor> outputs) {

  /** One input or output: {@code input_ids int32 [-1, 128]}. */
  public record Tensor(String name, String dtype, List<Long> shape) {

    public int rank() {
      return shape == null ? -1 : shape.size();
    }

    /** The size of dimension {@code i}, or -1 when it is free or unknown. */
    public long dim(int i) {
      return shape == null || i >= shape.size() ? -1 : shape.get(i);
    }

    @Override
    public String toString() {
      return name + " " + dtype + " " + (shape == null ? "[unknown rank]" : shape);
    }
  }

  public Tensor input(String name) {
    return inputs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  public Tensor output(String name) {
    return outputs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
  }

  /** Every signature of a loaded model, by key; empty when the engine does not say. */
  public static Map<String, ModelSignature> of(ZooModel<?, ?> model) {
    if (model.getBlock() instanceof TfSymbolBlock block) {
      return of(block.getSavedModelBundle().getMetaGraphDef());
    }
    return Map.of();
  }

  /** Every signature of the SavedModel in {@code dir} under the tag set {@code tags}. */
  public static Map<String, ModelSignature> read(Path dir, String tags) {
    try (Model model = Model.newInstance(dir.getFileName().toString(), "TensorFlow")) {
      model.load(dir, null, Map.of("Tags", tags));
      if (model.getBlock() instanceof TfSymbolBlock block) {
        return of(block.getSavedModelBundle().getMetaGraphDef());
      }
      return Map.of();
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new ModelFolderException(dir + " cannot be read as a TensorFlow SavedModel with"
          + " tags '" + tags + "': " + e.getMessage());
    }
  }

  static Map<String, ModelSignature> of(MetaGraphDef graph) {
    Map<String, ModelSignature> all = new TreeMap<>();
    graph.getSignatureDefMap().forEach((key, def) -> all.put(key, of(key, def)));
    return all;
  }

  private static ModelSignature of(String key, SignatureDef def) {
    return new ModelSignature(key, tensors(def.getInputsMap()), tensors(def.getOutputsMap()));
  }

  private static List<Tensor> tensors(Map<String, TensorInfo> infos) {
    List<Tensor> tensors = new ArrayList<>();
    new TreeMap<>(infos).forEach((name, info) -> {
      List<Long> shape = null;
      if (info.hasTensorShape() && !info.getTensorShape().getUnknownRank()) {
        shape = info.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList();
      }
      tensors.add(new Tensor(name, dtype(info.getDtype()), shape));
    });
    return tensors;
  }

  private static final Map<String, String> DTYPES = new LinkedHashMap<>(Map.of(
      "DT_FLOAT", "float32", "DT_DOUBLE", "float64", "DT_HALF", "float16", "DT_INT32", "int32",
      "DT_INT64", "int64", "DT_UINT8", "uint8", "DT_INT8", "int8", "DT_STRING", "string",
      "DT_BOOL", "bool"));

  private static String dtype(org.tensorflow.proto.DataType type) {
    return DTYPES.getOrDefault(type.name(), type.name().toLowerCase().replace("dt_", ""));
  }
}
