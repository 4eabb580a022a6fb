package io.medallion.local.replay;

import io.medallion.local.replay.JsonValues.Num;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.Normalizer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One value generator of a generator spec, compiled: {@link #next} draws from the record's random
 * stream in a fixed order (documented per kind in this package's README), so the same seed gives
 * the same values.
 */
interface Gen {

  Object next(Draw d);

  /** A constant. */
  record Const(Object value) implements Gen {
    @Override
    public Object next(Draw d) {
      return value;
    }
  }

  /** {@code $let.path}: a value bound earlier in the record. */
  record LetRef(int slot, String[] path) implements Gen {
    @Override
    public Object next(Draw d) {
      Object v = d.lets[slot];
      return path.length == 0 ? v : absentAsNull(JsonValues.at(v, path));
    }
  }

  /** {@code $field}: what silver makes of a field generated earlier (or, with a path, the value inside it). */
  record FieldRef(int slot, String field, String[] path) implements Gen {
    @Override
    public Object next(Draw d) {
      Object raw = d.raw[slot];
      if (path.length > 0) {
        return absentAsNull(JsonValues.at(raw, path));
      }
      return d.plan.reading == null ? absentAsNull(raw) : d.plan.reading.value(field, raw);
    }
  }

  /** {@code $this}: what silver makes of the field a mess rule acts on. */
  record ThisRef() implements Gen {
    @Override
    public Object next(Draw d) {
      String field = d.plan.fields[d.thisSlot];
      Object raw = d.raw[d.thisSlot];
      return d.plan.reading == null ? absentAsNull(raw) : d.plan.reading.value(field, raw);
    }
  }

  /** {@code $parent.path}: a value of the parent record, as it was sent. */
  record ParentRef(String[] path) implements Gen {
    @Override
    public Object next(Draw d) {
      return d.parent == null ? null : absentAsNull(JsonValues.at(d.parent, path));
    }
  }

  /** {@code $index}: the record's position in its resource, from 0. */
  record Index() implements Gen {
    @Override
    public Object next(Draw d) {
      return Num.of(d.index);
    }
  }

  /** {@code {"raw": field}}: the field's value as it stands now, as it would be sent. */
  record Raw(int slot) implements Gen {
    @Override
    public Object next(Draw d) {
      return d.raw[slot];
    }
  }

  /** {@code {"earlier": field}}: what silver made of that field of a random earlier clean record. */
  record Earlier(int slot, String field) implements Gen {
    @Override
    public Object next(Draw d) {
      List<Object[]> pool = d.run.cleanRaw;
      if (pool.isEmpty()) {
        throw new IllegalStateException("{\"earlier\": \"" + field + "\"} at record " + d.index
            + ": no earlier clean record yet");
      }
      Object raw = pool.get(d.r.nextInt(pool.size()))[slot];
      return d.plan.reading == null ? absentAsNull(raw) : d.plan.reading.value(field, raw);
    }
  }

  /** {@code {"pick": [...]}}: one of the listed generators, uniformly; only the picked one draws. */
  record PickOf(Gen[] options) implements Gen {
    @Override
    public Object next(Draw d) {
      return options[d.r.nextInt(options.length)].next(d);
    }
  }

  /** {@code {"pick": "$list"}}: an element of a list, uniformly; an empty list gives null without a draw. */
  record PickFrom(Gen list) implements Gen {
    @Override
    public Object next(Draw d) {
      List<?> values = listOf(list.next(d));
      return values.isEmpty() ? null : values.get(d.r.nextInt(values.size()));
    }
  }

  /** {@code {"weighted": ..., "weights": [...]}} or {@code "weight": "<row field>"} (missing: 1). */
  final class Weighted implements Gen {
    private final Gen list;
    private final double[] weights;
    private final String weightField;
    // The lists are constants of the reference data (a country's regions): each one's weights are
    // read once. Replaced whole on a miss, so that reads need no lock.
    private volatile Map<List<?>, double[]> byList = new java.util.IdentityHashMap<>();

    Weighted(Gen list, double[] weights, String weightField) {
      this.list = list;
      this.weights = weights;
      this.weightField = weightField;
    }

    @Override
    public Object next(Draw d) {
      List<?> values = listOf(list.next(d));
      double[] w = weightsOf(values);
      double total = 0;
      for (double x : w) {
        total += x;
      }
      double x = d.r.nextDouble() * total;
      for (int i = 0; i < w.length; i++) {
        x -= w[i];
        if (x < 0) {
          return values.get(i);
        }
      }
      return values.get(values.size() - 1);
    }

    private double[] weightsOf(List<?> values) {
      if (weights != null) {
        if (weights.length != values.size()) {
          throw new IllegalStateException("weighted: " + values.size() + " values but " + weights.length + " weights");
        }
        return weights;
      }
      double[] w = byList.get(values);
      if (w == null) {
        w = new double[values.size()];
        for (int i = 0; i < w.length; i++) {
          Object v = values.get(i) instanceof Map<?, ?> row ? row.get(weightField) : null;
          w[i] = v == null ? 1 : Double.parseDouble(JsonValues.scalarText(v));
        }
        Map<List<?>, double[]> more = new java.util.IdentityHashMap<>(byList);
        more.put(values, w);
        byList = more;
      }
      return w;
    }
  }

  /** {@code {"find": "$rows", "where": {...}}}: the first row whose fields equal the given ones. */
  record Find(Gen list, Map<String, Object> where) implements Gen {
    @Override
    public Object next(Draw d) {
      for (Object row : listOf(list.next(d))) {
        if (row instanceof Map<?, ?> m && where.entrySet().stream().allMatch(e -> Objects.equals(m.get(e.getKey()), e.getValue()))) {
          return row;
        }
      }
      return null;
    }
  }

  /** {@code {"cases": [{"p": .., "value": ..}], "else": ..}}: one draw picks a case by cumulative share. */
  record Cases(double[] below, Gen[] values, Gen otherwise) implements Gen {
    @Override
    public Object next(Draw d) {
      double x = d.r.nextDouble();
      for (int i = 0; i < below.length; i++) {
        if (x < below[i]) {
          return values[i].next(d);
        }
      }
      return otherwise.next(d);
    }
  }

  /** {@code {"if": cond, "then": .., "else": ..}}. */
  record If(Cond cond, Gen then, Gen otherwise) implements Gen {
    @Override
    public Object next(Draw d) {
      return cond.test(d) ? then.next(d) : otherwise.next(d);
    }
  }

  /** {@code {"integer": [min, max]}}, both included. */
  record IntRange(long min, long max) implements Gen {
    @Override
    public Object next(Draw d) {
      if (min >= Integer.MIN_VALUE && max < Integer.MAX_VALUE) {
        return Num.of(d.r.nextInt((int) min, (int) max + 1));
      }
      return Num.of(d.r.nextLong(min, max + 1));
    }
  }

  /**
   * {@code {"decimal": {"around": c, "spread": s}}} ({@code c + (u*2-1)*s}) or {@code {"min", "max"}}
   * ({@code min + u*(max-min)}), then rounded to a scale drawn from {@code scale} and written without
   * trailing zeros.
   */
  record Decimal(Gen around, double spread, double min, double max, int scaleMin, int scaleMax) implements Gen {
    @Override
    public Object next(Draw d) {
      double value;
      if (around != null) {
        double centre = number(around.next(d));
        value = centre + (d.r.nextDouble() * 2 - 1) * spread;
      } else {
        value = min + d.r.nextDouble() * (max - min);
      }
      int scale = scaleMin == scaleMax ? scaleMin : d.r.nextInt(scaleMin, scaleMax + 1);
      return new Num(BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
    }
  }

  /** {@code {"boolean": {}}}: a fair coin. */
  record Coin() implements Gen {
    @Override
    public Object next(Draw d) {
      return d.r.nextBoolean();
    }
  }

  /** {@code {"uuid": {}}}: a version-4 UUID from two draws; {@code unique} draws again on a repeat. */
  record Uuid(boolean unique, int uniqueSet) implements Gen {
    @Override
    public Object next(Draw d) {
      Set<String> seen = unique ? d.run.unique(uniqueSet) : null;
      String id;
      do {
        id = new UUID((d.r.nextLong() & ~0xF000L) | 0x4000L, (d.r.nextLong() & ~(3L << 62)) | (1L << 63)).toString();
      } while (seen != null && !seen.add(id));
      return id;
    }
  }

  /** {@code {"chars": {"length": n, "alphabet": "..."}}}; {@code unique} draws again on a repeat. */
  record Chars(int length, String alphabet, boolean unique, int uniqueSet) implements Gen {
    @Override
    public Object next(Draw d) {
      Set<String> seen = unique ? d.run.unique(uniqueSet) : null;
      String s;
      do {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
          out[i] = alphabet.charAt(d.r.nextInt(alphabet.length()));
        }
        s = new String(out);
      } while (seen != null && !seen.add(s));
      return s;
    }
  }

  /** {@code {"pattern": G}}: # a digit, N a digit 2-9, A a letter A-Z; anything else as it is. */
  record Fill(Gen pattern) implements Gen {
    @Override
    public Object next(Draw d) {
      String p = JsonValues.scalarText(pattern.next(d));
      if (p == null) {
        return null;
      }
      StringBuilder b = new StringBuilder(p.length());
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        switch (c) {
          case '#' -> b.append((char) ('0' + d.r.nextInt(10)));
          case 'N' -> b.append((char) ('2' + d.r.nextInt(8)));
          case 'A' -> b.append((char) ('A' + d.r.nextInt(26)));
          default -> b.append(c);
        }
      }
      return b.toString();
    }
  }

  /** {@code {"replace": G, "token": "#", "with": G}}: every token replaced by one value. */
  record Replace(Gen in, String token, Gen with) implements Gen {
    @Override
    public Object next(Draw d) {
      String s = JsonValues.scalarText(in.next(d));
      String w = JsonValues.scalarText(with.next(d));
      return s == null ? null : s.replace(token, w == null ? "" : w);
    }
  }

  /** {@code {"concat": [...], "separator": ""}}: the texts of the parts that are not null. */
  record Concat(Gen[] parts, String separator) implements Gen {
    @Override
    public Object next(Draw d) {
      StringBuilder b = new StringBuilder();
      boolean first = true;
      for (Gen part : parts) {
        String s = JsonValues.scalarText(part.next(d));
        if (s == null) {
          continue;
        }
        if (!first) {
          b.append(separator);
        }
        b.append(s);
        first = false;
      }
      return b.toString();
    }
  }

  /** {@code {"words": {"from": list, "count": [min, max]}}}: that many picks joined by spaces. */
  record Words(Gen list, int min, int max) implements Gen {
    @Override
    public Object next(Draw d) {
      List<?> values = listOf(list.next(d));
      int n = min == max ? min : d.r.nextInt(min, max + 1);
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < n && !values.isEmpty(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        b.append(JsonValues.scalarText(values.get(d.r.nextInt(values.size()))));
      }
      return b.toString();
    }
  }

  /** A text transformation without draws: slug, lower, upper, capitalize, text, number. */
  record Transform(String kind, Gen of) implements Gen {
    @Override
    public Object next(Draw d) {
      Object v = of.next(d);
      String s = JsonValues.scalarText(v);
      if (s == null) {
        return null;
      }
      return switch (kind) {
        case "slug" -> NOT_SLUG.matcher(Normalizer.normalize(s, Normalizer.Form.NFD).toLowerCase(Locale.ROOT)).replaceAll("");
        case "lower" -> s.toLowerCase(Locale.ROOT);
        case "upper" -> s.toUpperCase(Locale.ROOT);
        case "capitalize" -> s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
        case "text" -> s;
        case "number" -> new Num(s);
        default -> throw new IllegalStateException(kind);
      };
    }
  }

  /** What a slug drops: anything but a-z and 0-9 (after accents are split off). */
  Pattern NOT_SLUG = Pattern.compile("[^a-z0-9]");

  /**
   * {@code {"odd_case": G}}: one of four spellings a person types: UPPER, Capitalised with a
   * trailing space, a leading space, or Capitalised with two trailing spaces.
   */
  record OddCase(Gen of) implements Gen {
    @Override
    public Object next(Draw d) {
      String s = JsonValues.scalarText(of.next(d));
      if (s == null || s.isEmpty()) {
        return s;
      }
      return switch (d.r.nextInt(4)) {
        case 0 -> s.toUpperCase(Locale.ROOT);
        case 1 -> s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1) + " ";
        case 2 -> " " + s;
        default -> s.toUpperCase(Locale.ROOT).charAt(0) + s.substring(1) + "  ";
      };
    }
  }

  /** {@code {"coalesce": [...]}}: the first part that is neither null nor the empty string; later parts do not draw. */
  record Coalesce(Gen[] parts) implements Gen {
    @Override
    public Object next(Draw d) {
      for (Gen part : parts) {
        Object v = part.next(d);
        if (v != null && v != JsonValues.ABSENT && !"".equals(v)) {
          return v;
        }
      }
      return null;
    }
  }

  /** {@code {"object": {...}}}: the fields in order. */
  record ObjectOf(String[] names, Gen[] values) implements Gen {
    @Override
    public Object next(Draw d) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        out.put(names[i], values[i].next(d));
      }
      return out;
    }
  }

  /** {@code {"array": G, "count": [min, max]}} (the count drawn first) or {@code {"array": [G, ...]}}. */
  record ArrayOf(Gen element, int min, int max, Gen[] fixed) implements Gen {
    @Override
    public Object next(Draw d) {
      List<Object> out = new ArrayList<>();
      if (fixed != null) {
        for (Gen g : fixed) {
          out.add(g.next(d));
        }
        return out;
      }
      int n = min == max ? min : d.r.nextInt(min, max + 1);
      for (int i = 0; i < n; i++) {
        out.add(element.next(d));
      }
      return out;
    }
  }

  /** {@code {"sequence": {"start": s, "step": t}}}: {@code s + index * t}, no draw. */
  record Sequence(long start, long step) implements Gen {
    @Override
    public Object next(Draw d) {
      return Num.of(start + d.index * step);
    }
  }

  /**
   * {@code {"timestamp": {"start", "step", "jitter"}}} ({@code start + index*step + u*jitter}) or
   * {@code {"between": [a, b]}}, as ISO-8601 text ({@code "format": "date"} for the date alone).
   */
  record Timestamp(long startSecond, long stepSeconds, long jitterSeconds, long endSecond, boolean between,
      boolean dateOnly, ZoneOffset offset) implements Gen {
    @Override
    public Object next(Draw d) {
      long s;
      if (between) {
        s = startSecond + d.r.nextLong(endSecond - startSecond + 1);
      } else {
        s = startSecond + d.index * stepSeconds + (jitterSeconds > 0 ? d.r.nextLong(jitterSeconds) : 0);
      }
      return written(Instant.ofEpochSecond(s), dateOnly, offset);
    }
  }

  /**
   * {@code {"timestamp": {"after": G, "within": [d1, d2]}}} (or {@code "before"}): G's time (ISO-8601
   * text, or what silver made of a TIMESTAMP or DATE field) moved by a whole number of seconds drawn
   * uniformly from [d1, d2], as ISO-8601; null when G is null. One {@code nextLong} when G is not null.
   */
  record Relative(Gen base, boolean before, long shortestSeconds, long longestSeconds, boolean dateOnly,
      ZoneOffset offset) implements Gen {
    @Override
    public Object next(Draw d) {
      Object v = base.next(d);
      Instant from;
      if (v == null || v == JsonValues.ABSENT) {
        return null;
      } else if (v instanceof Instant i) {
        from = i;
      } else if (v instanceof java.time.LocalDate day) {
        from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
      } else if (v instanceof String s) {
        try {
          from = java.time.OffsetDateTime.parse(s.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
          throw new IllegalStateException("timestamp " + (before ? "before" : "after") + " '" + s
              + "' at record " + d.index + ": not an ISO-8601 time with a zone");
        }
      } else {
        throw new IllegalStateException("timestamp " + (before ? "before" : "after") + " a " + JsonValues.kind(v)
            + " at record " + d.index + ": expected a time");
      }
      long seconds = d.r.nextLong(shortestSeconds, longestSeconds + 1);
      return written(before ? from.minusSeconds(seconds) : from.plusSeconds(seconds), dateOnly, offset);
    }
  }

  /** ISO-8601 with seconds and the offset ({@code 2024-03-05T14:07:00-03:00}). */
  java.time.format.DateTimeFormatter WITH_OFFSET = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  /**
   * A time as a timestamp generator writes it: UTC as {@link Instant#toString} ({@code ...Z}), or
   * at a declared offset with seconds always written; the day alone (at that offset) for {@code
   * "format": "date"}.
   */
  private static String written(Instant t, boolean dateOnly, ZoneOffset offset) {
    java.time.OffsetDateTime at = t.atOffset(offset == null ? ZoneOffset.UTC : offset);
    if (dateOnly) {
      return at.toLocalDate().toString();
    }
    return offset == null ? t.toString() : WITH_OFFSET.format(at);
  }

  /**
   * {@code {"fixed": {"min": "0.01", "max": "999.99", "scale": 2}}}: a decimal with exactly
   * {@code scale} digits after the point, uniform over that grid between min and max (both
   * included; numbers, decimal strings, or references such as a product's price range), drawn as a
   * whole number of its smallest unit: no binary floating point on the way, so {@code 12.50} is
   * written {@code 12.50}. One {@code nextLong}.
   */
  record Fixed(Gen min, Gen max, int scale) implements Gen {
    @Override
    public Object next(Draw d) {
      long lo = units(min.next(d), d);
      long hi = units(max.next(d), d);
      if (hi < lo) {
        throw new IllegalStateException("fixed at record " + d.index + ": max is less than min");
      }
      long units = lo == hi ? lo : d.r.nextLong(lo, hi + 1);
      return new Num(BigDecimal.valueOf(units, scale).toPlainString());
    }

    private long units(Object bound, Draw d) {
      BigDecimal b = decimal(bound, "fixed", d);
      if (b == null) {
        throw new IllegalStateException("fixed at record " + d.index + ": a bound is null");
      }
      try {
        return b.setScale(scale).unscaledValue().longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalStateException("fixed at record " + d.index + ": bound " + b.toPlainString() + " has more than "
            + scale + " digits after the point");
      }
    }
  }

  /**
   * {@code {"add" | "subtract" | "multiply": [G, ...]}}: exact decimal arithmetic on numbers or
   * decimal strings (a product keeps every digit: round it with {@code round}); null when a part is
   * null. No draws of its own.
   */
  record Arithmetic(String op, Gen[] parts) implements Gen {
    @Override
    public Object next(Draw d) {
      BigDecimal result = null;
      for (Gen part : parts) {
        BigDecimal x = decimal(part.next(d), op, d);
        if (x == null) {
          return null;
        }
        result = result == null ? x : switch (op) {
          case "add" -> result.add(x);
          case "subtract" -> result.subtract(x);
          case "multiply" -> result.multiply(x);
          default -> throw new IllegalStateException(op);
        };
      }
      return new Num(result.toPlainString());
    }
  }

  /**
   * {@code {"quotient": [G, G]}} and {@code {"remainder": [G, G]}}: whole-number division rounded
   * toward negative infinity and what is left (never negative for a positive divisor), so a record's
   * {@code $index} can say which day and which row of a grid it is; null when a part is null.
   */
  record Division(boolean remainder, Gen dividend, Gen divisor) implements Gen {
    @Override
    public Object next(Draw d) {
      String kind = remainder ? "remainder" : "quotient";
      BigDecimal a = decimal(dividend.next(d), kind, d);
      BigDecimal b = decimal(divisor.next(d), kind, d);
      if (a == null || b == null) {
        return null;
      }
      long x;
      long y;
      try {
        x = a.longValueExact();
        y = b.longValueExact();
      } catch (ArithmeticException notWhole) {
        throw new IllegalStateException(kind + " of " + a + " and " + b + " at record " + d.index + ": whole numbers only");
      }
      if (y == 0) {
        throw new IllegalStateException(kind + " by 0 at record " + d.index);
      }
      return JsonValues.Num.of(remainder ? Math.floorMod(x, y) : Math.floorDiv(x, y));
    }
  }

  /**
   * {@code {"at": "$list", "index": G}}: the element at a position from 0 (a grid's row for the
   * record's place in it); an index outside the list fails generation, naming it.
   */
  record At(Gen list, Gen index) implements Gen {
    @Override
    public Object next(Draw d) {
      List<?> l = listOf(list.next(d));
      BigDecimal i = decimal(index.next(d), "at", d);
      if (i == null) {
        return null;
      }
      int k;
      try {
        k = i.intValueExact();
      } catch (ArithmeticException notWhole) {
        k = -1;
      }
      if (k < 0 || k >= l.size()) {
        throw new IllegalStateException("at index " + i + " of a list of " + l.size() + " at record " + d.index);
      }
      return l.get(k);
    }
  }

  /**
   * {@code {"round": G, "scale": 2, "mode": "half_even"}}: G to {@code scale} digits after the
   * point, written with all of them ({@code 3.10}); half-even unless another mode is named.
   */
  record Round(Gen of, int scale, RoundingMode mode) implements Gen {
    @Override
    public Object next(Draw d) {
      BigDecimal x = decimal(of.next(d), "round", d);
      return x == null ? null : new Num(x.setScale(scale, mode).toPlainString());
    }
  }

  /**
   * {@code {"sum": "$list", "of": "path"}}: the exact sum of a list's numbers, or of the value at a
   * dot path inside each element ({@code "of": "taxes.icms.amount"}); an element whose value is null
   * adds nothing; an empty list sums to 0 at the given {@code scale} (when given). No draws.
   */
  record Sum(Gen list, String[] path, int scale) implements Gen {
    @Override
    public Object next(Draw d) {
      BigDecimal total = scale < 0 ? BigDecimal.ZERO : BigDecimal.ZERO.setScale(scale);
      for (Object element : listOf(list.next(d))) {
        BigDecimal x = decimal(path.length == 0 ? element : absentAsNull(JsonValues.at(element, path)), "sum", d);
        if (x != null) {
          total = total.add(x);
        }
      }
      return new Num(total.toPlainString());
    }
  }

  /**
   * {@code {"check_digits": G, "scheme": "cnpj" | "cpf" | "mod11"}}: G's digits with their check
   * digits appended. {@code cnpj}: 12 digits and two mod-11 digits (weights 2..9 from the right,
   * cycling; 0 when the remainder is below 2, else 11 minus it), as the Receita Federal computes
   * them. {@code cpf}: 9 digits and two (weights 2, 3, ... from the right, same rule). {@code
   * mod11}: any number of digits and one digit, weights 2..9 from the right, cycling (the NF-e
   * access key's cDV, 43 digits in). Null stays null. No draws.
   */
  record CheckDigits(Gen of, String scheme) implements Gen {
    @Override
    public Object next(Draw d) {
      String digits = JsonValues.scalarText(of.next(d));
      if (digits == null) {
        return null;
      }
      int expected = switch (scheme) {
        case "cnpj" -> 12;
        case "cpf" -> 9;
        default -> -1;
      };
      if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.isEmpty()
          || expected > 0 && digits.length() != expected) {
        throw new IllegalStateException("check_digits " + scheme + " of '" + digits + "' at record " + d.index
            + ": expected " + (expected > 0 ? expected + " digits" : "digits"));
      }
      return switch (scheme) {
        case "cnpj" -> {
          String first = digits + mod11(digits, 9);
          yield first + mod11(first, 9);
        }
        case "cpf" -> {
          String first = digits + mod11(digits, Integer.MAX_VALUE);
          yield first + mod11(first, Integer.MAX_VALUE);
        }
        default -> digits + mod11(digits, 9);
      };
    }

    /**
     * The mod-11 check digit of {@code digits}: weights 2, 3, ... from the rightmost digit, back to
     * 2 after {@code maxWeight}; 0 when the remainder is 0 or 1, else 11 minus the remainder.
     */
    static int mod11(String digits, int maxWeight) {
      int sum = 0;
      int weight = 2;
      for (int i = digits.length() - 1; i >= 0; i--) {
        sum += (digits.charAt(i) - '0') * weight;
        weight = weight == maxWeight ? 2 : weight + 1;
      }
      int remainder = sum % 11;
      return remainder < 2 ? 0 : 11 - remainder;
    }
  }

  /** {@code {"pad": G, "width": 9, "with": "0"}}: G's text padded on the left to the width; longer text is an error. */
  record Pad(Gen of, int width, char with) implements Gen {
    @Override
    public Object next(Draw d) {
      String s = JsonValues.scalarText(of.next(d));
      if (s == null) {
        return null;
      }
      if (s.length() > width) {
        throw new IllegalStateException("pad '" + s + "' at record " + d.index + ": longer than " + width);
      }
      return String.valueOf(with).repeat(width - s.length()) + s;
    }
  }

  /**
   * {@code {"format_time": G, "format": "yyMM"}}: G's time (ISO-8601 text with its offset, or what
   * silver made of a TIMESTAMP or DATE field, in UTC) formatted with a {@link
   * java.time.format.DateTimeFormatter} pattern, in G's own offset. Null stays null. No draws.
   */
  record FormatTime(Gen of, java.time.format.DateTimeFormatter pattern) implements Gen {
    @Override
    public Object next(Draw d) {
      Object v = of.next(d);
      if (v == null || v == JsonValues.ABSENT) {
        return null;
      }
      java.time.temporal.TemporalAccessor t;
      if (v instanceof Instant i) {
        t = i.atOffset(ZoneOffset.UTC);
      } else if (v instanceof java.time.LocalDate day) {
        t = day;
      } else {
        try {
          t = java.time.OffsetDateTime.parse(JsonValues.scalarText(v).strip());
        } catch (java.time.format.DateTimeParseException | NullPointerException e) {
          throw new IllegalStateException("format_time of " + v + " at record " + d.index + ": not an ISO-8601 time with a zone");
        }
      }
      return pattern.format(t);
    }
  }

  /**
   * {@code {"map": G, "as": "line", "position": "n", "let": {...}, "to": G}}: one value per element
   * of G's list, made by {@code to} with {@code $line} the element, {@code $n} its position from 1,
   * and the {@code let} values (in order, each seeing the earlier ones) bound for it. The names are
   * let slots visible only inside the map.
   */
  record MapOf(Gen list, int asSlot, int positionSlot, int[] letSlots, Gen[] lets, Gen to) implements Gen {
    @Override
    public Object next(Draw d) {
      List<?> elements = listOf(list.next(d));
      List<Object> out = new ArrayList<>(elements.size());
      for (int i = 0; i < elements.size(); i++) {
        d.lets[asSlot] = elements.get(i);
        if (positionSlot >= 0) {
          d.lets[positionSlot] = Num.of(i + 1);
        }
        for (int j = 0; j < lets.length; j++) {
          d.lets[letSlots[j]] = lets[j].next(d);
        }
        out.add(to.next(d));
      }
      return out;
    }
  }

  /** A number or decimal string as an exact decimal; null for null; anything else an error naming the generator. */
  private static BigDecimal decimal(Object v, String kind, Draw d) {
    if (v == null || v == JsonValues.ABSENT) {
      return null;
    }
    if (v instanceof BigDecimal b) {
      return b;
    }
    String s = JsonValues.scalarText(v);
    if (s == null || v instanceof Boolean || !ContractReading.isDecimal(s.strip())) {
      throw new IllegalStateException(kind + " of " + JsonValues.kind(v) + " " + v + " at record " + d.index
          + ": expected a number");
    }
    return new BigDecimal(s.strip());
  }

  private static Object absentAsNull(Object v) {
    return v == JsonValues.ABSENT ? null : v;
  }

  static List<?> listOf(Object v) {
    if (v == null || v == JsonValues.ABSENT) {
      return List.of();
    }
    if (v instanceof List<?> l) {
      return l;
    }
    throw new IllegalStateException("expected a list, got " + JsonValues.kind(v));
  }

  static double number(Object v) {
    String s = JsonValues.scalarText(v);
    if (s == null) {
      throw new IllegalStateException("expected a number, got " + JsonValues.kind(v));
    }
    return Double.parseDouble(s);
  }

  /** A condition of {@code if}, {@code when} and mess rules; {@code chance} draws, the others do not. */
  interface Cond {
    boolean test(Draw d);

    /** A value that is neither null, absent, false, "" nor an empty list. */
    record Truthy(Gen of) implements Cond {
      @Override
      public boolean test(Draw d) {
        Object v = of.next(d);
        return v != null && v != JsonValues.ABSENT && v != Boolean.FALSE && !"".equals(v)
            && !(v instanceof List<?> l && l.isEmpty());
      }
    }

    record Chance(double p) implements Cond {
      @Override
      public boolean test(Draw d) {
        return d.r.nextDouble() < p;
      }
    }

    record Equals(Gen a, Gen b) implements Cond {
      @Override
      public boolean test(Draw d) {
        return Objects.equals(JsonValues.scalarText(a.next(d)), JsonValues.scalarText(b.next(d)));
      }
    }

    record Matches(Gen of, Pattern regex) implements Cond {
      @Override
      public boolean test(Draw d) {
        String s = JsonValues.scalarText(of.next(d));
        return s != null && regex.matcher(s).matches();
      }
    }

    /** Text shorter than n (null counts as empty). */
    record ShorterThan(Gen of, int length) implements Cond {
      @Override
      public boolean test(Draw d) {
        String s = JsonValues.scalarText(of.next(d));
        return s == null || s.length() < length;
      }
    }

    record In(Gen of, Gen list) implements Cond {
      @Override
      public boolean test(Draw d) {
        String s = JsonValues.scalarText(of.next(d));
        for (Object v : listOf(list.next(d))) {
          if (Objects.equals(s, JsonValues.scalarText(v))) {
            return true;
          }
        }
        return false;
      }
    }

    /** The JSON kind of a value: null, string, number, boolean, object, array or absent. */
    record Is(Gen of, String kind) implements Cond {
      @Override
      public boolean test(Draw d) {
        return JsonValues.kind(of.next(d)).equals(kind);
      }
    }

    record Any(Cond[] of) implements Cond {
      @Override
      public boolean test(Draw d) {
        for (Cond c : of) {
          if (c.test(d)) {
            return true;
          }
        }
        return false;
      }
    }

    record All(Cond[] of) implements Cond {
      @Override
      public boolean test(Draw d) {
        for (Cond c : of) {
          if (!c.test(d)) {
            return false;
          }
        }
        return true;
      }
    }

    record Not(Cond of) implements Cond {
      @Override
      public boolean test(Draw d) {
        return !of.test(d);
      }
    }
  }
}
