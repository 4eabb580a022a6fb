package io.medallion.source;

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
 */
public record SilverMapping(
    Map<String, String> renames,
    String keyColumn,
    Map<String, double[]> ranges,
    Set<String> lowercase) {

  public SilverMapping {
    renames = Map.copyOf(renames);
    ranges = Map.copyOf(ranges);
    lowercase = Set.copyOf(lowercase);
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
