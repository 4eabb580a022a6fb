package io.medallion.local.replay;

import io.medallion.event.InvalidEventException;
import io.medallion.source.DeclarationException;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceEndpoints;
import io.medallion.source.SourceOrigin;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The local pipeline's source endpoints: any http(s) URL a person gave is read as it is, and a
 * {@code replay:<source>?records=N&seed=S} origin is served by an embedded {@link ReplayServer}
 * for that source of the registry, started on first use and kept until {@link #close()}. A source
 * whose declaration has a generator serves {@code N} generated records (per top-level resource)
 * of seed {@code S}; one with only recorded records ({@code replay.records}) serves those, and
 * {@code records} is ignored. The data and the credentials depend only on the origin, so a run
 * resumed tomorrow reads the same records with the same credentials it read today.
 */
public final class ReplayEndpoints implements SourceEndpoints, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReplayEndpoints.class.getName());

  private final SourceRegistry registry;
  private final Map<SourceOrigin.Replay, ReplayServer> servers = new HashMap<>();
  private boolean closed;

  /** Serves replay origins of the sources of {@code registry}. */
  public ReplayEndpoints(SourceRegistry registry) {
    this.registry = registry;
  }

  @Override
  public URI resolve(Source source, URI origin) throws InvalidEventException, IOException {
    SourceOrigin.check(origin);
    var replay = SourceOrigin.replay(origin);
    if (replay.isEmpty()) {
      return origin;
    }
    if (!replay.get().source().equals(source.name())) {
      throw new InvalidEventException(
          "replay URL " + origin + " names source " + replay.get().source() + ", not " + source.name());
    }
    return serverFor(replay.get()).baseUrl();
  }

  /** For a {@code replay:} origin, the credentials its server accepts; else the deployment's. */
  @Override
  public Secrets secrets(Source source, URI origin, Secrets deployed) throws IOException {
    try {
      var replay = SourceOrigin.replay(origin);
      return replay.isEmpty() ? deployed : serverFor(replay.get()).secrets();
    } catch (InvalidEventException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /**
   * The server of a replay origin, started on first use.
   *
   * @throws InvalidEventException when the registry has no such source, or it declares no replay data
   */
  public synchronized ReplayServer serverFor(SourceOrigin.Replay replay) throws InvalidEventException, IOException {
    if (closed) {
      throw new IOException("the local replay endpoints are closed");
    }
    ReplayServer server = servers.get(replay);
    if (server == null) {
      Source source = registry.find(replay.source()).orElseThrow(() -> new InvalidEventException(
          "replay URL " + replay.toUri() + " names no known source (known: " + registry.names() + ")"));
      if (source.replay() == null || (source.replay().generator() == null && source.replay().records() == null)) {
        throw new InvalidEventException("source " + source.name() + " declares no replay data (\"replay\": {\"generator\": ...}"
            + " or {\"records\": ...} in " + source.file() + "): give its URL instead");
      }
      try {
        server = source.replay().generator() != null
            ? ReplayServer.generated(source, replay.records(), replay.seed())
            : ReplayServer.recorded(source, replay.seed());
      } catch (DeclarationException e) {
        throw new InvalidEventException("source " + source.name() + ": its replay data cannot be served: " + e.getMessage());
      }
      servers.put(replay, server);
      URI url = server.baseUrl();
      String what = source.replay().generator() != null
          ? replay.records() + " generated records, seed " + replay.seed()
          : server.size() + " recorded records (records=" + replay.records() + " is ignored)";
      LOG.info(() -> "replay server for " + replay.toUri() + " at " + url + ": " + what);
    }
    return server;
  }

  @Override
  public synchronized void close() {
    closed = true;
    servers.values().forEach(ReplayServer::close);
    servers.clear();
  }
}
