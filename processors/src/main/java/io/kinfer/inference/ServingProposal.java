package io.kinfer.inference;

import io.kinfer.inference.ModelSignature.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@code serving.properties} proposed from a signature alone: the modality, input and output
 * names, sizes, dtypes and layout the signature states, and comments where only the user knows
 * (how pixels were scaled in training, whether the scores are logits, the labels).
 */
final class ServingProposal {

  private ServingProposal() {}

  static String of(Map<String, ModelSignature> signatures) {
    String key = signatures.containsKey("serving_default") ? "serving_default"
        : signatures.keySet().stream().findFirst().orElse(null);
    if (key == null) {
      return "# The SavedModel has no signature: export it with one (e.g. serving_default).\n";
    }
    ModelSignature signature = signatures.get(key);
    StringBuilder out = new StringBuilder("# Proposed by ./kinfer models inspect from signature '"
        + key + "'. Check every line marked CHECK.\nengine=TensorFlow\noption.Tags=serve\n"
        + "option.SignatureDefKey=" + key + "\n");
    List<Tensor> ints = signature.inputs().stream()
        .filter(t -> t.dtype().startsWith("int")).toList();
    Tensor first = signature.inputs().isEmpty() ? null : signature.inputs().get(0);
    if (first == null) {
      out.append("# CHECK: the signature takes no input\n");
    } else if (!ints.isEmpty() && ints.size() == signature.inputs().size()
        && ints.stream().allMatch(t -> t.rank() == 2)) {
      text(signature, out);
    } else if (first.rank() == 4) {
      image(first, out);
    } else {
      audio(first, out);
    }
    scores(signature, out);
    return out.toString();
  }

  /** A key, with the comment (when any) on the line above: properties have no inline ones. */
  private static void put(StringBuilder out, String key, Object value, String comment) {
    if (comment != null) {
      out.append("# ").append(comment).append('\n');
    }
    out.append(key).append('=').append(value).append('\n');
  }

  private static void image(Tensor input, StringBuilder out) {
    boolean nchw = (input.dim(1) == 1 || input.dim(1) == 3)
        && !(input.dim(3) == 1 || input.dim(3) == 3);
    long channels = input.dim(nchw ? 1 : 3);
    long height = input.dim(nchw ? 2 : 1);
    long width = input.dim(nchw ? 3 : 2);
    put(out, "modality", "image", null);
    put(out, "inputName", input.name(), null);
    put(out, "width", width > 0 ? width : 224,
        width > 0 ? null : "CHECK: the signature leaves the width free");
    put(out, "height", height > 0 ? height : 224,
        height > 0 ? null : "CHECK: the signature leaves the height free");
    put(out, "channels", channels == 1 ? "grey" : "rgb",
        channels == 1 ? null : "CHECK: rgb, or bgr for Caffe-style models");
    put(out, "layout", nchw ? "nchw" : "nhwc", null);
    if (input.dtype().equals("float32")) {
      put(out, "range", "0,1", "CHECK: how were pixels scaled in training? 0,1; -1,1 (Keras"
          + " MobileNet, Inception); 0,255 (Caffe-style, with mean)");
      out.append("# CHECK: per-channel normalisation after the range, e.g. torchvision's:\n"
          + "# mean=0.485,0.456,0.406\n# std=0.229,0.224,0.225\n");
    } else {
      put(out, "dtype", input.dtype(), "the raw 0-255 values");
    }
    put(out, "resize", "stretch", "or crop (keep the aspect ratio, cut the edges) or pad");
  }

  private static void text(ModelSignature signature, StringBuilder out) {
    Tensor ids = signature.inputs().get(0);
    List<String> rest = new ArrayList<>();
    for (Tensor t : signature.inputs()) {
      String name = t.name().toLowerCase(Locale.ROOT);
      if (name.contains("mask")) {
        rest.add("attentionMaskName=" + t.name());
      } else if (name.contains("type") || name.contains("segment")) {
        rest.add("tokenTypeIdsName=" + t.name());
      } else {
        ids = t;
      }
    }
    long length = ids.dim(1);
    put(out, "modality", "text", null);
    put(out, "inputName", ids.name(), null);
    rest.forEach(line -> out.append(line).append('\n'));
    put(out, "dtype", ids.dtype(), null);
    put(out, "maxLength", length > 0 ? length : 128,
        length > 0 ? null : "CHECK: the signature leaves the length free");
    put(out, "tokenizer", "tokenizer.json",
        "CHECK: the model's own Hugging Face tokenizer file, next to saved_model.pb");
    put(out, "truncation", "right", "or left: keep the end of long texts");
  }

  private static void audio(Tensor input, StringBuilder out) {
    put(out, "modality", "audio", null);
    put(out, "inputName", input.name(), null);
    if (input.rank() == 1) {
      put(out, "features", "waveform", "one clip of any length per call, scored frame by frame");
      put(out, "sampleRate", 16000, "CHECK: the rate the model was trained at");
      put(out, "pooling", "mean", "or max: how the frames' scores become one per label");
      put(out, "segments", "false", "true: keep each frame's best label in the result");
      put(out, "frameHop", "0.48", "CHECK: seconds between frames (YAMNet: 0.48)");
    } else if (input.rank() == 3 && input.dim(1) == 98 && input.dim(2) == 40) {
      put(out, "features", "logmel", "Kinfer's 98x40 log-mel frames of a 1 s clip");
      put(out, "sampleRate", 16000, null);
    } else {
      long samples = input.dim(1);
      put(out, "sampleRate", 16000, "CHECK: the rate the model was trained at");
      put(out, "samples", samples > 0 ? samples : 16000,
          samples > 0 ? null : "CHECK: Kinfer feeds fixed-length clips");
      if (input.rank() != 2) {
        out.append("# CHECK: input ").append(input).append(" is not [batch, samples]\n");
      }
    }
  }

  private static void scores(ModelSignature signature, StringBuilder out) {
    List<Tensor> floats = signature.outputs().stream()
        .filter(t -> t.dtype().startsWith("float")).toList();
    Tensor scores = floats.stream().filter(t -> t.name().toLowerCase(Locale.ROOT)
            .matches(".*(prob|pred|logit|score|output_0|dense).*")).findFirst()
        .orElse(floats.isEmpty() ? null : floats.get(0));
    if (scores == null) {
      out.append("# CHECK: no floating-point output to read scores from\n");
      return;
    }
    String name = scores.name().toLowerCase(Locale.ROOT);
    long labels = scores.rank() > 0 ? scores.dim(scores.rank() - 1) : -1;
    put(out, "outputName", scores.name(), null);
    for (Tensor other : floats) {
      if (other != scores) {
        out.append("# CHECK: copy this output into results as the embedding?\n# embeddingName=")
            .append(other.name()).append('\n');
      }
    }
    put(out, "activation", name.contains("logit") ? "softmax" : "none",
        "CHECK: none (probabilities), softmax (logits), sigmoid (multi-label, with threshold)");
    put(out, "synsetFileName", "synset.txt", "CHECK: write " + (labels > 0 ? labels + " labels"
        : "one label per score") + ", one per line, in output order");
  }
}
