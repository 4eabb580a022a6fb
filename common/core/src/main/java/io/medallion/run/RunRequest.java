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
 * @param pageSize records per page; null means the run's recorded one, else the deployment's
 */
public record RunRequest(
    String source, String runId, Integer startPage, LocalDate ingestDate, URI sourceUrl, Integer pageSize) {

  /** Pub/Sub allows 10 MB; a run request is a few hundred bytes, anything near this is abuse. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = loadSchema();

  /** A request that names no source URL. */
  public RunRequest(String source, String runId, Integer startPage, LocalDate ingestDate) {
    this(source, runId, startPage, ingestDate, null, null);
  }

  /** A request that names its source URL but no page size. */
  public RunRequest(String source, String runId, Integer startPage, LocalDate ingestDate, URI sourceUrl) {
    this(source, runId, startPage, ingestDate, sourceUrl, null);
  }

  public static RunRequest of(String source) {
    return new RunRequest(source, null, null, null, null, null);
  }

  /** Parses and validates message bytes; every problem is an {@link InvalidEventException}. */
  public static RunRequest parse(byte[] data) throws InvalidEventException {
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
    LocalDate date = null;
    if (node.hasNonNull("ingest_date")) {
      try {
        date = LocalDate.parse(node.get("ingest_date").asText());
      } catch (DateTimeParseException e) {
        throw new InvalidEventException("ingest_date is not a calendar date: " + node.get("ingest_date"));
      }
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
        date,
        url,
        node.hasNonNull("page_size") ? node.get("page_size").asInt() : null);
  }

  public RunRequest withRunId(String id) {
    return new RunRequest(source, id, startPage, ingestDate, sourceUrl, pageSize);
  }

  public RunRequest withSourceUrl(URI url) {
    return new RunRequest(source, runId, startPage, ingestDate, url, pageSize);
  }

  public RunRequest withPageSize(Integer size) {
    return new RunRequest(source, runId, startPage, ingestDate, sourceUrl, size);
  }

  public RunRequest continuingAt(int page, LocalDate date) {
    return new RunRequest(source, runId, page, date, sourceUrl, pageSize);
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
