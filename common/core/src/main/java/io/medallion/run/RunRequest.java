package io.medallion.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.medallion.event.InvalidEventException;
import io.medallion.event.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The message that starts or continues an ingest run, validated against {@code
 * schemas/run-request.schema.json}.
 *
 * @param runId null when the publisher left it to ingest
 * @param startPage null means page 1
 * @param ingestDate null means the publish date
 * @param sourceUrl where the run reads its source; null means the run's recorded one, else the
 *     deployment's (see {@code source_url} in the schema)
 * @param pageSize records per page; null means the run's recorded one, else the declaration's
 * @param fullRefresh whether incremental resources read from their initial value
 * @param pushed whether the run collects the files pushes left in bronze instead of pulling
 */
public record RunRequest(
    String source, String runId, Integer startPage, LocalDate ingestDate, URI sourceUrl, Integer pageSize,
    boolean fullRefresh, boolean pushed) {

  /** A request that pulls (collects no pushed files). */
  public RunRequest(
      String source, String runId, Integer startPage, LocalDate ingestDate, URI sourceUrl, Integer pageSize,
      boolean fullRefresh) {
    this(source, runId, startPage, ingestDate, sourceUrl, pageSize, fullRefresh, false);
  }

  /** A request naming several sources (or {@code *}): ingest starts a run of each. */
  public record FanOut(java.util.List<String> sources, LocalDate ingestDate, boolean fullRefresh) {
    public FanOut {
      sources = java.util.List.copyOf(sources);
    }

    /** Whether it asks for every declared source. */
    public boolean all() {
      return sources.contains("*");
    }
  }

  /** Pub/Sub allows 10 MB; a run request is a few hundred bytes, anything near this is abuse. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = loadSchema();

  /** A request that names no source URL. */
  public RunRequest(String source, String runId, Integer startPage, LocalDate ingestDate) {
    this(source, runId, startPage, ingestDate, null, null, false);
  }

  /** A request that names its source URL but no page size. */
  public RunRequest(String source, String runId, Integer startPage, LocalDate ingestDate, URI sourceUrl) {
    this(source, runId, startPage, ingestDate, sourceUrl, null, false);
  }

  /** A request that names its source URL and page size. */
  public RunRequest(String source, String runId, Integer startPage, LocalDate ingestDate, URI sourceUrl, Integer pageSize) {
    this(source, runId, startPage, ingestDate, sourceUrl, pageSize, false);
  }

  public static RunRequest of(String source) {
    return new RunRequest(source, null, null, null, null, null, false);
  }

  /**
   * A fan-out request ({@code sources}), or empty when the data is a request for one source.
   *
   * @throws InvalidEventException when it is neither, as {@link #parse} says
   */
  public static java.util.Optional<FanOut> parseFanOut(byte[] data) throws InvalidEventException {
    JsonNode node = validated(data);
    if (!node.has("sources")) {
      return java.util.Optional.empty();
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    node.get("sources").forEach(n -> names.add(n.asText()));
    for (String field : java.util.List.of("run_id", "start_page", "page_size", "source_url", "pushed")) {
      if (node.has(field)) {
        throw new InvalidEventException("A request for several sources cannot name " + field
            + ": each source's run has its own; ask for one source to set it");
      }
    }
    return java.util.Optional.of(new FanOut(names, date(node), node.path("full_refresh").asBoolean(false)));
  }

  /** Parses and validates message bytes; every problem is an {@link InvalidEventException}. */
  public static RunRequest parse(byte[] data) throws InvalidEventException {
    JsonNode node = validated(data);
    if (node.has("sources")) {
      throw new InvalidEventException("A request for several sources (sources) starts one run per source; it is not one run");
    }
    URI url = null;
    if (node.hasNonNull("source_url")) {
      try {
        url = new URI(node.get("source_url").asText());
      } catch (URISyntaxException e) {
        throw new InvalidEventException("source_url is not a URL: " + e.getMessage());
      }
    }
    return new RunRequest(
        node.get("source").asText(),
        node.hasNonNull("run_id") ? node.get("run_id").asText() : null,
        node.hasNonNull("start_page") ? node.get("start_page").asInt() : null,
        date(node),
        url,
        node.hasNonNull("page_size") ? node.get("page_size").asInt() : null,
        node.path("full_refresh").asBoolean(false),
        node.path("pushed").asBoolean(false));
  }

  private static JsonNode validated(byte[] data) throws InvalidEventException {
    if (data.length > MAX_BYTES) {
      throw new InvalidEventException(
          "Run request is " + data.length + " bytes, more than the " + MAX_BYTES + " allowed");
    }
    String text =
        Utf8.decode(data).orElseThrow(() -> new InvalidEventException("Run request is not UTF-8 text"));
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidEventException(
          "Run request is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || node.isMissingNode()) {
      throw new InvalidEventException("Run request is empty");
    }
    Set<ValidationMessage> errors = SCHEMA.validate(node);
    if (!errors.isEmpty()) {
      throw new InvalidEventException(
          "Run request does not match schemas/run-request.schema.json: "
              + errors.stream().map(ValidationMessage::getMessage).sorted().collect(Collectors.joining("; ")));
    }
    return node;
  }

  private static LocalDate date(JsonNode node) throws InvalidEventException {
    if (!node.hasNonNull("ingest_date")) {
      return null;
    }
    try {
      return LocalDate.parse(node.get("ingest_date").asText());
    } catch (DateTimeParseException e) {
      throw new InvalidEventException("ingest_date is not a calendar date: " + node.get("ingest_date"));
    }
  }

  public RunRequest withRunId(String id) {
    return new RunRequest(source, id, startPage, ingestDate, sourceUrl, pageSize, fullRefresh, pushed);
  }

  public RunRequest withSourceUrl(URI url) {
    return new RunRequest(source, runId, startPage, ingestDate, url, pageSize, fullRefresh, pushed);
  }

  public RunRequest withPageSize(Integer size) {
    return new RunRequest(source, runId, startPage, ingestDate, sourceUrl, size, fullRefresh, pushed);
  }

  public RunRequest withFullRefresh(boolean refresh) {
    return new RunRequest(source, runId, startPage, ingestDate, sourceUrl, pageSize, refresh, pushed);
  }

  public RunRequest continuingAt(int page, LocalDate date) {
    return new RunRequest(source, runId, page, date, sourceUrl, pageSize, fullRefresh, pushed);
  }

  public String toJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("source", source);
    if (runId != null) {
      o.put("run_id", runId);
    }
    if (startPage != null) {
      o.put("start_page", startPage);
    }
    if (ingestDate != null) {
      o.put("ingest_date", ingestDate.toString());
    }
    if (pageSize != null) {
      o.put("page_size", pageSize);
    }
    if (sourceUrl != null) {
      o.put("source_url", sourceUrl.toString());
    }
    if (fullRefresh) {
      o.put("full_refresh", true);
    }
    if (pushed) {
      o.put("pushed", true);
    }
    return o.toString();
  }

  private static JsonSchema loadSchema() {
    String path = "schemas/run-request.schema.json";
    try (InputStream in = RunRequest.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is not on the classpath");
      }
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
