package io.kinfer.inference;

import io.kinfer.inference.ModelSignature.Tensor;
import io.kinfer.models.ServingProperties;
import io.kinfer.models.ServingProperties.ImageInput;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a model folder's {@code serving.properties} against its SavedModel's signature before
 * any event flows: every input the signature takes is fed, with the dtype, rank and sizes the
 * configuration produces, and the scores output has one value per label. Each problem names
 * the key to change.
 */
public final class SignatureCheck {

  private SignatureCheck() {}

  /** What does not fit, one sentence each; empty when everything does. */
  public static List<String> problems(ServingProperties serving, ModelSignature signature,
      int labels) {
    List<String> problems = new ArrayList<>();
    Set<String> fed = new LinkedHashSet<>(List.of(serving.inputName()));
    if (serving.modality().equals("text")) {
      add(fed, serving.text().attentionMaskName());
      add(fed, serving.text().tokenTypeIdsName());
    }
    for (String name : fed) {
      if (signature.input(name) == null) {
        problems.add(keyOf(serving, name) + "=" + name + " names no input of the signature;"
            + " its inputs are " + signature.inputs());
      }
    }
    for (Tensor input : signature.inputs()) {
      if (!fed.contains(input.name()) && problems.isEmpty()) {
        problems.add("the signature also takes " + input + ", which nothing feeds: "
            + suggestion(serving, input));
      }
    }
    Tensor input = signature.input(serving.inputName());
    if (input != null) {
      switch (serving.modality()) {
        case "image" -> image(serving.image(), input, problems);
        case "audio" -> audio(serving, input, problems);
        default -> {
          for (String name : fed) {
            Tensor t = signature.input(name);
            if (t != null) {
              text(serving, t, problems);
            }
          }
        }
      }
    }
    for (String name : serving.outputNames()) {
      if (signature.output(name) == null) {
        problems.add((name.equals(serving.outputName()) ? "outputName" : "embeddingName") + "="
            + name + " names no output of the signature; its outputs are "
            + signature.outputs());
      }
    }
    Tensor scores = signature.output(serving.outputName());
    if (scores != null) {
      if (!scores.dtype().startsWith("float")) {
        problems.add("output " + scores + " is not floating point: outputName must name the"
            + " scores (probabilities or logits)");
      }
      long last = scores.rank() > 0 ? scores.dim(scores.rank() - 1) : -1;
      if (last > 0 && last != labels) {
        problems.add("output " + scores + " has " + last + " scores but "
            + serving.synsetFileName() + " has " + labels + " labels (synsetFileName): one"
            + " label per line, in output order");
      }
    }
    return problems;
  }

  private static void add(Set<String> fed, String name) {
    if (name != null) {
      fed.add(name);
    }
  }

  private static String keyOf(ServingProperties serving, String name) {
    if (name.equals(serving.text().attentionMaskName())
        && serving.modality().equals("text")) {
      return "attentionMaskName";
    }
    if (name.equals(serving.text().tokenTypeIdsName()) && serving.modality().equals("text")) {
      return "tokenTypeIdsName";
    }
    return "inputName";
  }

  private static String suggestion(ServingProperties serving, Tensor input) {
    String name = input.name().toLowerCase();
    if (serving.modality().equals("text") && name.contains("mask")) {
      return "set attentionMaskName=" + input.name();
    }
    if (serving.modality().equals("text") && name.contains("type")) {
      return "set tokenTypeIdsName=" + input.name();
    }
    return "Kinfer feeds one " + serving.modality() + " input (inputName)"
        + (serving.modality().equals("text") ? " plus attentionMaskName and tokenTypeIdsName"
        : "") + "; serve a signature (option.SignatureDefKey) that takes only those";
  }

  private static void image(ImageInput image, Tensor input, List<String> problems) {
    if (!input.dtype().equals(image.dtype())) {
      problems.add("input " + input + " takes " + input.dtype() + " but dtype="
          + image.dtype() + "; set dtype=" + input.dtype()
          + (input.dtype().startsWith("float") || input.dtype().startsWith("int")
          || input.dtype().equals("uint8") ? "" : " (Kinfer feeds float32, uint8 or int32)"));
    }
    if (input.rank() >= 0 && input.rank() != 4) {
      problems.add("input " + input + " has rank " + input.rank() + "; an image model's input"
          + " is [batch, height, width, channels] (layout=nhwc) or [batch, channels, height,"
          + " width] (layout=nchw)");
      return;
    }
    boolean nchw = image.layout().equals("nchw");
    long c = input.dim(nchw ? 1 : 3);
    long h = input.dim(nchw ? 2 : 1);
    long w = input.dim(nchw ? 3 : 2);
    long otherC = input.dim(nchw ? 3 : 1);
    if (c > 0 && c != 1 && c != 3 && (otherC == 1 || otherC == 3)) {
      problems.add("input " + input + " looks " + (nchw ? "channels-last" : "channels-first")
          + " but layout=" + image.layout() + "; set layout=" + (nchw ? "nhwc" : "nchw"));
      return;
    }
    if (c > 0 && c != image.channelCount()) {
      problems.add("input " + input + " takes " + c + " channel(s) but channels="
          + image.channels() + " gives " + image.channelCount() + "; set channels="
          + (c == 1 ? "grey" : "rgb (or bgr)"));
    }
    if (h > 0 && h != image.height()) {
      problems.add("input " + input + " is " + h + " pixels high but height=" + image.height()
          + "; set height=" + h);
    }
    if (w > 0 && w != image.width()) {
      problems.add("input " + input + " is " + w + " pixels wide but width=" + image.width()
          + "; set width=" + w);
    }
  }

  private static void audio(ServingProperties serving, Tensor input, List<String> problems) {
    if (!input.dtype().equals("float32")) {
      problems.add("input " + input + " takes " + input.dtype() + "; Kinfer feeds audio as"
          + " float32");
    }
    if (serving.audio().waveform()) {
      if (input.rank() >= 0 && input.rank() != 1) {
        problems.add("input " + input + " has rank " + input.rank() + " but features=waveform"
            + " feeds one clip as [samples]; use features=raw for [batch, samples]");
      }
      return;
    }
    if (input.rank() == 1) {
      problems.add("input " + input + " takes one clip of any length; set features=waveform");
      return;
    }
    if (serving.audio().logMel()) {
      if (input.rank() >= 0 && input.rank() != 3) {
        problems.add("input " + input + " has rank " + input.rank() + " but features=logmel"
            + " feeds [batch, 98, 40]; remove features=logmel to feed samples");
      }
      return;
    }
    if (input.rank() >= 0 && input.rank() != 2) {
      problems.add("input " + input + " has rank " + input.rank() + "; Kinfer feeds [batch,"
          + " samples] (or features=logmel: [batch, 98, 40])");
      return;
    }
    long samples = input.dim(1);
    if (samples > 0 && samples != serving.audio().samples()) {
      problems.add("input " + input + " takes " + samples + " samples but samples="
          + serving.audio().samples() + "; set samples=" + samples);
    }
  }

  private static void text(ServingProperties serving, Tensor input, List<String> problems) {
    String dtype = serving.text().dtype();
    if (!input.dtype().equals(dtype)) {
      problems.add("input " + input + " takes " + input.dtype() + " but dtype=" + dtype
          + (input.dtype().equals("int32") || input.dtype().equals("int64")
          ? "; set dtype=" + input.dtype() : "; Kinfer feeds token ids as int64 or int32"));
    }
    if (input.rank() >= 0 && input.rank() != 2) {
      problems.add("input " + input + " has rank " + input.rank() + "; Kinfer feeds [batch,"
          + " maxLength] token ids");
      return;
    }
    long length = input.dim(1);
    if (length > 0 && length != serving.text().maxLength()) {
      problems.add("input " + input + " takes " + length + " tokens but maxLength="
          + serving.text().maxLength() + "; set maxLength=" + length);
    }
  }
}
