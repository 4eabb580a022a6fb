package io.medallion.cli;

import io.medallion.api.GoldApi;
import io.medallion.api.LocalApiServer;
import io.medallion.config.MedallionConfig;
import io.medallion.local.bigquery.DuckDbWarehouse;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion api}: the query API over the local warehouse's gold tables, on a loopback port,
 * until Ctrl-C. The warehouse is opened read-only: DuckDB then lets no process write it meanwhile
 * (a run waits for this command to stop); {@code serve} serves the same API beside its runs.
 *
 * <p>When a serve runs on the home it holds the warehouse, and it serves the API already: this
 * command then prints serve's address and exits 0, or 2 when {@code --port} asked for another port.
 */
@Command(name = "api", mixinStandardHelpOptions = true,
    description = "Serve the query API (GET /v1/<source>/<table>) over the local gold tables, read-only, on 127.0.0.1 until Ctrl-C.")
final class ApiCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--port", paramLabel = "N",
      description = "Loopback port to listen on (default: " + LocalApi.DEFAULT_PORT + "; 0: any free port).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    int wanted = port == null ? LocalApi.DEFAULT_PORT : port;
    if (wanted < 0 || wanted > 65_535) {
      throw new Main.UserError("--port must be 0..65535, got " + wanted);
    }
    Optional<ServeControl.Endpoint> serve = ServeClient.endpoint(main.home());
    if (serve.isPresent()) {
      // serve holds the warehouse (DuckDB lets no other process open it) and answers the API itself.
      String base = "http://127.0.0.1:" + serve.get().port();
      if (port != null && port != 0 && port != serve.get().port()) {
        main.err().printf("medallion: serve (pid %d) runs on this home and serves the query API at %s, not on"
            + " --port %d; use its address, or stop serve to run ./medallion api on its own%n",
            serve.get().pid(), base, port);
        return 2;
      }
      main.out().printf("serve (pid %d) runs on this home and serves the query API already:%n"
          + "  base      %s/v1/<source>/<table>%n  openapi   %s/openapi.json%n", serve.get().pid(), base, base);
      return 0;
    }
    Path file = new LocalPipeline.Layout(main.home()).warehouseFile();
    if (!Files.exists(file)) {
      throw new Main.UserError("no local warehouse at " + file + ": run ./medallion run first");
    }
    try (Running running = Running.start(main.config(), main.home(), file, wanted)) {
      running.describe(main.out());
      CountDownLatch stopped = new CountDownLatch(1);
      CountDownLatch closed = new CountDownLatch(1);
      // Ctrl-C: the JVM waits for its hooks only, so the hook waits until the server and the
      // warehouse are closed (DuckDB's lock released for the next run).
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stopped.countDown();
        try {
          closed.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "medallion-api-stop"));
      try {
        stopped.await();
      } finally {
        running.close();
        closed.countDown();
      }
    }
    return 0;
  }

  /** The API on its port over a read-only warehouse; separate from the command so tests can stop it. */
  static final class Running implements AutoCloseable {
    private final DuckDbWarehouse warehouse;
    private final GoldApi api;
    private final LocalApiServer server;
    private final MedallionConfig config;
    private final Path home;
    private boolean closed;

    private Running(DuckDbWarehouse warehouse, GoldApi api, LocalApiServer server, MedallionConfig config, Path home) {
      this.warehouse = warehouse;
      this.api = api;
      this.server = server;
      this.config = config;
      this.home = home;
    }

    /**
     * Opens {@code warehouseFile} read-only and listens on {@code port}.
     *
     * @throws Main.UserError when the port is taken
     * @throws DuckDbWarehouse.WarehouseBusyException when a run is writing to the warehouse
     */
    static Running start(MedallionConfig config, Path home, Path warehouseFile, int port) throws IOException {
      DuckDbWarehouse warehouse = DuckDbWarehouse.openReadOnly(warehouseFile);
      try {
        GoldApi api = LocalApi.over(config, home, warehouse);
        LocalApiServer server;
        try {
          server = LocalApiServer.start(api, port);
        } catch (BindException e) {
          throw new Main.UserError("port " + port + " on 127.0.0.1 is in use (another ./medallion api?): choose"
              + " another with --port N, or --port 0 for any free one");
        }
        return new Running(warehouse, api, server, config, home);
      } catch (IOException | RuntimeException e) {
        warehouse.close();
        throw e;
      }
    }

    int port() {
      return server.port();
    }

    String base() {
      return "http://127.0.0.1:" + port();
    }

    /** What the command prints on start: where, which routes, how to try them. */
    void describe(PrintStream out) {
      out.printf("medallion api%n  home      %s%n  warehouse %s (read-only: runs wait until this stops; serve"
              + " serves the same API beside its runs)%n  base      %s%n  openapi   %s/openapi.json%n",
          home.toAbsolutePath(), new LocalPipeline.Layout(home).warehouseFile(), base(), base());
      if (api.routes().all().isEmpty()) {
        out.printf("  route     none: no source declares gold.api%n");
      }
      LocalApi.printRoutes(api, warehouse, out);
      List<String> examples = LocalApi.curlExamples(api, warehouse, base());
      for (int i = 0; i < examples.size(); i++) {
        out.printf("  %s %s%n", i == 0 ? "try      " : "         ", examples.get(i));
      }
      out.printf("  stop      Ctrl-C%n");
      out.flush();
    }

    /** Stops listening, then closes the warehouse; closing again does nothing. */
    @Override
    public synchronized void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        server.close();
      } finally {
        warehouse.close();
      }
    }
  }
}
