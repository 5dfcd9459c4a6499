package io.kinfer;

import io.kinfer.service.KinferService;
import io.micronaut.context.ApplicationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The whole service for an integration test: its own context, an in-JVM broker and management
 * port on free ports, the shipped models, a state folder of the test's, every pipeline RUNNING.
 */
public final class TestService implements AutoCloseable {

  private final ApplicationContext context;
  private final KinferService service;

  private TestService(ApplicationContext context, KinferService service) {
    this.context = context;
    this.service = service;
  }

  /** @param settings more or other settings than the defaults above */
  public static TestService start(Path stateDir, Map<String, Object> settings)
      throws InterruptedException {
    Map<String, Object> props = new HashMap<>();
    props.put("kinfer.embedded.port", 0);
    props.put("micronaut.server.port", -1);
    props.put("kinfer.models-dir", TestModels.MODELS_DIR.toString());
    props.put("kinfer.state-dir", stateDir.toString());
    props.putAll(settings);
    ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false)
        .properties(props).start();
    KinferService service = null;
    try {
      service = KinferService.start(context);
      service.awaitRunning(Duration.ofMinutes(2));
      return new TestService(context, service);
    } catch (RuntimeException | InterruptedException e) {
      if (service != null) {
        service.close();
      }
      context.close();
      throw e;
    }
  }

  public KinferService service() {
    return service;
  }

  @Override
  public void close() {
    service.close();
    context.close();
  }
}
