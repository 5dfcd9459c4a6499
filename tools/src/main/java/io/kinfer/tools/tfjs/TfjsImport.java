package io.kinfer.tools.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Turns a TensorFlow.js graph model ({@code model.json}: a GraphDef as JSON with its weights
 * left out, plus binary weight shards) into a SavedModel folder Kinfer serves: the weights go
 * back into their Const nodes (quantized ones dequantized to float32, as TensorFlow.js does),
 * TF-Java imports the GraphDef and exports it with a {@code serving_default} signature whose
 * inputs are the graph's placeholders and whose outputs are its sinks (or the model's own
 * signature, when it has one). TensorFlow must be loaded first.
 */
public final class TfjsImport {

  private TfjsImport() {}

  /** What was written: the folder, and the signature's inputs and outputs by name. */
  public record Imported(Path dir, List<String> inputs, List<String> outputs) {}

  public static Imported toSavedModel(Path modelJson, Path dir) throws IOException {
    JsonNode model = new ObjectMapper().readTree(modelJson.toFile());
    String format = model.path("format").asText("");
    if (!format.equals("graph-model")) {
      throw new IllegalArgumentException(modelJson + " is a TensorFlow.js " + (format.isEmpty()
          ? "model of unknown format" : "'" + format + "'") + "; only graph models"
          + " (tf.loadGraphModel, format graph-model) can be imported");
    }
    GraphDef.Builder graph = GraphDef.newBuilder();
    JsonFormat.parser().ignoringUnknownFields()
        .merge(model.path("modelTopology").toString(), graph);
    Map<String, Integer> nodes = new HashMap<>();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      nodes.put(graph.getNode(i).getName(), i);
    }
    for (JsonNode group : model.path("weightsManifest")) {
      ByteBuffer data = ByteBuffer.wrap(shards(modelJson.getParent(), group.path("paths")))
          .order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode weight : group.path("weights")) {
        Integer at = nodes.get(weight.path("name").asText());
        TensorProto tensor = tensor(weight, data);
        if (at == null) {
          continue; // a weight the graph does not use
        }
        NodeDef.Builder node = graph.getNodeBuilder(at);
        node.putAttr("value", AttrValue.newBuilder().setTensor(tensor).build());
        node.putAttr("dtype", AttrValue.newBuilder().setType(tensor.getDtype()).build());
      }
    }
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    endpoints(model, graph, inputs, outputs);
    if (Files.exists(dir)) {
      throw new IllegalArgumentException(dir + " exists already; import into a new folder");
    }
    Files.createDirectories(dir.getParent());
    try (Graph imported = new Graph()) {
      for (NodeDef.Builder node : graph.getNodeBuilderList()) {
        node.clearDevice(); // "/device:CPU:0" pins nothing Kinfer wants pinned
        restoreFusedArgTypes(node);
      }
      imported.importGraphDef(graph.build());
      try (Session session = new Session(imported)) {
        Signature.Builder signature = Signature.builder().key("serving_default")
            .methodName("tensorflow/serving/predict");
        for (String name : inputs) {
          signature.input(key(name), imported.operation(name).output(0));
        }
        for (String name : outputs) {
          signature.output(key(name), imported.operation(name).output(0));
        }
        SavedModelBundle.exporter(dir.toString()).withSession(session)
            .withSignature(signature.build()).export();
      }
    }
    return new Imported(dir, inputs.stream().map(TfjsImport::key).toList(),
        outputs.stream().map(TfjsImport::key).toList());
  }

  /**
   * A MODEL.md for the imported folder: where the model came from and, from the npm package
   * that holds it (the nearest package.json up from model.json), its name, version, licence and
   * licence text.
   */
  public static String modelCard(Path modelJson, Imported imported) throws IOException {
    StringBuilder card = new StringBuilder("# " + imported.dir().getParent().getFileName()
        + "\n\nImported from the TensorFlow.js graph model `" + modelJson.getFileName()
        + "` by `./kinfer models import-tfjs`: the GraphDef and weights as they were, exported"
        + " as a SavedModel (signature `serving_default`, inputs " + imported.inputs()
        + ", outputs " + imported.outputs() + ").\n");
    for (Path dir = modelJson.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
      Path packageJson = dir.resolve("package.json");
      if (Files.isRegularFile(packageJson)) {
        JsonNode pkg = new ObjectMapper().readTree(packageJson.toFile());
        card.append("\n## Source and licence\n\nnpm package `").append(pkg.path("name").asText())
            .append('@').append(pkg.path("version").asText()).append("`, licence ")
            .append(pkg.path("license").asText("not stated")).append(", ")
            .append(pkg.path("homepage").asText("")).append("\n");
        for (String name : List.of("LICENSE", "LICENSE.md", "LICENSE.txt")) {
          if (Files.isRegularFile(dir.resolve(name))) {
            card.append("\n```\n").append(Files.readString(dir.resolve(name)).strip())
                .append("\n```\n");
            break;
          }
        }
        return card.toString();
      }
    }
    return card.append("\nNo package.json was found next to it: add the model's source and"
        + " licence here.\n").toString();
  }

  /** A signature key from a node name: its last path segment. */
  static String key(String node) {
    return node.substring(node.lastIndexOf('/') + 1);
  }

  private static byte[] shards(Path folder, JsonNode paths) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (JsonNode path : paths) {
      Path shard = folder.resolve(path.asText());
      if (!Files.isRegularFile(shard)) {
        throw new IllegalArgumentException("weight shard " + shard + " is missing; keep the"
            + " .bin files next to model.json");
      }
      all.write(Files.readAllBytes(shard));
    }
    return all.toByteArray();
  }

  /** The next weight in {@code data} as a TensorProto; quantized values as float32. */
  private static TensorProto tensor(JsonNode weight, ByteBuffer data) {
    long count = 1;
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (JsonNode d : weight.path("shape")) {
      count *= d.asLong();
      shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(d.asLong()));
    }
    String dtype = weight.path("dtype").asText();
    JsonNode quantization = weight.path("quantization");
    ByteBuffer out = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
    DataType type;
    if (!quantization.isMissingNode()) {
      String stored = quantization.path("dtype").asText();
      float scale = (float) quantization.path("scale").asDouble(1);
      float min = (float) quantization.path("min").asDouble(0);
      for (long i = 0; i < count; i++) {
        float v = switch (stored) {
          case "uint8" -> (data.get() & 0xff) * scale + min;
          case "uint16" -> (data.getShort() & 0xffff) * scale + min;
          case "float16" -> halfToFloat(data.getShort());
          default -> throw new IllegalArgumentException("weight " + weight.path("name")
              + " is quantized as " + stored + ", which Kinfer cannot read");
        };
        out.putFloat(v);
      }
      type = dtype.equals("int32") ? DataType.DT_INT32 : DataType.DT_FLOAT;
      if (type == DataType.DT_INT32) {
        out.rewind();
        ByteBuffer ints = ByteBuffer.allocate((int) count * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
          ints.putInt(Math.round(out.getFloat()));
        }
        out = ints;
      }
    } else {
      type = switch (dtype) {
        case "float32" -> DataType.DT_FLOAT;
        case "int32" -> DataType.DT_INT32;
        default -> throw new IllegalArgumentException("weight " + weight.path("name")
            + " has dtype " + dtype + ", which Kinfer cannot import");
      };
      byte[] raw = new byte[(int) count * 4];
      data.get(raw);
      out.put(raw);
    }
    return TensorProto.newBuilder().setDtype(type).setTensorShape(shape)
        .setTensorContent(ByteString.copyFrom(out.array())).build();
  }

  /**
   * TensorFlow's fused kernels ({@code _FusedConv2D}, {@code _FusedMatMul}) require the types
   * of their extra arguments ({@code TArgs}), which the TensorFlow.js converter drops: they are
   * {@code num_args} times the node's {@code T}.
   */
  private static void restoreFusedArgTypes(NodeDef.Builder node) {
    if (!node.getOp().startsWith("_Fused") || node.containsAttr("TArgs")
        || !node.containsAttr("num_args") || !node.containsAttr("T")) {
      return;
    }
    AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
    for (long i = 0; i < node.getAttrOrThrow("num_args").getI(); i++) {
      types.addType(node.getAttrOrThrow("T").getType());
    }
    node.putAttr("TArgs", AttrValue.newBuilder().setList(types).build());
  }

  /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits >>> 15) << 31;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0) {
      float v = mantissa / 1024f * (float) Math.pow(2, -14);
      return sign != 0 ? -v : v;
    }
    if (exponent == 31) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
  }

  /** Placeholders in; the model's signature outputs, else the graph's sinks, out. */
  private static void endpoints(JsonNode model, GraphDef.Builder graph, List<String> inputs,
      List<String> outputs) {
    Set<String> consumed = new HashSet<>();
    for (NodeDef node : graph.getNodeList()) {
      if (node.getOp().equals("Placeholder")) {
        inputs.add(node.getName());
      }
      for (String input : node.getInputList()) {
        consumed.add(input.replaceFirst("^\\^", "").replaceFirst(":\\d+$", ""));
      }
    }
    Map<String, String> declared = new LinkedHashMap<>();
    model.path("signature").path("outputs").fieldNames().forEachRemaining(name ->
        declared.put(name.replaceFirst(":\\d+$", ""), name));
    if (!declared.isEmpty()) {
      outputs.addAll(declared.keySet());
      return;
    }
    for (NodeDef node : graph.getNodeList()) {
      if (!consumed.contains(node.getName()) && !node.getOp().equals("Const")
          && !node.getOp().equals("NoOp") && !node.getOp().equals("Placeholder")) {
        outputs.add(node.getName());
      }
    }
    if (inputs.isEmpty() || outputs.isEmpty()) {
      throw new IllegalArgumentException("the graph has " + inputs.size() + " placeholder(s) and "
          + outputs.size() + " output(s); Kinfer needs at least one of each");
    }
  }
}
