package io.kinfer.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.SignatureModels;
import io.kinfer.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kinfer models inspect}: on each real-signature model without a serving.properties it
 * prints the signature and proposes a configuration that, written as it is, fits the
 * signature; on a shipped model it says the folder fits; on a wrong one it names the key.
 */
class ModelInspectionTest {

  @TempDir static Path root;

  @BeforeAll
  static void tensorFlow() {
    TestModels.registry().engine();
  }

  @Test
  void everyRealSignatureGetsAProposalThatFitsIt() throws Exception {
    Map<String, Integer> words = new LinkedHashMap<>(Map.of("dog", 1929));
    List<Path> models = List.of(SignatureModels.mobileNetV2(root, null),
        SignatureModels.channelsFirst(root, "pytorch", null),
        SignatureModels.bertClassifier(root, null, 1929),
        SignatureModels.multiLabel(root, null, words), SignatureModels.yamnet(root, null));
    for (Path dir : models) {
      ModelInspection first = ModelInspection.of(dir.getParent());
      String printed = print(first);
      System.out.println(printed);
      assertTrue(printed.contains("signature serving_default:"), printed);
      assertTrue(printed.contains("A proposal"), printed);
      Files.writeString(dir.resolve("serving.properties"), first.proposal());
      ModelInspection second = ModelInspection.of(dir);
      assertEquals(List.of(), second.problems(), dir + ":\n" + first.proposal());
      assertTrue(print(second).contains("fits the signature"));
    }
    String bert = Files.readString(models.get(2).resolve("serving.properties"));
    assertTrue(bert.contains("attentionMaskName=attention_mask")
        && bert.contains("tokenTypeIdsName=token_type_ids") && bert.contains("dtype=int32")
        && bert.contains("maxLength=128") && bert.contains("activation=softmax"), bert);
    String yamnet = Files.readString(models.get(4).resolve("serving.properties"));
    assertTrue(yamnet.contains("features=waveform") && yamnet.contains("outputName=output_0"),
        yamnet);
    String pytorch = Files.readString(models.get(1).resolve("serving.properties"));
    assertTrue(pytorch.contains("layout=nchw") && pytorch.contains("width=32"), pytorch);
  }

  @Test
  void aShippedModelFitsAndAWrongKeyIsNamed() throws Exception {
    ModelInspection shipped = ModelInspection.of(TestModels.MODELS_DIR.resolve("text-transformer"));
    assertEquals(List.of(), shipped.problems());
    Path dir = SignatureModels.bertClassifier(root.resolve("wrong"), """
        modality=text
        inputName=input_ids
        attentionMaskName=attention_mask
        tokenTypeIdsName=token_type_ids
        maxLength=64
        outputName=logits
        """, 1929);
    ModelInspection wrong = ModelInspection.of(dir);
    String printed = print(wrong);
    assertTrue(printed.contains("set dtype=int32") && printed.contains("set maxLength=128"),
        printed);
    assertEquals(1, wrong.print(new PrintStream(new ByteArrayOutputStream())));
  }

  private static String print(ModelInspection inspection) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    inspection.print(new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }
}
