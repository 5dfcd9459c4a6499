package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.TestModels;
import io.kinfer.TestService;
import io.kinfer.broker.EmbeddedKafkaBroker;
import io.micronaut.context.ApplicationContext;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start: the models load while the embedded broker starts, a model that fails still fails
 * the start with its own message and stops the broker, and the service says where the start's
 * time went. (How fast it starts is measured by running it, not here: README, "Start-up".)
 */
@Timeout(180)
class StartupTest {

  @Test
  void aStartSaysWhereItsTimeWentPhaseByPhase(@TempDir Path state) throws Exception {
    try (TestService service = TestService.start(state, Map.of())) {
      StartupTimeline t = service.service().startup().orElseThrow();
      assertTrue(t.contextMs() > 0 && t.brokerMs() > t.contextMs()
          && t.modelsMs() > t.contextMs(), "the broker and the models follow the context: " + t);
      assertTrue(t.topicsMs() >= t.brokerMs(), "the topics follow the broker: " + t);
      assertTrue(t.streamsMs() >= Math.max(t.topicsMs(), t.modelsMs()),
          "the streams start once the topics and the models are ready: " + t);
      assertTrue(t.runningMs() >= t.streamsMs(), t.toString());
      assertTrue(t.describe().matches("Every pipeline RUNNING \\d+\\.\\d s after the JVM started:"
          + " JVM and configuration \\d+\\.\\d s, embedded broker \\d+\\.\\d s and its topics"
          + " \\d+\\.\\d s with the models loading alongside \\(\\d+\\.\\d s\\), streams"
          + " \\d+\\.\\d s, first assignment \\d+\\.\\d s"), t.describe());
    }
  }

  @Test
  void aModelThatFailsWhileTheBrokerStartsFailsTheStartAndStopsTheBroker(@TempDir Path state)
      throws Exception {
    int port = EmbeddedKafkaBroker.freePort();
    ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
        .properties(Map.of("kinfer.embedded.port", port, "micronaut.server.port", -1,
            "kinfer.models-dir", TestModels.MODELS_DIR.toString(),
            "kinfer.state-dir", state.toString(),
            "kinfer.pipelines.audio.model", "no-such-model")).start();
    try (context) {
      RuntimeException error = assertThrows(RuntimeException.class,
          () -> KinferService.start(context));
      assertTrue(error.getMessage().contains("no-such-model"),
          "the model's own message: " + error.getMessage());
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      assertEquals(port, socket.getLocalPort(), "the broker let its port go");
    }
  }
}
