package io.medallion.gcp.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.cloud.NoCredentials;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A fake of the BigQuery REST API v2, just large enough for {@link BigQueryWarehouse}'s tests: a
 * JDK {@link HttpServer} on 127.0.0.1 (an ephemeral port) that answers the calls the Java client
 * makes, as BigQuery answers them. It runs no SQL and loads no data.
 *
 * <p>What it answers (paths under {@code /bigquery/v2/projects/{project}}):
 *
 * <ul>
 *   <li>{@code POST /jobs} (jobs.insert): records the job under its {@code jobReference.jobId} and
 *       answers with the job resource, its state and statistics set from the {@link Outcome}
 *       registered for that id (by default DONE, no error, 0 output rows). A second insert with
 *       the same id answers 409 with BigQuery's error body (reason {@code duplicate}, status
 *       {@code ALREADY_EXISTS}) and changes nothing.
 *   <li>{@code GET /jobs/{id}} (jobs.get): the job, or 404 {@code notFound}. Honours the top-level
 *       names of the {@code fields} selector, as BigQuery does, so that a partial response (the
 *       client asks for {@code jobReference,configuration,statistics} after a 409) is partial.
 *   <li>{@code GET /queries/{id}} (jobs.getQueryResults): {@code jobComplete:false} while the job
 *       runs; for a DONE job without error, {@code jobComplete:true} and no rows; for a failed job,
 *       the job's error as an HTTP 400 error, as BigQuery does.
 *   <li>{@code GET /datasets/{d}/tables/{t}} (tables.get): the table given to {@link #table} with
 *       its schema, or 404 {@code notFound}.
 *   <li>{@code POST /queries} (jobs.query, the client's fast path for {@code BigQuery.query}): the
 *       schema and rows given to {@link #queryResult}, complete in one page; the job it names is
 *       recorded DONE, with the {@code totalBytesBilled} given to {@link #queryBilling}, for
 *       jobs.get. Or, after {@link #queryRefusal}, the error given there.
 * </ul>
 *
 * <p>A job registered as RUNNING turns DONE after a given number of jobs.get / getQueryResults
 * polls. Every request is captured ({@link #requests()}) with its method, path, query string and
 * JSON body (gunzipped: the client gzips request bodies).
 *
 * <p>Not covered: SQL, data, tabledata.list and paging, datasets and tables, jobs.list, cancel,
 * deletion, authentication, retries on 5xx, and validation of the job configuration (whatever the
 * client sends is stored and echoed).
 */
final class FakeBigQueryServer implements AutoCloseable {

  static final String PROJECT = "p";

  /** One captured HTTP request. {@code body} is null when there was none. */
  record Request(String method, String path, Map<String, String> query, JsonObject body) {}

  /**
   * How a job turns out.
   *
   * @param pollsUntilDone jobs.get / getQueryResults calls that still see it RUNNING (0: DONE at
   *     once)
   * @param errorReason BigQuery's error reason (e.g. {@code invalid}), null for success
   * @param outputRows a load job's {@code statistics.load.outputRows}
   * @param creationTime epoch millis, null for now
   * @param bytesProcessed a query job's {@code statistics.query.totalBytesProcessed}, null: absent
   * @param bytesBilled a query job's {@code statistics.query.totalBytesBilled}, null: absent
   */
  record Outcome(
      int pollsUntilDone, String errorReason, String errorMessage, long outputRows,
      Long creationTime, Long bytesProcessed, Long bytesBilled) {

    static Outcome done(long outputRows) {
      return new Outcome(0, null, null, outputRows, null, null, null);
    }

    static Outcome failed(String reason, String message) {
      return new Outcome(0, reason, message, 0, null, null, null);
    }

    Outcome runningFor(int polls) {
      return new Outcome(polls, errorReason, errorMessage, outputRows, creationTime, bytesProcessed, bytesBilled);
    }

    Outcome createdAt(long epochMillis) {
      return new Outcome(pollsUntilDone, errorReason, errorMessage, outputRows, epochMillis, bytesProcessed, bytesBilled);
    }

    Outcome costing(long processed, long billed) {
      return new Outcome(pollsUntilDone, errorReason, errorMessage, outputRows, creationTime, processed, billed);
    }
  }

  private static final Pattern TABLE_PATH =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");

  private static final Pattern PATH =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/(jobs|queries)(?:/([^/]+))?");

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, Outcome> outcomes = new HashMap<>();
  private final Map<String, JsonObject> jobs = new LinkedHashMap<>();
  private final Map<String, Integer> pollsLeft = new HashMap<>();
  private final Map<String, JsonObject> tables = new HashMap<>();
  private JsonObject queryResult = emptyQueryResult();
  private int queryCount;
  private Long queryBytesBilled;
  private Answer queryRefusal;

  FakeBigQueryServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** {@code http://127.0.0.1:port}, for {@link BigQueryOptions.Builder#setHost}. */
  String host() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A client for project {@value #PROJECT} talking to this fake, without credentials or retries. */
  BigQuery client() {
    return BigQueryOptions.newBuilder()
        .setProjectId(PROJECT)
        .setHost(host())
        .setCredentials(NoCredentials.getInstance())
        .setRetrySettings(
            RetrySettings.newBuilder()
                .setMaxAttempts(1)
                .setTotalTimeoutDuration(Duration.ofSeconds(10))
                .build())
        .build()
        .getService();
  }

  /** How the job with this id will turn out when it is inserted. */
  synchronized void outcome(String jobId, Outcome outcome) {
    outcomes.put(jobId, outcome);
  }

  /** A table tables.get finds, with BigQuery's {@code schema.fields} JSON. */
  synchronized void table(String dataset, String table, String fieldsJson) {
    JsonObject t = new JsonObject();
    t.addProperty("kind", "bigquery#table");
    JsonObject ref = new JsonObject();
    ref.addProperty("projectId", PROJECT);
    ref.addProperty("datasetId", dataset);
    ref.addProperty("tableId", table);
    t.add("tableReference", ref);
    t.addProperty("type", "TABLE");
    JsonObject schema = new JsonObject();
    schema.add("fields", JsonParser.parseString(fieldsJson));
    t.add("schema", schema);
    tables.put(dataset + "." + table, t);
  }

  /** What jobs.query answers from now on: BigQuery's {@code schema} and {@code rows} JSON. */
  synchronized void queryResult(String schemaJson, String rowsJson) {
    JsonObject r = new JsonObject();
    r.add("schema", JsonParser.parseString(schemaJson));
    JsonArray rows = JsonParser.parseString(rowsJson).getAsJsonArray();
    r.add("rows", rows);
    r.addProperty("totalRows", Integer.toString(rows.size()));
    queryResult = r;
  }

  /** The {@code statistics.query.totalBytesBilled} of the jobs jobs.query runs from now on; null: absent. */
  private final Map<String, Long> slotMs = new java.util.concurrent.ConcurrentHashMap<>();

  /** Job {@code id} reports {@code statistics.totalSlotMs} (as a JSON string, as BigQuery sends int64). */
  void slotMs(String id, long ms) {
    slotMs.put(id, ms);
  }

  synchronized void queryBilling(Long bytesBilled) {
    queryBytesBilled = bytesBilled;
  }

  /** jobs.query answers this error from now on (BigQuery's error body, with this reason). */
  synchronized void queryRefusal(int code, String reason, String message) {
    queryRefusal = error(code, reason, message, code == 400 ? "INVALID_ARGUMENT" : "INTERNAL");
  }

  /** The {@code lastModifiedTime} tables.get gives for a table given to {@link #table}. */
  synchronized void tableModifiedAt(String dataset, String table, long epochMillis) {
    tables.get(dataset + "." + table).addProperty("lastModifiedTime", Long.toString(epochMillis));
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The captured requests with this method whose path ends with {@code pathSuffix}. */
  synchronized List<Request> requests(String method, String pathSuffix) {
    return requests.stream()
        .filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix))
        .toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // ---- HTTP

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
      JsonObject body = readBody(exchange);
      Answer answer;
      synchronized (this) {
        requests.add(new Request(method, path, query, body));
        answer = route(method, path, query, body);
      }
      byte[] bytes = answer.body().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
      exchange.sendResponseHeaders(answer.code(), bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private record Answer(int code, JsonObject body) {}

  private Answer route(String method, String path, Map<String, String> query, JsonObject body) {
    Matcher t = TABLE_PATH.matcher(path);
    if (t.matches() && t.group(1).equals(PROJECT) && method.equals("GET")) {
      JsonObject table = tables.get(t.group(2) + "." + t.group(3));
      return table == null
          ? error(404, "notFound", "Not found: Table " + PROJECT + ":" + t.group(2) + "." + t.group(3), "NOT_FOUND")
          : new Answer(200, table);
    }
    Matcher m = PATH.matcher(path);
    if (m.matches() && m.group(1).equals(PROJECT)) {
      String collection = m.group(2);
      String id = m.group(3);
      if (collection.equals("jobs") && id == null && method.equals("POST")) {
        return insert(body);
      } else if (collection.equals("jobs") && id != null && method.equals("GET")) {
        return get(id, query.get("fields"));
      } else if (collection.equals("queries") && id != null && method.equals("GET")) {
        return queryResults(id);
      } else if (collection.equals("queries") && id == null && method.equals("POST")) {
        return jobsQuery(body);
      }
    }
    return error(400, "invalid", "FakeBigQueryServer does not implement " + method + " " + path,
        "INVALID_ARGUMENT");
  }

  private Answer insert(JsonObject body) {
    JsonObject ref = body.getAsJsonObject("jobReference");
    String id = ref.get("jobId").getAsString();
    String location = ref.has("location") ? ref.get("location").getAsString() : "US";
    if (jobs.containsKey(id)) {
      return error(409, "duplicate", "Already Exists: Job " + PROJECT + ":" + location + "." + id,
          "ALREADY_EXISTS");
    }
    Outcome outcome = outcomes.getOrDefault(id, Outcome.done(0));
    long now = System.currentTimeMillis();
    long created = outcome.creationTime() == null ? now : outcome.creationTime();

    JsonObject job = new JsonObject();
    job.addProperty("kind", "bigquery#job");
    job.addProperty("id", PROJECT + ":" + location + "." + id);
    job.addProperty("selfLink", host() + "/bigquery/v2/projects/" + PROJECT + "/jobs/" + id
        + "?location=" + location);
    job.addProperty("user_email", "fake@example.com");
    JsonObject reference = new JsonObject();
    reference.addProperty("projectId", PROJECT);
    reference.addProperty("jobId", id);
    reference.addProperty("location", location);
    job.add("jobReference", reference);
    job.add("configuration", body.getAsJsonObject("configuration").deepCopy());
    JsonObject statistics = new JsonObject();
    statistics.addProperty("creationTime", Long.toString(created));
    statistics.addProperty("startTime", Long.toString(created));
    job.add("statistics", statistics);
    jobs.put(id, job);
    pollsLeft.put(id, outcome.pollsUntilDone());
    if (outcome.pollsUntilDone() == 0) {
      finish(id, outcome);
    } else {
      job.add("status", state("RUNNING"));
    }
    return new Answer(200, job);
  }

  /** Sets the job DONE as its outcome says, with end time and load statistics. */
  private void finish(String id, Outcome outcome) {
    JsonObject job = jobs.get(id);
    JsonObject status = state("DONE");
    if (outcome.errorReason() != null) {
      JsonObject error = new JsonObject();
      error.addProperty("reason", outcome.errorReason());
      error.addProperty("location", "query");
      error.addProperty("message", outcome.errorMessage());
      status.add("errorResult", error);
      JsonArray errors = new JsonArray();
      errors.add(error.deepCopy());
      status.add("errors", errors);
    }
    job.add("status", status);
    JsonObject statistics = job.getAsJsonObject("statistics");
    long created = Long.parseLong(statistics.get("creationTime").getAsString());
    statistics.addProperty("endTime", Long.toString(created + 1234));
    if (slotMs.containsKey(id)) {
      statistics.addProperty("totalSlotMs", Long.toString(slotMs.get(id)));
    }
    if (job.getAsJsonObject("configuration").has("load")) {
      JsonObject load = new JsonObject();
      load.addProperty("outputRows", Long.toString(outcome.outputRows()));
      load.addProperty("inputFiles",
          Integer.toString(job.getAsJsonObject("configuration").getAsJsonObject("load")
              .getAsJsonArray("sourceUris").size()));
      statistics.add("load", load);
    } else {
      JsonObject query = new JsonObject();
      // int64 fields travel as JSON strings in BigQuery's REST API, as outputRows above.
      if (outcome.bytesProcessed() != null) {
        query.addProperty("totalBytesProcessed", Long.toString(outcome.bytesProcessed()));
      }
      if (outcome.bytesBilled() != null) {
        query.addProperty("totalBytesBilled", Long.toString(outcome.bytesBilled()));
      }
      statistics.add("query", query);
    }
  }

  /** A poll of a running job: one step closer to DONE. */
  private void poll(String id) {
    int left = pollsLeft.getOrDefault(id, 0);
    if (left > 0) {
      pollsLeft.put(id, --left);
      if (left == 0) {
        finish(id, outcomes.getOrDefault(id, Outcome.done(0)));
      }
    }
  }

  private Answer get(String id, String fields) {
    if (!jobs.containsKey(id)) {
      return error(404, "notFound", "Not found: Job " + PROJECT + ":" + id, "NOT_FOUND");
    }
    poll(id);
    JsonObject job = jobs.get(id).deepCopy();
    if (fields != null && !fields.isEmpty()) {
      // Partial response: keep the top-level members named ("a/b" keeps "a").
      JsonObject partial = new JsonObject();
      for (String f : fields.split(",")) {
        String top = f.trim().split("/")[0];
        if (job.has(top)) {
          partial.add(top, job.get(top));
        }
      }
      job = partial;
    }
    return new Answer(200, job);
  }

  private Answer queryResults(String id) {
    if (!jobs.containsKey(id)) {
      return error(404, "notFound", "Not found: Job " + PROJECT + ":" + id, "NOT_FOUND");
    }
    poll(id);
    JsonObject job = jobs.get(id);
    JsonObject status = job.getAsJsonObject("status");
    JsonObject r = new JsonObject();
    r.addProperty("kind", "bigquery#getQueryResultsResponse");
    r.add("jobReference", job.get("jobReference").deepCopy());
    if (!status.get("state").getAsString().equals("DONE")) {
      r.addProperty("jobComplete", false);
      return new Answer(200, r);
    }
    if (status.has("errorResult")) {
      JsonObject e = status.getAsJsonObject("errorResult");
      return error(400, e.get("reason").getAsString(), e.get("message").getAsString(),
          "INVALID_ARGUMENT");
    }
    r.addProperty("jobComplete", true);
    r.addProperty("totalRows", "0");
    r.add("schema", new JsonObject());
    return new Answer(200, r);
  }

  private Answer jobsQuery(JsonObject body) {
    if (queryRefusal != null) {
      return queryRefusal;
    }
    JsonObject r = queryResult.deepCopy();
    r.addProperty("kind", "bigquery#queryResponse");
    r.addProperty("jobComplete", true);
    JsonObject reference = new JsonObject();
    reference.addProperty("projectId", PROJECT);
    reference.addProperty("jobId", "fake_query_" + (++queryCount));
    reference.addProperty(
        "location", body.has("location") ? body.get("location").getAsString() : "US");
    r.add("jobReference", reference);
    JsonObject job = new JsonObject();
    job.addProperty("kind", "bigquery#job");
    job.add("jobReference", reference.deepCopy());
    JsonObject configuration = new JsonObject();
    JsonObject queryConfiguration = new JsonObject();
    queryConfiguration.add("query", body.get("query"));
    configuration.add("query", queryConfiguration);
    job.add("configuration", configuration);
    job.add("status", state("DONE"));
    JsonObject statistics = new JsonObject();
    long now = System.currentTimeMillis();
    statistics.addProperty("creationTime", Long.toString(now));
    statistics.addProperty("endTime", Long.toString(now));
    JsonObject query = new JsonObject();
    if (queryBytesBilled != null) {
      query.addProperty("totalBytesBilled", Long.toString(queryBytesBilled));
    }
    statistics.add("query", query);
    job.add("statistics", statistics);
    jobs.put(reference.get("jobId").getAsString(), job);
    return new Answer(200, r);
  }

  // ---- JSON helpers

  private static JsonObject state(String state) {
    JsonObject s = new JsonObject();
    s.addProperty("state", state);
    return s;
  }

  /** BigQuery's error body, as Google APIs send it. */
  private static Answer error(int code, String reason, String message, String status) {
    JsonObject detail = new JsonObject();
    detail.addProperty("message", message);
    detail.addProperty("domain", "global");
    detail.addProperty("reason", reason);
    JsonArray errors = new JsonArray();
    errors.add(detail);
    JsonObject error = new JsonObject();
    error.addProperty("code", code);
    error.addProperty("message", message);
    error.add("errors", errors);
    error.addProperty("status", status);
    JsonObject body = new JsonObject();
    body.add("error", error);
    return new Answer(code, body);
  }

  private static JsonObject emptyQueryResult() {
    JsonObject r = new JsonObject();
    r.add("schema", JsonParser.parseString("{\"fields\":[]}"));
    r.add("rows", new JsonArray());
    r.addProperty("totalRows", "0");
    return r;
  }

  private static JsonObject readBody(HttpExchange exchange) throws IOException {
    InputStream in = exchange.getRequestBody();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      in = new GZIPInputStream(in);
    }
    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    if (text.isBlank()) {
      return null;
    }
    JsonElement e = JsonParser.parseString(text);
    return e.isJsonObject() ? e.getAsJsonObject() : null;
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }
}
