package io.medallion.lineage;

import com.google.gson.JsonObject;
import java.io.IOException;

/**
 * Where OpenLineage run events go: a JSON Lines file locally, the Data Lineage API on GCP. A sink
 * may throw; the steps never call it directly but through {@link Lineage}, which logs and counts a
 * failure and lets the run go on.
 */
public interface LineageSink {

  /** Delivers one run event (already split to the size the sink accepts). */
  void send(JsonObject event) throws IOException;

  /** The largest serialized event this sink accepts, in UTF-8 bytes; larger ones are split. */
  default int maxEventBytes() {
    return EventSplitter.DATA_LINEAGE_MAX_BYTES;
  }

  /** Keeps nothing: where no sink is configured (tools, tests that do not look at lineage). */
  LineageSink NONE = event -> {};
}
