package io.medallion.gold;

import io.medallion.port.TableId;
import io.medallion.source.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements around an incremental or snapshot model's SELECT, in SQL that BigQuery and DuckDB
 * both run (GoldSqlIsBigQuerySqlTest analyzes them with ZetaSQL; the DuckDB tests run them).
 *
 * <p>An incremental build is three jobs: the SELECT, over the silver window {@code [@since,
 * @until)}, into a delta table; a check of the delta (no key twice, no NULL key) read before any
 * write to the model's table; a MERGE of the delta on the unique key. The delta table is then
 * dropped. A snapshot build does the same with a MERGE that closes changed versions and opens new
 * ones. Both equal a full build over all of silver (tests compare them after any sequence of loads).
 */
final class Materializations {

  /** The columns a snapshot keeps per version: when it began, when it ended (NULL: still), whether it is the current one. */
  static final List<String> HISTORY = List.of("valid_from", "valid_to", "is_current");

  private Materializations() {}

  /** The table the SELECT's rows go to before the MERGE: beside the model's, {@code <model>__delta}. */
  static TableId deltaTable(GoldModels.Model m) {
    return new TableId(m.table().dataset(), m.table().table() + "__delta");
  }

  /** The whole incremental table from the SELECT over all of silver ({@code @since} the earliest time). */
  static String fullIncremental(GoldModels.Model m) {
    return "create or replace table " + m.table().sql() + " as\n" + m.sql();
  }

  /** The SELECT's rows for the window into the delta table. */
  static String delta(GoldModels.Model m) {
    return "create or replace table " + deltaTable(m).sql() + " as\n" + m.sql();
  }

  static String dropDelta(GoldModels.Model m) {
    return "drop table if exists " + deltaTable(m).sql();
  }

  /**
   * A read of the delta's broken keys: a key on more than one row (of one version, for a
   * snapshot), or a NULL key part. The MERGE would match a target row twice, or insert a row no
   * later MERGE can find; so the build stops before it writes.
   */
  static String brokenKeys(GoldModels.Model m) {
    List<String> key = new ArrayList<>(m.materialization().uniqueKey());
    if (m.kind() == Source.Materialization.Kind.SNAPSHOT) {
      key.addAll(m.materialization().updatedAt());
    }
    String anyNull = key.stream().map(k -> k + " is null").collect(Collectors.joining(" or "));
    return "select " + key.stream().map(k -> "cast(" + k + " as string) as " + k).collect(Collectors.joining(", "))
        + ", count(*) as row_count\nfrom " + deltaTable(m).sql() + "\ngroup by " + String.join(", ", key)
        + "\nhaving count(*) > 1 or max(case when " + anyNull + " then 1 else 0 end) = 1\norder by row_count desc"
        + "\nlimit 10";
  }

  /**
   * The MERGE of the delta on the unique key. With {@code updated_at} a delta row replaces the
   * table's row only when it is not older (so a late load of old data changes nothing, as in a
   * full build where the newest version wins; an equal one replaces, so a backfill after a change
   * of the SQL rewrites the rows it covers). Without, the delta row always replaces: the SELECT
   * recomputed the whole row.
   */
  static String merge(GoldModels.Model m) {
    List<String> key = m.materialization().uniqueKey();
    String on = key.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" and "));
    String when = m.materialization().updatedAt().isEmpty() ? "" : " and " + notOlder(m.materialization().updatedAt());
    String set = m.columns().stream().filter(c -> !key.contains(c)).map(c -> c + " = s." + c).collect(Collectors.joining(",\n    "));
    return "merge into " + m.table().sql() + " as t\nusing " + deltaTable(m).sql() + " as s\non " + on
        + "\nwhen matched" + when + " then update set\n    " + set
        + "\nwhen not matched then insert (" + String.join(", ", m.columns()) + ")\n    values ("
        + m.columns().stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
  }

  /** {@code (s.a, s.b) >= (t.a, t.b)}, spelled for both dialects. */
  private static String notOlder(List<String> order) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < order.size(); i++) {
      String c = order.get(i);
      boolean last = i == order.size() - 1;
      out.append(i == 0 ? "" : " or (");
      for (int j = 0; j < i; j++) {
        out.append("s.").append(order.get(j)).append(" = t.").append(order.get(j)).append(" and ");
      }
      out.append("s.").append(c).append(last ? " >= t." : " > t.").append(c).append(i == 0 ? "" : ")");
    }
    return "(" + out + ")";
  }

  /** A snapshot's version columns: everything but the history the snapshot adds. */
  private static List<String> versionColumns(GoldModels.Model m) {
    return m.columns().stream().filter(c -> !HISTORY.contains(c)).toList();
  }

  /**
   * The columns whose change makes a new version: all but the key, the time and the lineage
   * columns ({@code _run_id}, {@code _source_uri}, ... which say where a version was first seen).
   */
  private static List<String> tracked(GoldModels.Model m) {
    List<String> key = m.materialization().uniqueKey();
    String at = m.materialization().updatedAt().get(0);
    return versionColumns(m).stream().filter(c -> !key.contains(c) && !c.equals(at) && !c.startsWith("_")).toList();
  }

  /**
   * The history of {@code versions} (a relation with the version columns): per key in time order,
   * the rows where a tracked column differs from the row before (or the first), each valid until
   * the next one.
   */
  private static String history(GoldModels.Model m, String versions) {
    String key = String.join(", ", m.materialization().uniqueKey());
    String at = m.materialization().updatedAt().get(0);
    List<String> tracked = tracked(m);
    String changed = tracked.isEmpty() ? "false"
        : tracked.stream().map(c -> "lag(" + c + ") over w is distinct from " + c).collect(Collectors.joining("\n                or "));
    String cols = String.join(", ", versionColumns(m));
    List<String> select = new ArrayList<>();
    for (String c : m.columns()) {
      select.add(switch (c) {
        case "valid_from" -> at + " as valid_from";
        case "valid_to" -> "lead(" + at + ") over (partition by " + key + " order by " + at + ") as valid_to";
        case "is_current" -> "lead(" + at + ") over (partition by " + key + " order by " + at + ") is null as is_current";
        default -> c;
      });
    }
    return "with versions as (\n\n" + versions + "\n\n),\n\n"
        + "marked as (\n\n    select\n        " + cols + ",\n        row_number() over w = 1\n            or " + changed
        + " as version_starts\n    from versions\n    window w as (partition by " + key + " order by " + at + ")\n\n),\n\n"
        + "changes as (\n\n    select " + cols + " from marked where version_starts\n\n)\n\n"
        + "select\n    " + String.join(",\n    ", select) + "\nfrom changes";
  }

  /** The whole snapshot from the SELECT over all of silver: every version of every key. */
  static String fullSnapshot(GoldModels.Model m) {
    return "create or replace table " + m.table().sql() + " as\n" + history(m, m.sql());
  }

  /**
   * A read of how many delta versions are older than their key's current version: a late load.
   * Appending cannot place them, so the snapshot is then rebuilt whole from silver.
   */
  static String lateVersions(GoldModels.Model m) {
    String at = m.materialization().updatedAt().get(0);
    String on = m.materialization().uniqueKey().stream().map(k -> "d." + k + " = c." + k).collect(Collectors.joining(" and "));
    return "select count(*) as late\nfrom " + deltaTable(m).sql() + " as d\njoin " + m.table().sql()
        + " as c on " + on + " and c.is_current\nwhere d." + at + " < c.valid_from";
  }

  /**
   * The MERGE that appends the delta's versions: per key of the delta, its current row and the
   * delta's rows in time order give the new history (the current row may end, new versions
   * start); a row whose key and start exist is only closed.
   */
  static String snapshotMerge(GoldModels.Model m) {
    List<String> key = m.materialization().uniqueKey();
    String cols = String.join(", ", versionColumns(m));
    String semi = key.stream().map(k -> "d." + k + " = c." + k).collect(Collectors.joining(" and "));
    String versions = "    select " + cols + "\n    from " + m.table().sql() + " as c\n    where c.is_current\n"
        + "        and exists (select 1 from " + deltaTable(m).sql() + " as d where " + semi + ")\n"
        + "    union all\n    select " + cols + " from " + deltaTable(m).sql();
    String on = key.stream().map(k -> "t." + k + " = s." + k).collect(Collectors.joining(" and ")) + " and t.valid_from = s.valid_from";
    return "merge into " + m.table().sql() + " as t\nusing (\n" + history(m, versions) + "\n) as s\non " + on
        + "\nwhen matched and s.valid_to is not null and t.valid_to is null then update set\n"
        + "    valid_to = s.valid_to,\n    is_current = false"
        + "\nwhen not matched then insert (" + String.join(", ", m.columns()) + ")\n    values ("
        + m.columns().stream().map(c -> "s." + c).collect(Collectors.joining(", ")) + ")";
  }
}
