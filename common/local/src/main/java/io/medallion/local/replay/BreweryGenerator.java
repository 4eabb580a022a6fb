package io.medallion.local.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Makes Open Brewery DB records as the API serves them, with the real data's mess, together with
 * what the silver layer must make of each. Shares and values follow a real snapshot of the API:
 * about 70% United States, the rest from the snapshot's other countries with their own states,
 * cities, street, phone and postal formats and Unicode names.
 *
 * <p>Deterministic: the same seed gives the same records, and {@code generate(n)} is a prefix of
 * {@code generate(m)} for {@code n < m}, since each record draws from its own random stream.
 *
 * <h2>The silver rules (the contract the expectations follow)</h2>
 *
 * <ul>
 *   <li>Strings are trimmed; an empty or blank string becomes null. A JSON number or boolean in a
 *       string column becomes its JSON text ({@code "postal_code": 97201} gives {@code "97201"}). A
 *       JSON object or array in a string column rejects the record: {@link
 *       RejectReason#WRONG_TYPE}.
 *   <li>{@code brewery_type} is trimmed and lowercased. Types outside {@link #DOCUMENTED_TYPES} are
 *       kept as they are (lowercased), not rejected.
 *   <li>{@code id} (column {@code brewery_id}) and {@code name} are required: missing, null or
 *       blank rejects the record: {@link RejectReason#MISSING_REQUIRED}.
 *   <li>{@code longitude} and {@code latitude} are a JSON number or a string holding a decimal
 *       number (trimmed; empty or blank gives null; null gives null). Any other text rejects the
 *       record: {@link RejectReason#NOT_A_NUMBER}. Latitude outside [-90, 90] or longitude outside
 *       [-180, 180] rejects it: {@link RejectReason#OUT_OF_RANGE}.
 *   <li>A {@code brewery_id} seen earlier in the same load rejects the later record: {@link
 *       RejectReason#DUPLICATE_KEY}. The generator only repeats ids of earlier clean records, so
 *       whether a rejected record's id counts as seen is left open.
 *   <li>Unknown fields ({@code state}, {@code street}) are ignored.
 * </ul>
 *
 * <p>Each rejected record has exactly one defect, so its reason is unambiguous. Exactly one record
 * in each block of 100 is invalid, cycling through the defects so that every {@link RejectReason}
 * occurs in any five consecutive blocks (the first 500 records, say). Some defects are traps:
 * {@code "NaN"} as a coordinate (Java's parser takes it; it is not a decimal number), {@code
 * "50,241246"} (a decimal comma), an id repeated with spaces around it (a duplicate once trimmed).
 *
 * <h2>The mess, roughly</h2>
 *
 * 20% without coordinates (null, sometimes empty strings), 15% with coordinates as strings
 * (sometimes padded), 8% with empty or blank optional strings, 5% with postal_code as a JSON
 * number, a few phones as numbers and a rare boolean, 3% padded names, cities or addresses, 5%
 * brewery_type in odd case or with spaces, 2% undocumented types, 3% closed, 60% with a website.
 */
public final class BreweryGenerator {

  /** The brewery types the API documents. */
  public static final List<String> DOCUMENTED_TYPES =
      List.of(
          "micro",
          "nano",
          "regional",
          "brewpub",
          "large",
          "planning",
          "bar",
          "contract",
          "proprietor",
          "closed",
          "taproom",
          "location",
          "beergarden");

  /** The API's field order; {@code state} and {@code street} repeat two of the others. */
  public static final List<String> API_FIELDS =
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
          "longitude",
          "latitude",
          "phone",
          "website_url",
          "state",
          "street");

  private static final JsonFactory JSON = new JsonFactory();

  /** A JSON number written as given, so that the expected text is exactly what was sent. */
  private record Num(String text) {}

  /** One kind of invalid record, with the reason silver must give and the field at fault. */
  private enum Defect {
    // Ordered so that the reasons repeat with period 5 (see the class comment).
    BLANK_NAME(RejectReason.MISSING_REQUIRED, "name"),
    LATITUDE_NA(RejectReason.NOT_A_NUMBER, "latitude"),
    LONGITUDE_200(RejectReason.OUT_OF_RANGE, "longitude"),
    ADDRESS_OBJECT(RejectReason.WRONG_TYPE, "address_1"),
    DUPLICATE_OTHER(RejectReason.DUPLICATE_KEY, "id"),
    MISSING_ID(RejectReason.MISSING_REQUIRED, "id"),
    LONGITUDE_TEXT(RejectReason.NOT_A_NUMBER, "longitude"),
    LATITUDE_MINUS_91(RejectReason.OUT_OF_RANGE, "latitude"),
    CITY_ARRAY(RejectReason.WRONG_TYPE, "city"),
    DUPLICATE_SAME(RejectReason.DUPLICATE_KEY, "id"),
    NULL_NAME(RejectReason.MISSING_REQUIRED, "name"),
    LATITUDE_DECIMAL_COMMA(RejectReason.NOT_A_NUMBER, "latitude"),
    LATITUDE_TEXT_95(RejectReason.OUT_OF_RANGE, "latitude"),
    PHONE_ARRAY(RejectReason.WRONG_TYPE, "phone"),
    DUPLICATE_PADDED(RejectReason.DUPLICATE_KEY, "id"),
    NULL_ID(RejectReason.MISSING_REQUIRED, "id"),
    // Java's Double.parseDouble takes "NaN"; the contract wants a decimal number.
    LONGITUDE_NAN(RejectReason.NOT_A_NUMBER, "longitude"),
    LONGITUDE_TEXT_MINUS_180_5(RejectReason.OUT_OF_RANGE, "longitude"),
    POSTAL_CODE_OBJECT(RejectReason.WRONG_TYPE, "postal_code"),
    DUPLICATE_OTHER_AGAIN(RejectReason.DUPLICATE_KEY, "id");

    final RejectReason reason;
    final String field;

    Defect(RejectReason reason, String field) {
      this.reason = reason;
      this.field = field;
    }

    boolean duplicate() {
      return reason == RejectReason.DUPLICATE_KEY;
    }
  }

  private final long seed;

  public BreweryGenerator(long seed) {
    this.seed = seed;
  }

  /** The first {@code count} records of this seed's sequence. */
  public List<GeneratedBrewery> generate(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    List<GeneratedBrewery> out = new ArrayList<>(count);
    Set<String> ids = new HashSet<>();
    List<Integer> cleanPositions = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SplittableRandom r = new SplittableRandom(mix(seed + 0x9E3779B97F4A7C15L * (i + 1)));
      Draft d = new Draft(r, ids);
      Defect defect = defectAt(i);
      if (defect == null) {
        d.messUp();
        out.add(new GeneratedBrewery(d.json(), d.expected()));
        cleanPositions.add(i);
        continue;
      }
      Expected reject = new Expected.Reject(defect.reason, defect.field);
      if (defect == Defect.DUPLICATE_SAME) {
        // The same record served twice, as when pages shift while being read.
        GeneratedBrewery earlier = out.get(cleanPositions.get(r.nextInt(cleanPositions.size())));
        out.add(new GeneratedBrewery(earlier.json(), reject));
      } else {
        if (defect.duplicate()) {
          d.messUp();
          Expected.Clean earlier =
              (Expected.Clean)
                  out.get(cleanPositions.get(r.nextInt(cleanPositions.size()))).expected();
          // Padding tests that silver compares ids after trimming them, as the rules say.
          String id = earlier.breweryId();
          d.raw.put("id", defect == Defect.DUPLICATE_PADDED ? "  " + id + " " : id);
        } else {
          d.messUp(); // the valid mess never adds a defect, so the reason stays unambiguous
          d.breakWith(defect);
        }
        out.add(new GeneratedBrewery(d.json(), reject));
      }
    }
    return out;
  }

  /** Records per block of {@link #writeJsonArray}: each block is one generator's sequence. */
  static final int BLOCK = 10_000;

  /**
   * Writes {@code count} records as one JSON array (one record per line, as a large export looks),
   * holding one block of {@value #BLOCK} records in memory at a time: for benchmark inputs of any
   * size. Block {@code b} is the sequence of seed {@code seed + b}, so its duplicates repeat
   * records of the same block; ids are random UUIDs, distinct across blocks in practice.
   *
   * @return the bytes written
   */
  public static long writeJsonArray(long seed, long count, OutputStream out) throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    long bytes = 0;
    byte[] open = "[\n".getBytes(StandardCharsets.UTF_8);
    out.write(open);
    bytes += open.length;
    for (long done = 0, block = 0; done < count; block++) {
      int n = (int) Math.min(BLOCK, count - done);
      for (GeneratedBrewery b : new BreweryGenerator(seed + block).generate(n)) {
        byte[] record = b.json().getBytes(StandardCharsets.UTF_8);
        if (done++ > 0) {
          out.write(',');
          out.write('\n');
          bytes += 2;
        }
        out.write(record);
        bytes += record.length;
      }
    }
    out.write('\n');
    out.write(']');
    out.write('\n');
    return bytes + 3;
  }

  /**
   * The defect of record {@code i}, or null: one per block of 100, at a seeded position. Never the
   * very first record, so a duplicate always has an earlier clean record to repeat.
   */
  private Defect defectAt(int i) {
    long block = i / 100;
    long position = Math.floorMod(mix(seed ^ 0xD1B54A32D192ED03L ^ mix(block)), 100L);
    if (block == 0 && position == 0) {
      position = 1;
    }
    if (i % 100 != position) {
      return null;
    }
    Defect[] all = Defect.values();
    return all[(int) Math.floorMod(block + seed, (long) all.length)];
  }

  /** SplitMix64's finalizer: neighbouring inputs give unrelated outputs. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * One record being built: the clean values silver must end up with, and the raw JSON values
   * (String, {@link Num}, Boolean, null, Map, List) in the API's order.
   */
  private static final class Draft {
    private final SplittableRandom r;
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final Map<String, String> clean = new LinkedHashMap<>();
    private Double longitude;
    private Double latitude;

    Draft(SplittableRandom r, Set<String> ids) {
      this.r = r;
      Country country = r.nextDouble() < 0.70 ? Countries.UNITED_STATES : Countries.pickOther(r);
      Region region = country.region(r);
      String id;
      do {
        id =
            new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~(3L << 62)) | (1L << 63))
                .toString();
      } while (!ids.add(id));
      String name = country.breweryName(r);
      set("id", id);
      set("name", name);
      set("brewery_type", type());
      set("address_1", r.nextDouble() < 0.93 ? country.street(r) : null);
      set("address_2", r.nextDouble() < 0.05 ? pick(r, ADDRESS_2) : null);
      set("address_3", r.nextDouble() < 0.005 ? pick(r, ADDRESS_3) : null);
      set("city", pick(r, region.cities()));
      set("state_province", region.name());
      set("postal_code", country.postalCode(r));
      set("country", country.name());
      if (r.nextDouble() >= 0.20) {
        // Digits after the point vary as in the real data; the text is what the API would send.
        BigDecimal lon = coordinate(region.longitude(), 1.0);
        BigDecimal lat = coordinate(region.latitude(), 0.8);
        longitude = lon.doubleValue();
        latitude = lat.doubleValue();
        raw.put("longitude", new Num(lon.toPlainString()));
        raw.put("latitude", new Num(lat.toPlainString()));
      } else {
        raw.put("longitude", null);
        raw.put("latitude", null);
      }
      set("phone", country.phone(r));
      set("website_url", r.nextDouble() < 0.60 ? country.website(r, name) : null);
    }

    /** Sets a string field, raw and clean alike. */
    private void set(String field, String value) {
      raw.put(field, value);
      clean.put(field, value);
    }

    private String type() {
      double x = r.nextDouble();
      if (x < 0.03) {
        return "closed";
      }
      if (x < 0.05) {
        return pick(r, UNDOCUMENTED_TYPES);
      }
      return weighted(r, TYPES, TYPE_WEIGHTS);
    }

    private BigDecimal coordinate(double centre, double spread) {
      double value = centre + (r.nextDouble() * 2 - 1) * spread;
      return BigDecimal.valueOf(value)
          .setScale(r.nextInt(4, 9), RoundingMode.HALF_UP)
          .stripTrailingZeros();
    }

    /** The valid mess: everything here still loads, and {@link #clean} says how. */
    void messUp() {
      String type = clean.get("brewery_type");
      if (r.nextDouble() < 0.05) {
        raw.put("brewery_type", oddCase(type));
      } else if (!DOCUMENTED_TYPES.contains(type)) {
        // Undocumented types come capitalised, as a human typed them.
        raw.put("brewery_type", type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1));
      }
      if (raw.get("longitude") instanceof Num lon && r.nextDouble() < 0.15 / 0.80) {
        boolean pad = r.nextDouble() < 0.2;
        raw.put("longitude", pad ? " " + lon.text() + " " : lon.text());
        raw.put("latitude", ((Num) raw.get("latitude")).text());
      } else if (raw.get("longitude") == null && r.nextDouble() < 0.1) {
        raw.put("longitude", "");
        raw.put("latitude", "");
      }
      String postal = clean.get("postal_code");
      if (postal != null && postal.matches("[1-9][0-9]*") && r.nextDouble() < 0.12) {
        raw.put("postal_code", new Num(postal));
      }
      String phone = clean.get("phone");
      if (phone != null && phone.matches("[1-9][0-9]{6,}") && r.nextDouble() < 0.02) {
        raw.put("phone", new Num(phone));
      }
      if (r.nextDouble() < 0.003) {
        boolean b = r.nextBoolean();
        raw.put("address_3", b);
        clean.put("address_3", Boolean.toString(b));
      }
      if (r.nextDouble() < 0.03) {
        String field = pick(r, List.of("name", "city", "address_1"));
        if (clean.get(field) != null) {
          raw.put(field, pick(r, List.of(" ", "  ", "   ")) + clean.get(field) + " ");
        }
      }
      if (r.nextDouble() < 0.08) {
        int fields = r.nextInt(1, 3);
        for (int k = 0; k < fields; k++) {
          String field = pick(r, EMPTYABLE);
          raw.put(field, pick(r, List.of("", "", " ", "   ")));
          clean.put(field, null);
        }
      }
    }

    /** Makes the record invalid in exactly one way. */
    void breakWith(Defect defect) {
      switch (defect) {
        case BLANK_NAME -> raw.put("name", pick(r, List.of("", " ", "   ")));
        case NULL_NAME -> raw.put("name", null);
        case MISSING_ID -> raw.remove("id");
        case NULL_ID -> raw.put("id", null);
        case LATITUDE_NA -> {
          ensureLongitude();
          raw.put("latitude", "n/a");
        }
        case LONGITUDE_TEXT -> {
          raw.put("longitude", pick(r, List.of("unknown", "-97.4681.8", "W 97.46")));
          ensureLatitude();
        }
        case LATITUDE_DECIMAL_COMMA -> {
          ensureLongitude();
          raw.put("latitude", "50,241246");
        }
        case LONGITUDE_NAN -> {
          raw.put("longitude", "NaN");
          ensureLatitude();
        }
        case LONGITUDE_TEXT_MINUS_180_5 -> {
          raw.put("longitude", "-180.5");
          ensureLatitude();
        }
        case POSTAL_CODE_OBJECT -> raw.put("postal_code", Map.of("code", "97201"));
        case LONGITUDE_200 -> {
          raw.put("longitude", new Num("200.5"));
          ensureLatitude();
        }
        case LATITUDE_MINUS_91 -> {
          ensureLongitude();
          raw.put("latitude", new Num("-91.25"));
        }
        case LATITUDE_TEXT_95 -> {
          ensureLongitude();
          raw.put("latitude", "95.0");
        }
        case ADDRESS_OBJECT -> {
          String street = clean.get("address_1") == null ? "Main St" : clean.get("address_1");
          raw.put("address_1", Map.of("line", street));
        }
        case CITY_ARRAY -> {
          String city = clean.get("city") == null ? "Portland" : clean.get("city");
          raw.put("city", List.of(city, clean.get("state_province")));
        }
        case PHONE_ARRAY -> raw.put("phone", List.of("4058160490", "4058160491"));
        default -> throw new IllegalArgumentException("Not a single-record defect: " + defect);
      }
    }

    private void ensureLongitude() {
      if (raw.get("longitude") == null) {
        raw.put("longitude", new Num("-97.46818222"));
      }
    }

    private void ensureLatitude() {
      if (raw.get("latitude") == null) {
        raw.put("latitude", new Num("35.25738891"));
      }
    }

    private String oddCase(String type) {
      switch (r.nextInt(4)) {
        case 0:
          return type.toUpperCase(Locale.ROOT);
        case 1:
          return type.substring(0, 1).toUpperCase(Locale.ROOT) + type.substring(1) + " ";
        case 2:
          return " " + type;
        default:
          return type.toUpperCase(Locale.ROOT).charAt(0) + type.substring(1) + "  ";
      }
    }

    Expected.Clean expected() {
      return new Expected.Clean(
          clean.get("id"),
          clean.get("name"),
          clean.get("brewery_type"),
          clean.get("address_1"),
          clean.get("address_2"),
          clean.get("address_3"),
          clean.get("city"),
          clean.get("state_province"),
          clean.get("postal_code"),
          clean.get("country"),
          clean.get("phone"),
          clean.get("website_url"),
          longitude,
          latitude);
    }

    /** Compact JSON in the API's order, with {@code state} and {@code street} repeated last. */
    String json() {
      raw.put("state", raw.get("state_province"));
      raw.put("street", raw.get("address_1"));
      StringWriter out = new StringWriter(512);
      try (JsonGenerator g = JSON.createGenerator(out)) {
        write(g, raw);
      } catch (IOException e) {
        throw new UncheckedIOException("Writing to a string cannot fail", e);
      }
      return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
      if (value == null) {
        g.writeNull();
      } else if (value instanceof String s) {
        g.writeString(s);
      } else if (value instanceof Num n) {
        g.writeNumber(n.text());
      } else if (value instanceof Boolean b) {
        g.writeBoolean(b);
      } else if (value instanceof Map<?, ?> map) {
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
          g.writeFieldName((String) e.getKey());
          write(g, e.getValue());
        }
        g.writeEndObject();
      } else if (value instanceof List<?> list) {
        g.writeStartArray();
        for (Object element : list) {
          write(g, element);
        }
        g.writeEndArray();
      } else {
        throw new IllegalArgumentException("Not a JSON value: " + value.getClass());
      }
    }
  }

  // --- Reference data ----------------------------------------------------------------------

  private static final List<String> TYPES =
      List.of(
          "micro",
          "brewpub",
          "planning",
          "regional",
          "contract",
          "large",
          "proprietor",
          "taproom",
          "bar",
          "nano",
          "beergarden",
          "location");
  private static final double[] TYPE_WEIGHTS = {500, 330, 55, 20, 18, 12, 6, 4, 4, 2, 0.5, 0.3};
  private static final List<String> UNDOCUMENTED_TYPES =
      List.of("cidery", "meadery", "distillery", "winery", "taphouse");
  private static final List<String> ADDRESS_2 =
      List.of("Unit 14", "Ste 200", "Kenilworth", "Clonmore", "Ramal Pombeiro", "Building B", "3");
  private static final List<String> ADDRESS_3 = List.of("Rear entrance", "Parque Vale da Venda");
  private static final List<String> EMPTYABLE =
      List.of("address_1", "address_2", "address_3", "city", "postal_code", "phone", "website_url");

  private static <T> T pick(SplittableRandom r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static <T> T weighted(SplittableRandom r, List<T> values, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return values.get(i);
      }
    }
    return values.get(values.size() - 1);
  }

  /** A state or province: where its breweries cluster, and some of its cities. */
  private record Region(
      String name, double weight, double latitude, double longitude, List<String> cities) {}

  /**
   * A country's formats. In phone and postal patterns {@code #} is a digit, {@code N} a digit from
   * 2 to 9 and {@code A} an upper-case letter; in streets {@code #} is the house number.
   */
  private record Country(
      String name,
      double weight,
      String tld,
      List<String> phones,
      List<String> postals,
      List<String> streets,
      List<String> names,
      List<String> suffixes,
      List<Region> regions) {

    Region region(SplittableRandom r) {
      return weighted(r, regions, regions.stream().mapToDouble(Region::weight).toArray());
    }

    String breweryName(SplittableRandom r) {
      String stem = pick(r, names);
      return suffixes.isEmpty() || r.nextDouble() < 0.25 ? stem : stem + " " + pick(r, suffixes);
    }

    String street(SplittableRandom r) {
      String pattern = pick(r, streets);
      // Long house numbers are an American thing; elsewhere they stay small.
      boolean american = name.equals("United States");
      int number = !american || r.nextDouble() < 0.6 ? r.nextInt(1, 200) : r.nextInt(200, 20000);
      return pattern.replace("#", Integer.toString(number));
    }

    String postalCode(SplittableRandom r) {
      return fill(r, pick(r, postals));
    }

    String phone(SplittableRandom r) {
      return phones.isEmpty() || r.nextDouble() < 0.10 ? null : fill(r, pick(r, phones));
    }

    String website(SplittableRandom r, String breweryName) {
      String slug =
          Normalizer.normalize(breweryName, Normalizer.Form.NFD)
              .toLowerCase(Locale.ROOT)
              .replaceAll("[^a-z0-9]", "");
      if (slug.length() < 4 || r.nextDouble() < 0.05) {
        String handle = (slug.isEmpty() ? "brew" : slug) + r.nextInt(100, 999);
        return "https://www.instagram.com/" + handle + "/";
      }
      switch (r.nextInt(4)) {
        case 0:
          return "https://www." + slug + "." + tld + "/";
        case 1:
          return "https://" + slug + "." + tld;
        default:
          return "http://www." + slug + "." + tld;
      }
    }

    private static String fill(SplittableRandom r, String pattern) {
      StringBuilder b = new StringBuilder(pattern.length());
      for (char c : pattern.toCharArray()) {
        switch (c) {
          case '#' -> b.append((char) ('0' + r.nextInt(10)));
          case 'N' -> b.append((char) ('2' + r.nextInt(8)));
          case 'A' -> b.append((char) ('A' + r.nextInt(26)));
          default -> b.append(c);
        }
      }
      return b.toString();
    }
  }

  /**
   * The countries, read from {@code openbrewerydb-reference.json} beside this class (values from a
   * snapshot of the real API), in a holder so that the file is read on first use only.
   */
  private static final class Countries {
    private static final String RESOURCE = "openbrewerydb-reference.json";
    static final Country UNITED_STATES;
    static final List<Country> OTHERS;
    static final double[] OTHER_WEIGHTS;

    static {
      try (InputStream in = BreweryGenerator.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException("No " + RESOURCE + " beside " + BreweryGenerator.class);
        }
        JsonObject root =
            JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                .getAsJsonObject();
        UNITED_STATES = country(root.getAsJsonObject("unitedStates"));
        List<Country> others = new ArrayList<>();
        root.getAsJsonArray("others").forEach(c -> others.add(country(c.getAsJsonObject())));
        OTHERS = List.copyOf(others);
        OTHER_WEIGHTS = OTHERS.stream().mapToDouble(Country::weight).toArray();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read " + RESOURCE, e);
      }
    }

    static Country pickOther(SplittableRandom r) {
      return weighted(r, OTHERS, OTHER_WEIGHTS);
    }

    private static Country country(JsonObject c) {
      List<Region> regions = new ArrayList<>();
      for (JsonElement e : c.getAsJsonArray("regions")) {
        JsonObject r = e.getAsJsonObject();
        regions.add(
            new Region(
                r.get("name").getAsString(),
                r.has("weight") ? r.get("weight").getAsDouble() : 1,
                r.get("latitude").getAsDouble(),
                r.get("longitude").getAsDouble(),
                strings(r, "cities")));
      }
      return new Country(
          c.get("name").getAsString(),
          c.get("weight").getAsDouble(),
          c.get("tld").getAsString(),
          strings(c, "phones"),
          strings(c, "postals"),
          strings(c, "streets"),
          strings(c, "names"),
          strings(c, "suffixes"),
          List.copyOf(regions));
    }

    private static List<String> strings(JsonObject o, String member) {
      List<String> values = new ArrayList<>();
      o.getAsJsonArray(member).forEach(e -> values.add(e.getAsString()));
      return List.copyOf(values);
    }
  }
}
