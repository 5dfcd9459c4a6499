package io.kinfer.tools;

import io.kinfer.service.ServiceMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kinfer run}: the service, as its own jar runs it. */
@Command(header = "Run the service: the embedded broker unless KAFKA_BOOTSTRAP_SERVERS is set.",
    name = "run", mixinStandardHelpOptions = true,
    description = {"Start the pipelines; the embedded Kafka broker unless",
        "KAFKA_BOOTSTRAP_SERVERS is set. Ctrl-C stops."})
final class RunCommand implements Callable<Integer> {

  @Override
  public Integer call() throws InterruptedException {
    return ServiceMain.serve();
  }
}
