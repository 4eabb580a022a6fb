package io.medallion.cli;

import io.medallion.config.ConfigException;
import io.medallion.local.bigquery.DuckDbWarehouse;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code medallion} command line: runs the pipeline locally and looks into its results.
 *
 * <p>While {@code serve} runs, it holds the local warehouse (DuckDB allows one writing process).
 * The commands that use the warehouse are then sent to it and run inside it, printing here what
 * they print there; see {@link ServeControl}.
 */
@Command(
    name = "medallion",
    mixinStandardHelpOptions = true,
    version = "medallion 0.1.0",
    description = "Event-driven medallion pipeline (bronze -> silver -> gold), run locally.",
    subcommands = {RunCommand.class, BackfillCommand.class, DropCommand.class, SampleCommand.class, PostCommand.class, NotifyCommand.class, SourcesCommand.class, ServeCommand.class, ApiCommand.class, PublishCommand.class, QueryCommand.class, StatusCommand.class, CostCommand.class, DeadLettersCommand.class, ResumeCommand.class, BenchCommand.class, SchemaCommand.class, RepartitionCommand.class, DomainsCommand.class, LineageCommand.class,
        CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  /**
   * The JDK HTTP server (serve's webhook and commands, the query API) writes a response's headers
   * and body in separate writes; with Nagle's algorithm on, the body waits for the client's
   * delayed ACK of the headers, ~40 ms on Linux, on every answer. Read once, when the first server
   * is made: set before any is. (Measured by bench --api-only: a row by key went from 52 ms to
   * 6 ms at p50 with one client.)
   */
  static final String HTTP_SERVER_NODELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(HTTP_SERVER_NODELAY) == null) {
      System.setProperty(HTTP_SERVER_NODELAY, "true");
    }
  }

  /** Where local state lives unless MEDALLION_HOME says otherwise. */
  static final String DEFAULT_HOME = ".medallion";

  /**
   * The commands that use the local warehouse, and so go through {@code serve} while it runs; a
   * subcommand by its whole name ({@code schema diff}).
   */
  static final Set<String> THROUGH_SERVE = Set.of("run", "backfill", "drop", "query", "status", "resume", "dead-letters", "sources", "schema diff");

  @Option(names = "--home", description = "Local state directory (default: $MEDALLION_HOME or ./.medallion).")
  Path home;

  @Option(names = {"-v", "--verbose"}, description = "Show the functions' own log lines.")
  boolean verbose;

  @Option(names = "--sources-dir", paramLabel = "DIR",
      description = "More source declarations, in a directory laid out as the repository (schemas/sources/, "
          + "schemas/bigquery/silver/, sql/<source>/); repeatable; adds to $MEDALLION_SOURCES_DIR.")
  List<Path> sourcesDirs = new java.util.ArrayList<>();

  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final ServedSession served;

  Main(Map<String, String> env) {
    this(env, System.out, System.err, null);
  }

  /**
   * @param served the pipeline of the {@code serve} this command runs inside, or null when it runs
   *     in its own process
   */
  Main(Map<String, String> env, PrintStream out, PrintStream err, ServedSession served) {
    this.env = env;
    this.out = out;
    this.err = err;
    this.served = served;
  }

  public static void main(String[] args) {
    System.exit(run(System.getenv(), args));
  }

  /**
   * Runs one command line and returns its exit code (tests call this directly). A command that
   * uses the warehouse goes to {@code serve} when one runs on the same home.
   */
  static int run(Map<String, String> env, String... args) {
    Main probe = new Main(env);
    if (goesThroughServe(probe, args)) {
      Optional<ServeClient> serve = ServeClient.find(probe.home());
      if (serve.isPresent()) {
        return serve.get().forward(ServeClient.withoutHome(args), System.out, System.err);
      }
    }
    return execute(new Main(env), true, args);
  }

  /**
   * Whether {@code args}, parsed into {@code probe} as this command line parses them, are a
   * command that runs inside a running {@code serve}: one of {@link #THROUGH_SERVE} itself (not a
   * subcommand of it that is not listed too, not a help request). A usage error is not: it is reported where it runs.
   */
  static boolean goesThroughServe(Main probe, String... args) {
    try {
      CommandLine.ParseResult sub = new CommandLine(probe).parseArgs(args).subcommand();
      if (sub == null) {
        return false;
      }
      String name = sub.commandSpec().name();
      if (sub.subcommand() != null) {
        sub = sub.subcommand();
        name += " " + sub.commandSpec().name();
      }
      return THROUGH_SERVE.contains(name) && sub.subcommand() == null
          && !sub.isUsageHelpRequested() && !sub.isVersionHelpRequested();
    } catch (CommandLine.ParameterException e) {
      return false;
    }
  }

  /**
   * Runs a command line with this {@code main}'s streams and session.
   *
   * @param configureLogging false inside {@code serve}, whose logging stays as it is
   */
  static int execute(Main main, boolean configureLogging, String... args) {
    CommandLine cli = new CommandLine(main);
    cli.setOut(new PrintWriter(main.out, true));
    cli.setErr(new PrintWriter(main.err, true));
    cli.setExecutionStrategy(
        parse -> {
          if (configureLogging) {
            configureLogging(main.verbose);
          }
          return new CommandLine.RunLast().execute(parse);
        });
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException || e instanceof UserError) {
            main.err.println("medallion: " + e.getMessage());
            return 2;
          }
          if (e instanceof DuckDbWarehouse.WarehouseBusyException busy) {
            main.err.println("medallion: " + busy.getMessage() + ": another medallion command (a run, a resume,"
                + " ./medallion api) is using it. Wait for it to finish, or keep `./medallion serve` running: while it runs,"
                + " every command goes through it.");
            return 1;
          }
          main.err.println("medallion: " + e);
          if (main.verbose) {
            e.printStackTrace(main.err);
          }
          return 1;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  Path home() {
    if (served != null) {
      return served.home();
    }
    if (home != null) {
      return home;
    }
    String fromEnv = env.get("MEDALLION_HOME");
    return Path.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT_HOME : fromEnv);
  }

  Map<String, String> env() {
    return env;
  }

  /**
   * The local configuration: the environment's settings with the local adapters, and the sources
   * directories of --sources-dir added to $MEDALLION_SOURCES_DIR's.
   */
  io.medallion.config.MedallionConfig config() {
    if (served != null) {
      io.medallion.config.MedallionConfig serving = served.pipeline().config();
      if (!serving.sourcesDirs().containsAll(sourcesDirs.stream().map(d -> d.toAbsolutePath().normalize()).toList())) {
        throw new UserError("this command runs on the serve that is running, whose sources do not include "
            + sourcesDirs + ": restart serve with --sources-dir");
      }
      return serving;
    }
    io.medallion.config.MedallionConfig config = io.medallion.config.MedallionConfig.forLocal(env);
    if (sourcesDirs.isEmpty()) {
      return config;
    }
    List<Path> dirs = new java.util.ArrayList<>(config.sourcesDirs());
    dirs.addAll(sourcesDirs);
    return config.withSourcesDirs(dirs);
  }

  /** Where the command prints (inside {@code serve}: back to the terminal that asked). */
  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  /** The {@code serve} this command runs inside, if any. */
  Optional<ServedSession> served() {
    return Optional.ofNullable(served);
  }

  /** Kept strongly referenced: the log manager holds loggers weakly, and their levels with them. */
  private static final List<Logger> FUNCTION_LOGGERS = List.of(
      Logger.getLogger("io.medallion.ingest"), Logger.getLogger("io.medallion.silver"), Logger.getLogger("io.medallion.gold"));

  private static void configureLogging(boolean verbose) {
    // The CLI prints its own progress; function logs are for --verbose. What the functions report
    // as failures reaches the ledger, which the CLI prints once: their own lines would repeat it.
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.INFO : Level.SEVERE;
    root.setLevel(level);
    for (var h : root.getHandlers()) {
      h.setLevel(level);
    }
    for (Logger function : FUNCTION_LOGGERS) {
      function.setLevel(verbose ? Level.INFO : Level.OFF);
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
