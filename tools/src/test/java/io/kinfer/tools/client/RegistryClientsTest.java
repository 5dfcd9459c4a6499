package io.kinfer.tools.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.ApicurioRegistry;
import io.kinfer.TestModels;
import io.kinfer.TestService;
import io.kinfer.config.KinferSettings;
import io.kinfer.config.RegistrySettings;
import io.kinfer.wire.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./kinfer produce} and {@code consume} follow {@code kinfer.wire-format=registry} as the
 * service does: events go out framed with their registered schema's id, and framed results are
 * printed decoded, against a real Apicurio Registry and a service in the same format.
 */
@Timeout(600)
class RegistryClientsTest {

  @TempDir Path tmp;

  @Test
  void produceFramesEventsAndConsumeReadsFramedResults() throws Exception {
    try (ApicurioRegistry registry = ApicurioRegistry.start(Path.of("target"));
        TestService running = TestService.start(tmp.resolve("state"), Map.of(
            "kinfer.wire-format", "registry", "kinfer.registry.url", registry.coreApi(),
            "kinfer.pipelines.audio.enabled", false))) {
      String bootstrap = running.service().bootstrapServers();
      KinferSettings settings = new KinferSettings();
      settings.setWireFormat("registry");
      RegistrySettings registrySettings = new RegistrySettings();
      registrySettings.setUrl(registry.coreApi());
      WireFormat wire = WireFormat.of(settings, registrySettings);

      Path lines = tmp.resolve("lines.txt");
      Files.writeString(lines, "North American sucker with reddish fins\n");
      Path picture = TestModels.MODELS_DIR.resolve("samples/image/fashion-000.png");
      List<String> ids = new ArrayList<>();
      ids.addAll(produce(List.of("text", lines.toString()), bootstrap, wire));
      ids.addAll(produce(List.of("image", picture.toString()), bootstrap, wire));
      assertEquals(2, ids.size());

      var consumed = new ByteArrayOutputStream();
      for (String topic : List.of("text.enriched", "image.enriched")) {
        ClientAccess.consume(List.of(topic, "--from-beginning", "--timeout", "120"), bootstrap,
            wire, new PrintStream(consumed, true), ids.subList(topic.startsWith("text") ? 0 : 1,
                topic.startsWith("text") ? 1 : 2));
      }
      String json = consumed.toString(StandardCharsets.UTF_8);
      assertTrue(json.contains("\"eventId\":\"" + ids.get(0) + "\"")
          && json.contains("\"topLabel\":\"noun.animal\""), json);
      assertTrue(json.contains("\"eventId\":\"" + ids.get(1) + "\""), json);
      assertTrue(running.service().failures().isEmpty(), running.service().failures().toString());
    }
  }

  private static List<String> produce(List<String> args, String bootstrap, WireFormat wire)
      throws Exception {
    var produced = new ByteArrayOutputStream();
    assertEquals(0, ClientAccess.produce(args, bootstrap, wire, new PrintStream(produced, true)));
    return produced.toString(StandardCharsets.UTF_8).lines().map(l -> l.split("\t")[0]).toList();
  }
}
