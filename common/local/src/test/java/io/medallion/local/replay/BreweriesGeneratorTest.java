package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.medallion.source.SourceRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The breweries generator spec makes records as realistic as the Java generator it replaced did:
 * the same shares of mess, the same defect cycle, determinism and prefix stability, and
 * expectations an independent reading of the silver rules agrees with.
 */
class BreweriesGeneratorTest {

  /** The brewery types the API documents. */
  static final List<String> DOCUMENTED_TYPES = List.of("micro", "nano", "regional", "brewpub", "large", "planning",
      "bar", "contract", "proprietor", "closed", "taproom", "location", "beergarden");

  /** The API's field order; {@code state} and {@code street} repeat two of the others. */
  static final List<String> API_FIELDS = List.of("id", "name", "brewery_type", "address_1", "address_2", "address_3",
      "city", "state_province", "postal_code", "country", "longitude", "latitude", "phone", "website_url", "state",
      "street");

  static final Set<String> REASONS = Set.of("MISSING_REQUIRED", "WRONG_TYPE", "NOT_A_NUMBER", "OUT_OF_RANGE",
      "DUPLICATE_KEY");


  private static final int N = 10_000;
  private static RecordGenerator generator;
  private static List<GeneratedRecord> records;
  private static List<JsonObject> parsed;

  private static List<GeneratedRecord> generate(long seed, int n) {
    return generator.generate(n, seed).first();
  }

  @BeforeAll
  static void generate() throws Exception {
    generator = RecordGenerator.forSource(SourceRegistry.standard().find("breweries").orElseThrow());
    records = generate(42, N);
    parsed = new ArrayList<>(N);
    for (GeneratedRecord b : records) {
      parsed.add(JsonParser.parseString(b.json()).getAsJsonObject());
    }
  }

  @Test
  void isDeterministicAndPrefixStable() {
    assertEquals(records, generate(42, N));
    assertEquals(records.subList(0, 777), generate(42, 777));
    assertNotEquals(records.subList(0, 100), generate(43, 100));
    assertEquals(List.of(), generate(42, 0));
  }

  /** An independent reading of the silver rules (README "Silver rules") agrees with every record. */
  @Test
  void everyExpectationFollowsTheSilverRules() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < N; i++) {
      assertEquals(
          canonical(records.get(i).expected()), Silver.apply(parsed.get(i), seen), records.get(i).json());
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
      assertEquals(API_FIELDS, keys);
      assertEquals(o.get("state_province"), o.get("state"));
      assertEquals(o.get("address_1"), o.get("street"));
      String json = records.get(i).json();
      assertTrue(json.startsWith("{") && !json.contains("\n") && !json.contains("\": "), json);
      if (records.get(i).expected() instanceof Expected.Clean c) {
        assertTrue(
            c.string("brewery_id")
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
            c.string("brewery_id"));
      }
    }
  }

  @Test
  void onePercentIsInvalidCoveringEveryReason() {
    Map<String, Integer> reasons = new TreeMap<>();
    Set<String> fields = new HashSet<>();
    for (GeneratedRecord b : records) {
      if (b.expected() instanceof Expected.Reject r) {
        reasons.merge(r.reason(), 1, Integer::sum);
        fields.add(r.reason() + ":" + r.field());
      }
    }
    assertEquals(new TreeSet<>(REASONS), reasons.keySet());
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
      Set<String> first500 = new TreeSet<>();
      for (GeneratedRecord b : generate(seed, 500)) {
        if (b.expected() instanceof Expected.Reject r) {
          first500.add(r.reason());
        }
      }
      assertEquals(new TreeSet<>(REASONS), first500, "seed " + seed);
    }
  }

  @Test
  void theMessIsThereInRoughlyTheRealShares() {
    assertShare("United States", 0.66, 0.74, o -> str(o, "country").equals("United States"));
    assertShare("no coordinates", 0.17, 0.23, o -> isNullOrEmpty(o.get("latitude")));
    assertShare("coordinates as strings", 0.12, 0.18, o -> nonEmptyString(o.get("longitude")));
    assertShare("postal_code as a number", 0.03, 0.07, o -> isNumber(o.get("postal_code")));
    assertShare("empty optional strings", 0.06, 0.10, BreweriesGeneratorTest::hasEmptyOptional);
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
    String all = String.join("\n", records.stream().map(GeneratedRecord::json).toList());
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

  /** An expectation as the line the independent reading writes. */
  static String canonical(Expected e) {
    if (e instanceof Expected.Reject r) {
      return "reject|" + r.reason() + "|" + r.field();
    }
    StringBuilder b = new StringBuilder("clean");
    ((Expected.Clean) e).row().forEach((k, v) -> b.append('|').append(k).append('=').append(v));
    return b.toString();
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
    return DOCUMENTED_TYPES.contains(
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

    static String apply(JsonObject o, Set<String> seen) {
      Map<String, String> v = new TreeMap<>();
      for (String f : STRINGS) {
        JsonElement e = o.get(f);
        if (e != null && (e.isJsonObject() || e.isJsonArray())) {
          return "reject|WRONG_TYPE|" + f;
        }
        // Gson keeps a number's text as written, and a boolean's is true or false.
        String s = e == null || e.isJsonNull() ? null : e.getAsString().trim();
        v.put(f, s == null || s.isEmpty() ? null : s);
      }
      for (String f : List.of("id", "name")) {
        if (v.get(f) == null) {
          return "reject|MISSING_REQUIRED|" + f;
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
          return "reject|NOT_A_NUMBER|" + names[k];
        }
        coords[k] = Double.parseDouble(s);
        if (Math.abs(coords[k]) > (k == 0 ? 180 : 90)) {
          return "reject|OUT_OF_RANGE|" + names[k];
        }
      }
      if (!seen.add(v.get("id"))) {
        return "reject|DUPLICATE_KEY|id";
      }
      String type = v.get("brewery_type");
      return "clean|brewery_id=" + v.get("id") + "|name=" + v.get("name") + "|brewery_type="
          + (type == null ? null : type.toLowerCase(Locale.ROOT)) + "|address_1=" + v.get("address_1")
          + "|address_2=" + v.get("address_2") + "|address_3=" + v.get("address_3") + "|city=" + v.get("city")
          + "|state_province=" + v.get("state_province") + "|postal_code=" + v.get("postal_code") + "|country="
          + v.get("country") + "|phone=" + v.get("phone") + "|website_url=" + v.get("website_url") + "|longitude="
          + coords[0] + "|latitude=" + coords[1];
    }
  }
}
