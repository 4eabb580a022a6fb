package io.medallion.local.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One meter's value as a row: what {@code ./medallion run} prints and {@code ./medallion status}
 * reads back. A counter has only {@code count}; a timer has its count, total and max in seconds.
 *
 * @param tags {@code key=value} pairs sorted by key, comma-separated
 */
public record MeterRow(String meter, String tags, double count, Double totalSeconds, Double maxSeconds) {

  /** Every counter and timer of {@code registry}, by name then tags. */
  public static List<MeterRow> snapshot(MeterRegistry registry) {
    List<MeterRow> rows = new ArrayList<>();
    for (Meter m : registry.getMeters()) {
      String tags = m.getId().getTags().stream()
          .sorted(Comparator.comparing(Tag::getKey))
          .map(t -> t.getKey() + "=" + t.getValue())
          .collect(Collectors.joining(","));
      if (m instanceof Counter c) {
        rows.add(new MeterRow(m.getId().getName(), tags, c.count(), null, null));
      } else if (m instanceof Timer t) {
        rows.add(new MeterRow(m.getId().getName(), tags, t.count(), t.totalTime(TimeUnit.MILLISECONDS) / 1000.0,
            t.max(TimeUnit.MILLISECONDS) / 1000.0));
      }
    }
    rows.sort(Comparator.comparing(MeterRow::meter).thenComparing(MeterRow::tags));
    return rows;
  }

  public boolean isTimer() {
    return totalSeconds != null;
  }
}
