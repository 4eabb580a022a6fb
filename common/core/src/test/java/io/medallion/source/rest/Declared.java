package io.medallion.source.rest;

import io.medallion.source.DeclarationException;
import io.medallion.source.Source;
import io.medallion.source.SourceDeclarations;
import io.medallion.source.SourceFiles;
import java.util.List;
import java.util.Optional;

/**
 * Sources for the engine's tests, declared as JSON and read by the real declaration loader (so
 * each test declaration passes the JSON Schema too): silver schemas and SQL are stand-ins.
 */
public final class Declared {

  private Declared() {}

  private static final SourceFiles STAND_INS = new SourceFiles() {
    @Override
    public Optional<String> read(String path) {
      if (path.startsWith("schemas/bigquery/silver/")) {
        return Optional.of("[{\"name\":\"id\",\"type\":\"STRING\"},"
            + "{\"name\":\"_run_id\",\"type\":\"STRING\"},{\"name\":\"_source_uri\",\"type\":\"STRING\"},"
            + "{\"name\":\"_source_generation\",\"type\":\"INT64\"},{\"name\":\"_source_record\",\"type\":\"INT64\"},"
            + "{\"name\":\"_ingested_at\",\"type\":\"TIMESTAMP\"},{\"name\":\"_extra\",\"type\":\"JSON\"}]");
      }
      if (path.startsWith("sql/")) {
        return Optional.of("select 1 as n");
      }
      return Optional.empty();
    }

    @Override
    public String describe(String path) {
      return "test:" + path;
    }

    @Override
    public List<String> list(String directory) {
      return List.of();
    }
  };

  /** A source named {@code name} with {@code client} (JSON) and {@code resources} (JSON objects). */
  public static Source source(String name, String client, String... resources) {
    String text = "{\"name\":\"" + name + "\",\"domain\":\"sales\",\"description\":\"a test source\",\"client\":" + client
        + ",\"resources\":[" + String.join(",", resources) + "],"
        + "\"gold\":{\"models\":[\"m\"],\"main_table\":\"m\",\"main_order\":\"n\"}}";
    try {
      return SourceDeclarations.parse(STAND_INS, "schemas/sources/" + name + ".json", text);
    } catch (DeclarationException e) {
      throw new IllegalArgumentException("test declaration is invalid: " + e.getMessage(), e);
    }
  }

  /** A resource {@code name} at {@code endpoint} (the endpoint object's JSON), into silver table {@code name}. */
  public static String resource(String name, String endpoint) {
    return "{\"name\":\"" + name + "\",\"endpoint\":" + endpoint + ",\"silver\":{\"table\":\"" + name + "\"}}";
  }

  /** A child resource of {@code parent}, its placeholders filled from {@code fields} (JSON object). */
  public static String child(String name, String endpoint, String parent, String fields) {
    return "{\"name\":\"" + name + "\",\"endpoint\":" + endpoint + ",\"parent\":{\"resource\":\"" + parent
        + "\",\"fields\":" + fields + "},\"silver\":{\"table\":\"" + name + "\"}}";
  }

  /** A client at {@code base} with {@code more} fields (JSON members, may be empty). */
  public static String client(java.net.URI base, String more) {
    return "{\"base_url\":\"" + base + "\"" + (more.isEmpty() ? "" : "," + more) + "}";
  }
}
