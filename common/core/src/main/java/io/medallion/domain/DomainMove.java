package io.medallion.domain;

import io.medallion.config.MedallionConfig;
import io.medallion.port.TableId;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where each table of the shared {@code silver} and {@code gold} datasets (the layout before
 * domains) goes now that each domain has its own: a source's silver tables to {@code
 * silver_<domain>}, its gold models' tables to {@code gold_<domain>}. A table that belongs to no
 * declared source is refused: nothing can say where it goes, and a move that skipped it would
 * leave it behind silently.
 */
public final class DomainMove {

  private DomainMove() {}

  /** One table to move, and the source (and so the domain) it belongs to. */
  public record Move(String source, String domain, String layer, TableId from, TableId to) {}

  /** The moves, and the tables no move can place (each with why). */
  public record Plan(List<Move> moves, List<String> refusals) {
    public Plan {
      moves = List.copyOf(moves);
      refusals = List.copyOf(refusals);
    }

    public boolean refused() {
      return !refusals.isEmpty();
    }
  }

  /**
   * The plan for {@code oldTables}, tables found in the shared silver and gold datasets ({@code
   * config.silverDataset()}, {@code config.goldDataset()}); others are ignored.
   */
  public static Plan plan(MedallionConfig config, SourceRegistry registry, Collection<TableId> oldTables) {
    List<Move> moves = new ArrayList<>();
    List<String> refusals = new ArrayList<>();
    for (TableId old : oldTables) {
      boolean silver = old.dataset().equals(config.silverDataset());
      if (!silver && !old.dataset().equals(config.goldDataset())) {
        continue;
      }
      Optional<Source> owner = registry.all().stream()
          .filter(s -> silver ? s.silverTables().contains(old.table()) : s.goldModels().contains(old.table()))
          .findFirst();
      if (owner.isEmpty()) {
        refusals.add(old.sql() + " belongs to no declared source (no schemas/sources/*.json names it as a "
            + (silver ? "silver table" : "gold model") + "): move or drop it by hand, or declare it");
        continue;
      }
      Source s = owner.get();
      String dataset = silver ? config.silverDataset(s) : config.goldDataset(s);
      moves.add(new Move(s.name(), s.domain(), silver ? "silver" : "gold", old, new TableId(dataset, old.table())));
    }
    return new Plan(moves, refusals);
  }

  /**
   * The plan for every table the declarations say the shared datasets held: each source's silver
   * tables and gold models (what BigQuery held before domains, as Terraform created it). {@code
   * prefix} is Terraform's dataset prefix ({@code local.dataset_prefix}, the name prefix with
   * dashes as underscores), prepended to every dataset.
   */
  public static Plan declared(MedallionConfig config, SourceRegistry registry, String prefix) {
    List<Move> moves = new ArrayList<>();
    for (Source s : registry.all()) {
      for (String t : s.silverTables()) {
        moves.add(new Move(s.name(), s.domain(), "silver", new TableId(prefix + config.silverDataset(), t),
            new TableId(prefix + config.silverDataset(s), t)));
      }
      for (String m : s.goldModels()) {
        moves.add(new Move(s.name(), s.domain(), "gold", new TableId(prefix + config.goldDataset(), m),
            new TableId(prefix + config.goldDataset(s), m)));
      }
    }
    return new Plan(moves, List.of());
  }

  /**
   * A bash script of {@code bq} commands that moves each table of {@code plan} in {@code project}
   * (the bq CLI reference, https://cloud.google.com/bigquery/docs/reference/bq-cli-reference: {@code
   * bq cp}, {@code bq query}, {@code bq rm}). For each table: skipped when the old table is gone
   * (moved before); copied with {@code bq cp --force} when the new table is absent or empty
   * (Terraform creates it empty, and a copy job carries the old table's schema, partitioning and
   * clustering); refused, ending the script, when the new table already has rows; then the two
   * row counts are compared and the old table removed ({@code bq rm -f -t}) only when they are
   * equal. {@code set -euo pipefail}: any failing command ends the script before the next table.
   */
  public static String script(String project, Plan plan) {
    StringBuilder s = new StringBuilder();
    s.append("#!/usr/bin/env bash\n")
        .append("# medallion domains move: each table of the shared silver and gold datasets to its domain's dataset.\n")
        .append("# Review it, then run it after `terraform apply` created the domain datasets, while nothing loads:\n")
        .append("# pause the Cloud Scheduler jobs and let running runs end (medallion status). Safe to run again:\n")
        .append("# a table already moved is skipped; an old table is removed only after its copy counts the same rows.\n")
        .append("set -euo pipefail\n")
        .append("PROJECT=").append(shellQuoted(project)).append('\n')
        .append("count() { bq query --project_id=\"$PROJECT\" --use_legacy_sql=false --format=csv --quiet \\\n")
        .append("  \"SELECT COUNT(*) FROM \\`$PROJECT.$1\\`\" | tail -n 1; }\n")
        .append("exists() { bq show --project_id=\"$PROJECT\" \"$PROJECT:$1\" > /dev/null 2>&1; }\n")
        .append("move() {\n")
        .append("  local from=\"$1\" to=\"$2\"\n")
        .append("  if ! exists \"$from\"; then echo \"$from: gone (moved before)\"; return; fi\n")
        .append("  local before; before=$(count \"$from\")\n")
        .append("  if exists \"$to\" && [ \"$(count \"$to\")\" != 0 ]; then\n")
        .append("    if [ \"$(count \"$to\")\" = \"$before\" ]; then\n")
        .append("      echo \"$to already holds $before rows, as $from does: compare them, then bq rm -f -t $PROJECT:$from\" >&2\n")
        .append("    else\n")
        .append("      echo \"$to already has rows and $from has $before: refusing to overwrite; nothing of $from changed\" >&2\n")
        .append("    fi\n")
        .append("    exit 1\n")
        .append("  fi\n")
        .append("  bq cp --project_id=\"$PROJECT\" --force \"$PROJECT:$from\" \"$PROJECT:$to\"\n")
        .append("  local after; after=$(count \"$to\")\n")
        .append("  if [ \"$after\" != \"$before\" ]; then\n")
        .append("    echo \"$to has $after rows after the copy, $from $before: $from kept\" >&2; exit 1\n")
        .append("  fi\n")
        .append("  bq rm --project_id=\"$PROJECT\" -f -t \"$PROJECT:$from\"\n")
        .append("  echo \"$from -> $to: $after rows\"\n")
        .append("}\n");
    for (Move m : plan.moves()) {
      s.append("move ").append(m.from().dataset()).append('.').append(m.from().table()).append(' ')
          .append(m.to().dataset()).append('.').append(m.to().table())
          .append("   # ").append(m.layer()).append(" of ").append(m.source()).append(" (domain ").append(m.domain()).append(")\n");
    }
    return s.toString();
  }

  private static String shellQuoted(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
