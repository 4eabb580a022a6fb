package io.medallion.source;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How a source's records become silver rows, beyond what the table schema says (types and
 * required columns come from the schema file).
 *
 * @param renames source field to column name, for fields whose names differ; the source field may be
 *     a {@link SourcePath} into nested objects ({@code user.login}) and arrays ({@code labels[].name})
 * @param keyColumn the business key: a key seen twice in one load rejects the later record
 * @param ranges inclusive [min, max] per numeric column; values outside are rejected
 * @param lowercase string columns normalised to lower case (codes such as a type)
 * @param unknownFields what happens to a field no column reads and {@code drop} does not name
 * @param drop fields known and deliberately not kept, as paths ({@code images}, {@code user.id},
 *     {@code labels[].color}); a path to an object drops every field under it that no column reads
 * @param timezone the zone of TIMESTAMP text that carries none, or null: such text is refused
 * @param distinct whether a record whose typed column values all equal an earlier record's in the
 *     same load is a {@code DUPLICATE_ROW} reject naming that record (a file that repeats rows)
 * @param partition the table's partitioning as declared, or null for the default (see {@link
 *     Source#partitioning})
 * @param cluster the table's clustering columns as declared, or null for the default ({@code [key]})
 */
public record SilverMapping(
    Map<String, String> renames,
    String keyColumn,
    Map<String, double[]> ranges,
    Set<String> lowercase,
    UnknownFields unknownFields,
    Set<String> drop,
    java.time.ZoneId timezone,
    boolean distinct,
    Partition partition,
    List<String> cluster) {

  /**
   * A declared {@code silver.partition}; a part left out is null and takes its default.
   *
   * @param column the partition column, or null for the default
   * @param granularity DAY or MONTH, or null for DAY
   * @param expirationDays days a partition is kept, or null for ever
   */
  public record Partition(String column, io.medallion.port.TablePartitioning.Granularity granularity, Integer expirationDays) {}

  /** What silver does with a field that no column reads and the declaration does not drop. */
  public enum UnknownFields {
    /** Kept with its row, in the {@code _extra} JSON column, and counted. */
    KEEP,
    /** Counted, not kept. */
    DROP,
    /** The record is rejected ({@code UNKNOWN_FIELD}). */
    REJECT
  }

  /** The name of the JSON column that keeps the fields no column reads. */
  public static final String EXTRA_COLUMN = "_extra";

  public SilverMapping {
    renames = Map.copyOf(renames);
    ranges = Map.copyOf(ranges);
    lowercase = Set.copyOf(lowercase);
    java.util.Objects.requireNonNull(unknownFields, "unknownFields");
    drop = Set.copyOf(drop);
    cluster = cluster == null ? null : List.copyOf(cluster);
  }

  /** Partitioning and clustering left to their defaults. */
  public SilverMapping(
      Map<String, String> renames, String keyColumn, Map<String, double[]> ranges, Set<String> lowercase,
      UnknownFields unknownFields, Set<String> drop, java.time.ZoneId timezone, boolean distinct) {
    this(renames, keyColumn, ranges, lowercase, unknownFields, drop, timezone, distinct, null, null);
  }

  /** Duplicate rows kept (only a repeated key is refused). */
  public SilverMapping(
      Map<String, String> renames, String keyColumn, Map<String, double[]> ranges, Set<String> lowercase,
      UnknownFields unknownFields, Set<String> drop, java.time.ZoneId timezone) {
    this(renames, keyColumn, ranges, lowercase, unknownFields, drop, timezone, false);
  }

  /** Unknown fields kept, none dropped, no default zone. */
  public SilverMapping(Map<String, String> renames, String keyColumn, Map<String, double[]> ranges, Set<String> lowercase) {
    this(renames, keyColumn, ranges, lowercase, UnknownFields.KEEP, Set.of(), null);
  }

  /** The source field that feeds {@code column}, as declared (a path, for a nested field). */
  public String sourceField(String column) {
    for (Map.Entry<String, String> e : renames.entrySet()) {
      if (e.getValue().equals(column)) {
        return e.getKey();
      }
    }
    return column;
  }

  /**
   * Where {@code column}'s value is in a record.
   *
   * @throws IllegalArgumentException when its rename is not a valid path
   */
  public SourcePath sourcePath(String column) {
    return SourcePath.parse(sourceField(column));
  }
}
