package io.medallion.cli;

import io.medallion.gold.GoldModels;
import io.medallion.gold.GoldStep;
import io.medallion.port.JobStatus;
import io.medallion.port.QueryJob;
import io.medallion.port.Warehouse;
import io.medallion.source.Source;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every gold model of a source built whole from all of silver into a scratch dataset: what a
 * pipeline whose models were all tables would hold, and what it would cost. The incremental bench
 * measures it beside the incremental builds, and the tests compare the two.
 */
final class FullRebuild {

  /** What one model's whole build cost (null: the warehouse does not know). */
  record Built(String model, String jobId, Long bytesProcessed, Long bytesBilled) {}

  private FullRebuild() {}

  /** Builds every model of {@code source} whole into {@code dataset}, each as a job whose id ends in {@code stamp}. */
  static List<Built> build(Warehouse warehouse, Source source, String silverDataset, String dataset, String stamp) throws IOException {
    List<Built> out = new ArrayList<>();
    for (GoldModels.Model m : GoldModels.forSource(source, silverDataset, dataset)) {
      String sql = m.buildSql();
      String jobId = "full_rebuild_" + m.name() + "_" + stamp;
      JobStatus job = warehouse.query(new QueryJob(jobId, sql, Map.of(),
          GoldModels.parametersOf(sql, Map.of("since", GoldStep.BEGINNING, "until", GoldStep.END, "run_id", "full-rebuild",
              "as_of", Instant.EPOCH))));
      if (!job.succeeded()) {
        throw new IOException("The full rebuild of " + m.name() + " failed: " + job.error());
      }
      out.add(new Built(m.name(), jobId, job.bytesProcessed(), job.bytesBilled()));
    }
    return out;
  }

  /**
   * The models whose table in {@code goldDataset} differs from the one in {@code rebuilt}, each
   * with what differs; empty when all are equal. A model that names {@code @run_id} says which build
   * made it (its {@code _run_id} and {@code _as_of}): those two columns are left out.
   */
  static List<String> differences(Warehouse warehouse, Source source, String goldDataset, String rebuilt) throws IOException {
    List<String> out = new ArrayList<>();
    for (GoldModels.Model m : GoldModels.forSource(source, "silver", goldDataset)) {
      String exclude = m.sql().contains("@run_id") ? " exclude (_run_id, _as_of)" : "";
      String built = "select *" + exclude + " from " + goldDataset + "." + m.name();
      String whole = "select *" + exclude + " from " + rebuilt + "." + m.name();
      long onlyBuilt = ((Number) warehouse.read("select count(*) from (" + built + " except all " + whole + ")").scalar()).longValue();
      long onlyWhole = ((Number) warehouse.read("select count(*) from (" + whole + " except all " + built + ")").scalar()).longValue();
      if (onlyBuilt + onlyWhole > 0) {
        out.add(m.name() + " (" + m.kind().label() + "): " + onlyBuilt + " rows only in " + goldDataset + ", " + onlyWhole
            + " only in the full rebuild");
      }
    }
    return out;
  }
}
