package io.medallion.port;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a table is partitioned and clustered, as its source declares it ({@code silver.partition} and
 * {@code silver.cluster}; {@link io.medallion.source.Source#partitioning}): by a time column, one
 * partition per day or month, old partitions optionally expiring, rows clustered by up to four
 * columns. On GCP Terraform creates the table so; locally DuckDB remembers it and expires
 * partitions after each load, as BigQuery does.
 *
 * @param column the TIMESTAMP, DATE or DATETIME column whose value says a row's partition
 * @param granularity one partition per day or per month of {@code column}
 * @param expirationDays days after its partition's start that a row is deleted, or null to keep
 *     every partition
 * @param clustering the columns rows are sorted by inside a partition, most important first; empty
 *     for none
 */
public record TablePartitioning(String column, Granularity granularity, Integer expirationDays, List<String> clustering) {

  /** The most clustering columns BigQuery allows (https://cloud.google.com/bigquery/docs/clustered-tables). */
  public static final int MAX_CLUSTERING_COLUMNS = 4;

  /** How much time one partition holds. */
  public enum Granularity {
    DAY,
    MONTH
  }

  public TablePartitioning {
    TableId.requireIdentifier(column, "partition column");
    Objects.requireNonNull(granularity, "granularity");
    if (expirationDays != null && expirationDays < 1) {
      throw new IllegalArgumentException("partition expiration must be at least 1 day, got " + expirationDays);
    }
    clustering = List.copyOf(clustering);
    clustering.forEach(c -> TableId.requireIdentifier(c, "clustering column"));
    if (clustering.size() > MAX_CLUSTERING_COLUMNS) {
      throw new IllegalArgumentException("at most " + MAX_CLUSTERING_COLUMNS + " clustering columns, got " + clustering);
    }
  }

  /** The partition expiration as Terraform's {@code time_partitioning.expiration_ms} takes it, or null for none. */
  public Long expirationMs() {
    return expirationDays == null ? null : Duration.ofDays(expirationDays).toMillis();
  }

  /**
   * The earliest partition start that is still kept at {@code now}: a partition whose start plus
   * the expiration is before {@code now} has expired ("The storage in a partition will have an
   * expiration time of its partition time plus this value", TimePartitioning.expirationMs,
   * https://cloud.google.com/bigquery/docs/reference/rest/v2/tables#TimePartitioning). Empty when
   * nothing expires.
   */
  public java.util.Optional<Instant> keptFrom(Instant now) {
    return expirationDays == null ? java.util.Optional.empty()
        : java.util.Optional.of(now.minus(Duration.ofDays(expirationDays)));
  }

  /** Whether a table partitioned {@code other} would need rewriting to be partitioned as this (column or granularity differ). */
  public boolean repartitions(TablePartitioning other) {
    return other == null || !column.equals(other.column) || granularity != other.granularity;
  }

  /** Where {@code medallion repartition} builds the table anew before the swap: {@code t__repartitioned}. */
  public static TableId repartitioned(TableId table) {
    return new TableId(table.dataset(), table.table() + "__repartitioned");
  }

  /** The name a repartitioned table's old rows keep until they are dropped: {@code t__before_repartition}. */
  public static TableId beforeRepartition(TableId table) {
    return new TableId(table.dataset(), table.table() + "__before_repartition");
  }

  @Override
  public String toString() {
    return granularity + "(" + column + ")" + (expirationDays == null ? "" : ", expiring after " + expirationDays + " days")
        + (clustering.isEmpty() ? ", not clustered" : ", clustered by " + String.join(", ", clustering));
  }
}
