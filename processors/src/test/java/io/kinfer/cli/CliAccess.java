package io.kinfer.cli;

import java.io.BufferedReader;
import java.io.PrintStream;
import java.io.StringReader;
import java.util.List;

/** Test access to the package-private commands. */
public final class CliAccess {

  private CliAccess() {}

  public static int produce(List<String> args, String bootstrap, PrintStream out)
      throws java.io.IOException {
    return ProduceCommand.run(args, bootstrap, new BufferedReader(new StringReader("")), out);
  }

  /** Consumes until every id was printed or the command's own timeout ends. */
  public static void consume(List<String> args, String bootstrap, PrintStream out,
      List<String> ids) {
    try {
      consumeUntil(args, bootstrap, out, ids);
    } catch (Done expected) {
      // every id seen
    }
  }

  private static void consumeUntil(List<String> args, String bootstrap, PrintStream out,
      List<String> ids) {
    ConsumeCommand.run(args, bootstrap, new PrintStream(out, true) {
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
  }

  /** Stops the consume loop once everything expected was printed. */
  static final class Done extends RuntimeException {
    Done() {
      super(null, null, false, false);
    }
  }
}
