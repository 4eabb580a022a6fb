package io.medallion.cli;

import io.medallion.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code medallion} command line: runs the pipeline locally and looks into its results. */
@Command(
    name = "medallion",
    mixinStandardHelpOptions = true,
    version = "medallion 0.1.0",
    description = "Event-driven medallion pipeline (bronze -> silver -> gold), run locally.",
    subcommands = {RunCommand.class, ServeCommand.class, PublishCommand.class, QueryCommand.class, StatusCommand.class, DeadLettersCommand.class, ResumeCommand.class, BenchCommand.class})
public final class Main implements Runnable {

  /** Where local state lives unless MEDALLION_HOME says otherwise. */
  static final String DEFAULT_HOME = ".medallion";

  @Option(names = "--home", description = "Local state directory (default: $MEDALLION_HOME or ./.medallion).")
  Path home;

  @Option(names = {"-v", "--verbose"}, description = "Show the functions' own log lines.")
  boolean verbose;

  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), args));
  }

  /** Runs one command line and returns its exit code (tests call this directly). */
  static int run(Map<String, String> env, String... args) {
    Main main = new Main(env);
    CommandLine cli = new CommandLine(main);
    cli.setExecutionStrategy(
        parse -> {
          configureLogging(main.verbose);
          return new CommandLine.RunLast().execute(parse);
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException || e instanceof UserError) {
            commandLine.getErr().println("medallion: " + e.getMessage());
            return 2;
          }
          commandLine.getErr().println("medallion: " + e);
          if (main.verbose) {
            e.printStackTrace(commandLine.getErr());
          }
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  Path home() {
    if (home != null) {
      return home;
    }
    String fromEnv = env.get("MEDALLION_HOME");
    return Path.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT_HOME : fromEnv);
  }

  Map<String, String> env() {
    return env;
  }

  private static void configureLogging(boolean verbose) {
    // The CLI prints its own progress; function logs are for --verbose.
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.INFO : Level.SEVERE;
    root.setLevel(level);
    for (var h : root.getHandlers()) {
      h.setLevel(level);
    }
    System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
  }

  /** A mistake in how the command was used; printed without a stack trace, exit code 2. */
  static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UserError(String message) {
      super(message);
    }
  }
}
