package io.kinfer.cli;

import java.util.List;

/** Small shared pieces of the command line. */
public final class Cli {

  public static final String USAGE = """
      usage: kinfer <command> [options]

        demo [--serve] [--timeout S]
                                  start everything on the embedded broker, send the shipped
                                  held-out samples of every modality, print results and a
                                  summary (accuracy, events/s, latency), then exit
        chaos [--events M] [--kills K] [--bounce-broker] [--instances N] [--seed S]
                                  crash test: broker here, the service as child JVMs that
                                  are SIGKILLed K times while M events flow; reports lost,
                                  duplicated, dead-lettered and enriched events (exit 1 if
                                  any is lost or duplicated). Defaults: 20000 events, 10 kills
        bench [--events N] [--batch B] [--modality M] [--repeats R]
                                  per modality, in one process: the model alone at batch 1
                                  and B and the pipeline with max-batch 1 and B, each after
                                  warm-up until the JIT settles (at most 60 s); each model
                                  figure and its pipeline counterpart are measured in turns
                                  R times (medians kept); prints events/s, latency p50/p99
                                  and the ratios (defaults: 8000 events, B 32, R 3)
        run                       start the pipelines; embedded Kafka broker unless
                                  KAFKA_BOOTSTRAP_SERVERS is set. Ctrl-C stops.
        produce image|audio|text [FILE...]
                                  send files as events to <modality>.events (text: each line
                                  of the files, or of stdin). --topic T to override.
        produce --raw TOPIC [FILE]
                                  send a file's bytes (or stdin) as one record, unchanged
        consume TOPIC [--from-beginning] [--max N] [--timeout SECONDS]
                                  print a topic as JSON lines (read_committed)
        models train image|audio|text|all [--epochs N] [--limit N]
                                  fetch data, train, evaluate and export the shipped models
        models placeholders [DIR] rebuild the seeded placeholder SavedModels (default: models)
        help                      this text

      Clients use KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092 (the embedded broker's default).
      Configuration: processors/src/main/resources/application.yml; every key can be set as an
      environment variable (kinfer.pipelines.image.device -> KINFER_PIPELINES_IMAGE_DEVICE).
      """;

  private Cli() {}

  static String value(List<String> args, int index, String option) {
    if (index >= args.size()) {
      throw new UsageException(option + " needs a value");
    }
    return args.get(index);
  }

  public static String clientBootstrap() {
    String env = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    return env == null || env.isBlank() ? "127.0.0.1:9092" : env;
  }

  public static int produce(List<String> args) throws java.io.IOException {
    return ProduceCommand.run(args, clientBootstrap(), ProduceCommand.stdin(), System.out);
  }

  public static int consume(List<String> args) {
    return ConsumeCommand.run(args, clientBootstrap(), System.out);
  }

  /** A command-line mistake: printed without a stack trace, exit code 2. */
  public static final class UsageException extends RuntimeException {
    public UsageException(String message) {
      super(message);
    }
  }
}
