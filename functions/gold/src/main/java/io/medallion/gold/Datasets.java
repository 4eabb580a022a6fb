package io.medallion.gold;

import io.medallion.bronze.FileLifecycle;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.source.FileNamePattern;
import io.medallion.source.Source;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Datasets made of several files: a gold model that {@code gold.needs} file resources runs for a
 * business date only once each of them has rows in silver from a file of that date. Which dates
 * silver holds is read from the silver tables themselves ({@code _file_key}, which for such a
 * resource is its date): nothing to keep in step, and a replaced file counts as soon as it loads.
 */
public final class Datasets {

  private final Warehouse warehouse;
  private final String silverDataset;

  public Datasets(Warehouse warehouse, String silverDataset) {
    this.warehouse = warehouse;
    this.silverDataset = silverDataset;
  }

  /** A model still waiting for some inputs of a date, since the first of the others landed. */
  public record Waiting(String source, String model, LocalDate date, List<String> missing, List<String> landed, Instant since) {}

  /**
   * Whether {@code model} runs after a file of {@code placed}: always when it needs nothing; when
   * it needs files, only for a file that is one of them, once every one has landed for its date.
   *
   * @return empty when it runs, else why not
   */
  public Optional<String> whyNot(Source source, String model, FileLifecycle.Placed placed) throws IOException {
    List<String> needs = source.gold().needs().get(model);
    if (needs == null) {
      return Optional.empty();
    }
    if (!needs.contains(placed.resource().name())) {
      return Optional.of(model + " needs " + needs + ", not " + placed.resource().name());
    }
    Optional<LocalDate> date = placed.resource().file().businessDate(placed.parts());
    if (date.isEmpty()) {
      return Optional.of(model + ": the file name gives no date in " + placed.resource().file().datePattern());
    }
    List<String> missing = new ArrayList<>();
    for (String input : needs) {
      Source.Resource r = source.resource(input).orElseThrow();
      if (!hasLanded(r, key(r, date.get()))) {
        missing.add(input);
      }
    }
    return missing.isEmpty() ? Optional.empty()
        : Optional.of(model + " waits for " + String.join(" and ", missing) + " of " + date.get());
  }

  /** Every date for which some but not all inputs of a model have landed, oldest first. */
  public List<Waiting> waiting(Source source) throws IOException {
    List<Waiting> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> need : source.gold().needs().entrySet()) {
      Map<LocalDate, Map<String, Instant>> seen = new TreeMap<>(); // by date, when each input landed
      for (String input : need.getValue()) {
        Source.Resource r = source.resource(input).orElseThrow();
        DateTimeFormatter f = DateTimeFormatter.ofPattern(r.file().datePattern());
        landedAt(r).forEach((key, at) -> {
          try {
            seen.computeIfAbsent(LocalDate.parse(key, f), x -> new TreeMap<>()).put(input, at);
          } catch (java.time.format.DateTimeParseException e) {
            // a key that is no date of this pattern: not part of a dataset
          }
        });
      }
      for (Map.Entry<LocalDate, Map<String, Instant>> date : seen.entrySet()) {
        LocalDate d = date.getKey();
        Map<String, Instant> have = date.getValue();
        if (have.size() < need.getValue().size()) {
          List<String> missing = need.getValue().stream().filter(i -> !have.containsKey(i)).toList();
          Instant since = have.values().stream().min(Instant::compareTo).orElseThrow();
          out.add(new Waiting(source.name(), need.getKey(), d, missing, List.copyOf(have.keySet()), since));
        }
      }
    }
    return out;
  }

  /** The file key that a date has for {@code r}: its date part, written its way. */
  static String key(Source.Resource r, LocalDate date) {
    return FileNamePattern.fill(r.file().key(), Map.of(r.file().datePart(), date.format(DateTimeFormatter.ofPattern(r.file().datePattern()))));
  }

  /** Whether the resource's silver table has rows of the file key: one key looked up, on every load. */
  private boolean hasLanded(Source.Resource r, String key) throws IOException {
    TableId table = new TableId(silverDataset, r.silverTable());
    if (warehouse.tableSchema(table).isEmpty()) {
      return false;
    }
    return !warehouse.read("select 1 from " + table.sql() + " where _file_key = @file_key limit 1", Map.of("file_key", key))
        .rows().isEmpty();
  }

  /** Per file key in the resource's silver table, when its rows first landed; empty before the table exists. */
  private Map<String, Instant> landedAt(Source.Resource r) throws IOException {
    TableId table = new TableId(silverDataset, r.silverTable());
    Map<String, Instant> out = new TreeMap<>();
    if (warehouse.tableSchema(table).isEmpty()) {
      return out;
    }
    QueryResult result = warehouse.read("select _file_key, min(_ingested_at) as landed from " + table.sql()
        + " where _file_key is not null group by _file_key");
    for (List<Object> row : result.rows()) {
      out.put((String) row.get(0), (Instant) row.get(1)); // both warehouses read a TIMESTAMP as an Instant
    }
    return out;
  }
}
