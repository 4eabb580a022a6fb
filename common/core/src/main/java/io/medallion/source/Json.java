package io.medallion.source;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading a declaration that the JSON Schema already accepted: typed getters with defaults, and
 * the JSON pointer of each value so that a later, semantic problem can name its field too.
 */
public record Json(JsonObject object, String pointer) {

  public Optional<String> string(String name) {
    JsonElement e = object.get(name);
    return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsString());
  }

  public String string(String name, String fallback) {
    return string(name).orElse(fallback);
  }

  public String required(String name) {
    return string(name).orElseThrow(() -> new IllegalStateException(at(name) + " is required"));
  }

  public Optional<Integer> integer(String name) {
    JsonElement e = object.get(name);
    return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsInt());
  }

  public Optional<Double> number(String name) {
    JsonElement e = object.get(name);
    return e == null || e.isJsonNull() ? Optional.empty() : Optional.of(e.getAsDouble());
  }

  public boolean bool(String name, boolean fallback) {
    JsonElement e = object.get(name);
    return e == null || e.isJsonNull() ? fallback : e.getAsBoolean();
  }

  public boolean has(String name) {
    return object.has(name) && !object.get(name).isJsonNull();
  }

  public Optional<Json> child(String name) {
    JsonElement e = object.get(name);
    return e == null || !e.isJsonObject() ? Optional.empty() : Optional.of(new Json(e.getAsJsonObject(), at(name)));
  }

  /** The objects of an array field, each with its pointer. */
  public List<Json> children(String name) {
    List<Json> out = new ArrayList<>();
    JsonElement e = object.get(name);
    if (e != null && e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      for (int i = 0; i < a.size(); i++) {
        out.add(new Json(a.get(i).getAsJsonObject(), at(name) + "/" + i));
      }
    }
    return out;
  }

  public List<String> strings(String name) {
    List<String> out = new ArrayList<>();
    JsonElement e = object.get(name);
    if (e != null && e.isJsonArray()) {
      e.getAsJsonArray().forEach(v -> out.add(v.getAsString()));
    }
    return out;
  }

  /** An object of scalar values as text, in file order. */
  public Map<String, String> textMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonElement e = object.get(name);
    if (e != null && e.isJsonObject()) {
      for (Map.Entry<String, JsonElement> v : e.getAsJsonObject().entrySet()) {
        JsonPrimitive p = v.getValue().getAsJsonPrimitive();
        out.put(v.getKey(), p.isNumber() ? p.getAsNumber().toString() : p.getAsString());
      }
    }
    return out;
  }

  /** A value that is a string or {@code {"secret": NAME}}. */
  public Optional<StringOrSecret> stringOrSecret(String name) {
    JsonElement e = object.get(name);
    if (e == null || e.isJsonNull()) {
      return Optional.empty();
    }
    if (e.isJsonObject()) {
      return Optional.of(StringOrSecret.of(new SecretRef(e.getAsJsonObject().get("secret").getAsString())));
    }
    return Optional.of(StringOrSecret.of(e.getAsString()));
  }

  public Optional<SecretRef> secret(String name) {
    return child(name).map(j -> new SecretRef(j.required("secret")));
  }

  /** The pointer of field {@code name} of this object. */
  public String at(String name) {
    return pointer + "/" + name;
  }
}
