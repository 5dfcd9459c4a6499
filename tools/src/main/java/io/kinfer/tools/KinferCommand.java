package io.kinfer.tools;

import io.kinfer.tools.client.ConsumeCommand;
import io.kinfer.tools.client.ProduceCommand;
import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code kinfer}: the command line. Each subcommand is a class of its own; settings come from
 * the same places the service reads (application.yml, environment, -D properties).
 */
@Command(name = "kinfer", mixinStandardHelpOptions = true, version = "kinfer 0.1.0",
    description = "Real-time AI enrichment of Kafka streams.",
    subcommands = {RunCommand.class, DemoCommand.class, ProduceCommand.class,
        ConsumeCommand.class, BenchCommand.class, ChaosCommand.class, MemoryCommand.class,
        ModelsCommand.class, ClassArchiveCommand.class,
        HelpCommand.class},
    usageHelpWidth = 100,
    footer = {"",
        "Settings: processors/src/main/resources/application.yml; every key can also be an",
        "environment variable (kinfer.pipelines.image.device -> KINFER_PIPELINES_IMAGE_DEVICE)",
        "or a -D property in JAVA_OPTS. Clients use KAFKA_BOOTSTRAP_SERVERS, else the embedded",
        "broker at 127.0.0.1:9092. ./kinfer COMMAND --help describes each command."})
public final class KinferCommand implements Runnable {

  @picocli.CommandLine.Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs a command line; returns the exit code (0 ok, 1 failed, 2 usage mistake). */
  public static int execute(String... args) {
    CommandLine line = new CommandLine(new KinferCommand());
    line.setUsageHelpWidth(100);
    line.setParameterExceptionHandler(KinferCommand::usageMistake);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      LoggerFactory.getLogger(KinferCommand.class).debug("failed", e);
      cmd.getErr().println("kinfer " + cmd.getCommandName() + ": " + message(e));
      return 1;
    });
    return line.execute(args);
  }

  /** One line: what is wrong and where to look, instead of the whole usage text. */
  private static int usageMistake(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    String path = cmd.getCommandSpec().qualifiedName();
    // "consume --bogus" would report the missing TOPIC; the unknown option is the mistake.
    String message = e.getMessage();
    if (!(e instanceof UnmatchedArgumentException) && !cmd.getUnmatchedArguments().isEmpty()) {
      message = "Unknown option: '" + cmd.getUnmatchedArguments().get(0) + "'";
    }
    err.println(path + ": " + message + " (see ./" + path + " --help)");
    return 2;
  }

  private static String message(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.toString();
  }
}
