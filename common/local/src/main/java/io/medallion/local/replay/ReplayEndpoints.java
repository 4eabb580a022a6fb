package io.medallion.local.replay;

import io.medallion.event.InvalidEventException;
import io.medallion.source.Source;
import io.medallion.source.SourceEndpoints;
import io.medallion.source.SourceOrigin;
import java.io.IOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The local pipeline's source endpoints: any http(s) URL a person gave is read as it is, and a
 * {@code replay:<source>?records=N&seed=S} origin is served by an embedded {@link ReplayServer}
 * started on first use and kept until {@link #close()}. The generated data depends only on the
 * origin, so a run resumed tomorrow reads the same records it read today.
 */
public final class ReplayEndpoints implements SourceEndpoints, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(ReplayEndpoints.class.getName());

  private final Map<SourceOrigin.Replay, ReplayServer> servers = new HashMap<>();
  private boolean closed;

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

  /** The server of generated data, started on first use. */
  public synchronized ReplayServer serverFor(SourceOrigin.Replay replay) throws InvalidEventException, IOException {
    if (closed) {
      throw new IOException("the local replay endpoints are closed");
    }
    ReplayServer server = servers.get(replay);
    if (server == null) {
      if (!replay.source().equals("breweries")) {
        throw new InvalidEventException("no generated data for source " + replay.source() + ": give its URL instead");
      }
      server = new ReplayServer(new BreweryGenerator(replay.seed()).generate(replay.records()));
      servers.put(replay, server);
      URI url = server.baseUrl();
      LOG.info(() -> "replay server for " + replay.toUri() + " at " + url);
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
