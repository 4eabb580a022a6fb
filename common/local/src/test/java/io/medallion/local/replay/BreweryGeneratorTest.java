package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BreweryGeneratorTest {

  private static final int N = 10_000;
  private static List<GeneratedBrewery> records;
  private static List<JsonObject> parsed;

  @BeforeAll
  static void generate() {
    records = new BreweryGenerator(42).generate(N);
    parsed = new ArrayList<>(N);
    for (GeneratedBrewery b : records) {
      parsed.add(JsonParser.parseString(b.json()).getAsJsonObject());
    }
  }

  @Test
  void isDeterministicAndPrefixStable() {
    assertEquals(records, new BreweryGenerator(42).generate(N));
    assertEquals(records.subList(0, 777), new BreweryGenerator(42).generate(777));
    assertNotEquals(records.subList(0, 100), new BreweryGenerator(43).generate(100));
    assertEquals(List.of(), new BreweryGenerator(42).generate(0));
  }

  /** An independent reading of the silver rules in the class Javadoc agrees with every record. */
  @Test
  void everyExpectationFollowsTheSilverRules() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < N; i++) {
      assertEquals(
          records.get(i).expected(), Silver.apply(parsed.get(i), seen), records.get(i).json());
    }
  }

  @Test
  void recordsLookLikeTheApis() {
    for (int i = 0; i < N; i++) {
      JsonObject o = parsed.get(i);
      List<String> keys = new ArrayList<>(o.keySet());
      if (!o.has("id")) {
        keys.add(0, "id");
      }
      assertEquals(BreweryGenerator.API_FIELDS, keys);
      assertEquals(o.get("state_province"), o.get("state"));
      assertEquals(o.get("address_1"), o.get("street"));
      String json = records.get(i).json();
      assertTrue(json.startsWith("{") && !json.contains("\n") && !json.contains("\": "), json);
      if (records.get(i).expected() instanceof Expected.Clean c) {
        assertTrue(
            c.breweryId()
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
            c.breweryId());
      }
    }
  }

  @Test
  void onePercentIsInvalidCoveringEveryReason() {
    Map<RejectReason, Integer> reasons = new EnumMap<>(RejectReason.class);
    Set<String> fields = new HashSet<>();
    for (GeneratedBrewery b : records) {
      if (b.expected() instanceof Expected.Reject r) {
        reasons.merge(r.reason(), 1, Integer::sum);
        fields.add(r.reason() + ":" + r.field());
      }
    }
    assertEquals(EnumSet.allOf(RejectReason.class), reasons.keySet());
    assertEquals(N / 100, reasons.values().stream().mapToInt(Integer::intValue).sum());
    for (String f :
        List.of(
            "MISSING_REQUIRED:id",
            "MISSING_REQUIRED:name",
            "NOT_A_NUMBER:latitude",
            "NOT_A_NUMBER:longitude",
            "OUT_OF_RANGE:latitude",
            "OUT_OF_RANGE:longitude",
            "WRONG_TYPE:address_1",
            "WRONG_TYPE:city",
            "WRONG_TYPE:phone",
            "WRONG_TYPE:postal_code",
            "DUPLICATE_KEY:id")) {
      assertTrue(fields.contains(f), f + " in " + fields);
    }
    // Every reason within five blocks of 100, so small runs see them all too, whatever the seed.
    for (long seed = -2; seed <= 2; seed++) {
      Set<RejectReason> first500 = EnumSet.noneOf(RejectReason.class);
      for (GeneratedBrewery b : new BreweryGenerator(seed).generate(500)) {
        if (b.expected() instanceof Expected.Reject r) {
          first500.add(r.reason());
        }
      }
      assertEquals(EnumSet.allOf(RejectReason.class), first500, "seed " + seed);
    }
  }

  @Test
  void theMessIsThereInRoughlyTheRealShares() {
    assertShare("United States", 0.66, 0.74, o -> str(o, "country").equals("United States"));
    assertShare("no coordinates", 0.17, 0.23, o -> isNullOrEmpty(o.get("latitude")));
    assertShare("coordinates as strings", 0.12, 0.18, o -> nonEmptyString(o.get("longitude")));
    assertShare("postal_code as a number", 0.03, 0.07, o -> isNumber(o.get("postal_code")));
    assertShare("empty optional strings", 0.06, 0.10, BreweryGeneratorTest::hasEmptyOptional);
    assertShare("odd-case types", 0.03, 0.08, o -> oddType(o) && documented(o));
    assertShare(
        "undocumented types",
        0.01,
        0.03,
        o -> !documented(o) && !isNullOrEmpty(o.get("brewery_type")));
    assertShare(
        "closed", 0.02, 0.04, o -> str(o, "brewery_type").trim().equalsIgnoreCase("closed"));
    assertShare("websites", 0.55, 0.65, o -> !isNullOrEmpty(o.get("website_url")));
    assertShare("non-ASCII names", 0.05, 0.30, o -> !str(o, "name").matches("\\p{ASCII}*"));
    assertShare("phones as numbers", 0.0005, 0.02, o -> isNumber(o.get("phone")));
    assertShare(
        "booleans",
        0.0003,
        0.01,
        o -> o.get("address_3") instanceof JsonPrimitive p && p.isBoolean());
    assertShare(
        "padded strings",
        0.01,
        0.05,
        o -> padded(o, "name") || padded(o, "city") || padded(o, "address_1"));

    Map<String, Integer> countries = new TreeMap<>();
    parsed.forEach(o -> countries.merge(str(o, "country"), 1, Integer::sum));
    for (String c :
        List.of(
            "Germany",
            "Belgium",
            "Ireland",
            "England",
            "Scotland",
            "Austria",
            "Poland",
            "Portugal",
            "South Korea",
            "France",
            "Isle of Man",
            "Singapore",
            "Australia",
            "Canada")) {
      assertTrue(countries.containsKey(c), c + " missing from " + countries);
    }
    String all = String.join("\n", records.stream().map(GeneratedBrewery::json).toList());
    for (String s :
        List.of(
            "\"longitude\":\"NaN\"",
            "\"latitude\":\"50,241246\"",
            "\"id\":\"  ",
            "’t Drankorgel",
            "Friesener Straße",
            "Kraków",
            "서울",
            "🍻",
            "\\\"Zum Anker\\\"")) {
      assertTrue(all.contains(s), s);
    }
  }

  private static void assertShare(String what, double min, double max, Predicate<JsonObject> p) {
    double share = parsed.stream().filter(p).count() / (double) N;
    assertTrue(
        share >= min && share <= max, what + ": " + share + " not in [" + min + ", " + max + "]");
  }

  private static String str(JsonObject o, String field) {
    JsonElement e = o.get(field);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  private static boolean isNullOrEmpty(JsonElement e) {
    return e == null || e.isJsonNull() || (e.isJsonPrimitive() && e.getAsString().isBlank());
  }

  private static boolean nonEmptyString(JsonElement e) {
    return e instanceof JsonPrimitive p && p.isString() && !p.getAsString().isBlank();
  }

  private static boolean isNumber(JsonElement e) {
    return e instanceof JsonPrimitive p && p.isNumber();
  }

  private static boolean hasEmptyOptional(JsonObject o) {
    return List.of(
            "address_1", "address_2", "address_3", "city", "postal_code", "phone", "website_url")
        .stream()
        .anyMatch(
            f -> o.get(f) instanceof JsonPrimitive p && p.isString() && p.getAsString().isBlank());
  }

  private static boolean oddType(JsonObject o) {
    String t = str(o, "brewery_type");
    return !t.equals(t.trim().toLowerCase(Locale.ROOT));
  }

  private static boolean documented(JsonObject o) {
    return BreweryGenerator.DOCUMENTED_TYPES.contains(
        str(o, "brewery_type").trim().toLowerCase(Locale.ROOT));
  }

  private static boolean padded(JsonObject o, String field) {
    String s = str(o, field);
    return !s.isBlank() && !s.equals(s.trim());
  }

  /** The silver rules, written again from the contract alone. */
  static final class Silver {
    private static final List<String> STRINGS =
        List.of(
            "id",
            "name",
            "brewery_type",
            "address_1",
            "address_2",
            "address_3",
            "city",
            "state_province",
            "postal_code",
            "country",
            "phone",
            "website_url");

    static Expected apply(JsonObject o, Set<String> seen) {
      Map<String, String> v = new TreeMap<>();
      for (String f : STRINGS) {
        JsonElement e = o.get(f);
        if (e != null && (e.isJsonObject() || e.isJsonArray())) {
          return new Expected.Reject(RejectReason.WRONG_TYPE, f);
        }
        // Gson keeps a number's text as written, and a boolean's is true or false.
        String s = e == null || e.isJsonNull() ? null : e.getAsString().trim();
        v.put(f, s == null || s.isEmpty() ? null : s);
      }
      for (String f : List.of("id", "name")) {
        if (v.get(f) == null) {
          return new Expected.Reject(RejectReason.MISSING_REQUIRED, f);
        }
      }
      Double[] coords = new Double[2];
      String[] names = {"longitude", "latitude"};
      for (int k = 0; k < 2; k++) {
        JsonElement e = o.get(names[k]);
        if (e == null || e.isJsonNull()) {
          continue;
        }
        String s = e.getAsString().trim();
        if (s.isEmpty()) {
          continue;
        }
        if (!s.matches("-?\\d+(\\.\\d+)?")) {
          return new Expected.Reject(RejectReason.NOT_A_NUMBER, names[k]);
        }
        coords[k] = Double.parseDouble(s);
        if (Math.abs(coords[k]) > (k == 0 ? 180 : 90)) {
          return new Expected.Reject(RejectReason.OUT_OF_RANGE, names[k]);
        }
      }
      if (!seen.add(v.get("id"))) {
        return new Expected.Reject(RejectReason.DUPLICATE_KEY, "id");
      }
      String type = v.get("brewery_type");
      return new Expected.Clean(
          v.get("id"),
          v.get("name"),
          type == null ? null : type.toLowerCase(Locale.ROOT),
          v.get("address_1"),
          v.get("address_2"),
          v.get("address_3"),
          v.get("city"),
          v.get("state_province"),
          v.get("postal_code"),
          v.get("country"),
          v.get("phone"),
          v.get("website_url"),
          coords[0],
          coords[1]);
    }
  }
}
