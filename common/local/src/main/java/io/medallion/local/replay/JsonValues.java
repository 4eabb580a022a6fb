package io.medallion.local.replay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON values a generator and the replay server work with, as plain Java: {@code null},
 * {@link String}, {@link Boolean}, {@link Num} (a number kept as the text it is written with, so
 * that {@code 47.9500} goes out as written), {@link List} and {@link Map} (insertion-ordered).
 * Records are written compactly by Jackson, as the real APIs write them.
 */
final class JsonValues {

  /**
   * Writes a character outside the BMP (an emoji) as its four UTF-8 bytes, as the real APIs and a
   * {@code Writer}-based generator do, not as an escaped surrogate pair.
   */
  static final JsonFactory JSON =
      JsonFactory.builder().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

  /** A removed field: not written at all, and absent to a reader. */
  static final Object ABSENT = new Object() {
    @Override
    public String toString() {
      return "(absent)";
    }
  };

  /** A JSON number, written exactly as {@code text}. */
  record Num(String text) {
    static Num of(long value) {
      return new Num(Long.toString(value));
    }

    double doubleValue() {
      return Double.parseDouble(text);
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private JsonValues() {}

  /** A Gson tree as a value of this model; numbers keep the text they were written with. */
  static Object fromGson(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (e.isJsonObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
        map.put(m.getKey(), fromGson(m.getValue()));
      }
      return map;
    }
    if (e.isJsonArray()) {
      List<Object> list = new ArrayList<>();
      e.getAsJsonArray().forEach(x -> list.add(fromGson(x)));
      return list;
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      return new Num(p.getAsString());
    }
    return p.getAsString();
  }

  /** A value of this model as a Gson tree. */
  static JsonElement toGson(Object value) {
    if (value == null || value == ABSENT) {
      return com.google.gson.JsonNull.INSTANCE;
    }
    if (value instanceof String s) {
      return new JsonPrimitive(s);
    }
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    if (value instanceof Num n) {
      return new JsonPrimitive(new com.google.gson.internal.LazilyParsedNumber(n.text()));
    }
    if (value instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (value instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, v) -> o.add((String) k, toGson(v)));
      return o;
    }
    if (value instanceof List<?> list) {
      JsonArray a = new JsonArray();
      list.forEach(v -> a.add(toGson(v)));
      return a;
    }
    return new JsonPrimitive(value.toString());
  }

  /** Parses JSON text into this model. */
  static Object parse(byte[] json) {
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      return read(p);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  private static Object read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new IOException("empty input");
    }
    switch (t) {
      case START_OBJECT -> {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, read(p));
        }
        return map;
      }
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(read(p));
        }
        return list;
      }
      case VALUE_STRING -> {
        return p.getText();
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Num(p.getText());
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NULL -> {
        return null;
      }
      default -> throw new IOException("unexpected " + t);
    }
  }

  /** Writes {@code value} with {@code g}; {@link #ABSENT} must not reach here. */
  static void write(JsonGenerator g, Object value) throws IOException {
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
        if (e.getValue() == ABSENT) {
          continue;
        }
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
    } else if (value instanceof Long || value instanceof Integer) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double d) {
      g.writeNumber(d);
    } else {
      throw new IllegalArgumentException("Not a JSON value: " + value.getClass());
    }
  }

  /** Compact JSON bytes of {@code value}. */
  static byte[] bytes(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      write(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException("Writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** Compact JSON text of {@code value}. */
  static String text(Object value) {
    return new String(bytes(value), StandardCharsets.UTF_8);
  }

  /**
   * The text a scalar stands for: a string itself, a number's digits as written, {@code true} or
   * {@code false}; null for null, absent, objects and arrays. Other Java values (a typed
   * expectation such as a Double) by their {@code toString}.
   */
  static String scalarText(Object value) {
    if (value == null || value == ABSENT || value instanceof Map || value instanceof List) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    return value.toString();
  }

  /** The JSON kind of a value: null, string, number, boolean, object or array ("absent" when removed). */
  static String kind(Object value) {
    if (value == ABSENT) {
      return "absent";
    }
    if (value == null) {
      return "null";
    }
    if (value instanceof String) {
      return "string";
    }
    if (value instanceof Boolean) {
      return "boolean";
    }
    if (value instanceof Map) {
      return "object";
    }
    if (value instanceof List) {
      return "array";
    }
    return "number";
  }

  /** The value at a dot path of an object ({@code a.b}); {@link #ABSENT} when a step is missing. */
  static Object at(Object root, String[] path) {
    Object v = root;
    for (String step : path) {
      if (!(v instanceof Map<?, ?> map) || !map.containsKey(step)) {
        return ABSENT;
      }
      v = map.get(step);
    }
    return v;
  }
}
