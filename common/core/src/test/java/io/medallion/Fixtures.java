package io.medallion;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

/** Reads the GCP event fixtures in {@code src/test/resources/gcp-events} (copied from shared/fixtures). */
public final class Fixtures {

  private Fixtures() {}

  public static String text(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/gcp-events/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("No fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject json(String name) {
    return JsonParser.parseString(text(name)).getAsJsonObject();
  }

  /** A structured-mode CloudEvent fixture as the SDK hands it to a function. */
  public static CloudEvent structuredEvent(String name) {
    JsonObject o = json(name);
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withId(o.get("id").getAsString())
            .withSource(URI.create(o.get("source").getAsString()))
            .withType(o.get("type").getAsString())
            .withDataContentType("application/json")
            .withData(o.get("data").toString().getBytes(StandardCharsets.UTF_8));
    if (o.has("subject")) {
      b.withSubject(o.get("subject").getAsString());
    }
    if (o.has("time")) {
      b.withTime(OffsetDateTime.parse(o.get("time").getAsString()));
    }
    return b.build();
  }

  /** An HTTP binary-mode fixture: ce-* headers become attributes, the body the data. */
  public static CloudEvent binaryEvent(String name) {
    JsonObject o = json(name);
    JsonObject h = o.getAsJsonObject("headers");
    CloudEventBuilder b =
        CloudEventBuilder.v1()
            .withId(h.get("ce-id").getAsString())
            .withSource(URI.create(h.get("ce-source").getAsString()))
            .withType(h.get("ce-type").getAsString())
            .withSubject(h.get("ce-subject").getAsString())
            .withTime(OffsetDateTime.parse(h.get("ce-time").getAsString()))
            .withDataContentType(h.get("Content-Type").getAsString())
            .withData(o.get("body").toString().getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, JsonElement> e : h.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("ce-") && !Map.of("ce-id", 1, "ce-source", 1, "ce-type", 1, "ce-subject", 1, "ce-time", 1, "ce-specversion", 1).containsKey(k)) {
        b.withExtension(k.substring(3), e.getValue().getAsString());
      }
    }
    return b.build();
  }
}
