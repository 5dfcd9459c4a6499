package io.kinfer.tools.client;

import io.kinfer.wire.WireFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;

/** Runs produce and consume as the command line parses them, against a given broker. */
public final class ClientAccess {

  private ClientAccess() {}

  public static int produce(List<String> args, String bootstrap, PrintStream out)
      throws IOException {
    return produce(args, bootstrap, WireFormat.PLAIN, out);
  }

  public static int produce(List<String> args, String bootstrap, WireFormat wire,
      PrintStream out) throws IOException {
    ProduceCommand command = new ProduceCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return command.send(clients(bootstrap), wire, new BufferedReader(new StringReader("")),
        out);
  }

  /** Consumes until every id was printed or the command's own timeout ends. */
  public static void consume(List<String> args, String bootstrap, PrintStream out,
      List<String> ids) {
    consume(args, bootstrap, WireFormat.PLAIN, out, ids);
  }

  public static void consume(List<String> args, String bootstrap, WireFormat wire,
      PrintStream out, List<String> ids) {
    ConsumeCommand command = new ConsumeCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    try {
      command.print(clients(bootstrap), wire, new PrintStream(out, true) {
        private final StringBuilder seen = new StringBuilder();

        @Override
        public void println(String line) {
          super.println(line);
          seen.append(line);
          if (ids.stream().allMatch(id -> seen.indexOf(id) >= 0)) {
            throw new Done();
          }
        }
      });
    } catch (Done expected) {
      // every id seen
    }
  }

  private static Properties clients(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    return props;
  }

  /** Stops the consume loop once everything expected was printed. */
  static final class Done extends RuntimeException {
    Done() {
      super(null, null, false, false);
    }
  }
}
