package io.medallion.source;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;

/**
 * How incremental cursor values compare, as a resource declares: ISO-8601 timestamps (with or
 * without a fraction, {@code Z} or an offset), numbers, or text. A value that does not parse as
 * declared sorts below every value that does, so a malformed record can never advance a mark.
 */
public final class CursorOrder {

  private CursorOrder() {}

  public static Comparator<String> of(Source.Incremental.Compare compare) {
    return switch (compare) {
      case TIMESTAMP -> Comparator.nullsFirst(Comparator.comparing(CursorOrder::instantOrNull,
          Comparator.nullsFirst(Comparator.naturalOrder())));
      case NUMBER -> Comparator.nullsFirst(Comparator.comparing(CursorOrder::numberOrNull,
          Comparator.nullsFirst(Comparator.naturalOrder())));
      case TEXT -> Comparator.nullsFirst(Comparator.naturalOrder());
    };
  }

  /** The greater of two values (either may be null). */
  public static String max(Source.Incremental.Compare compare, String a, String b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return of(compare).compare(a, b) >= 0 ? a : b;
  }

  private static java.time.Instant instantOrNull(String v) {
    try {
      return OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static BigDecimal numberOrNull(String v) {
    try {
      return new BigDecimal(v.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
