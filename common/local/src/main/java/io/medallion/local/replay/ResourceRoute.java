package io.medallion.local.replay;

import io.medallion.local.replay.GeneratorSpec.ServeOptions;
import io.medallion.local.replay.JsonValues.Num;
import io.medallion.local.replay.ReplayServer.Reply;
import io.medallion.local.replay.ReplayServer.Request;
import io.medallion.source.Source;
import io.medallion.source.paginate.Cursor;
import io.medallion.source.paginate.HeaderLink;
import io.medallion.source.paginate.JsonLink;
import io.medallion.source.paginate.Offset;
import io.medallion.source.paginate.PageNumber;
import io.medallion.source.paginate.PaginatorSpec;
import io.medallion.source.paginate.SinglePage;
import io.medallion.source.paginate.Total;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One resource as the replay server serves it: which paths are its listing and its total, how a
 * request's parameters become a slice of its records (its declared paginator), and how that slice
 * is written (a bare array, or an envelope with the declared paths filled in).
 */
final class ResourceRoute {

  static final byte[] EMPTY_ARRAY = "[]".getBytes(StandardCharsets.UTF_8);
  private static final String RECORDS_SENTINEL = "\u0001replay-records\u0001";
  private static final byte[] RECORDS_SENTINEL_JSON = JsonValues.bytes(RECORDS_SENTINEL);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

  /** A request this resource cannot answer, with the status and message to send. */
  static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Refusal(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  final Source.Resource resource;
  final PaginatorSpec paginator;
  final ServeOptions serve;
  private final Pattern listing;
  private final Pattern total;
  private final List<String> pathPlaceholders = new ArrayList<>();
  /** Query parameter -> (pattern of its value, placeholders in it), for placeholders in params. */
  private final Map<String, Map.Entry<Pattern, List<String>>> paramPlaceholders = new LinkedHashMap<>();
  private final String[] dataSelector;
  private final String[] cursorPath;

  ResourceRoute(Source source, Source.Resource resource, ServeOptions serve, String basePath) {
    this.resource = resource;
    this.paginator = source.paginator(resource);
    this.serve = serve;
    this.listing = pathPattern(basePath + resource.endpoint().path(), pathPlaceholders);
    Total t = total();
    this.total = t != null && t.endpoint() != null ? pathPattern(basePath + t.endpoint(), new ArrayList<>()) : null;
    resource.endpoint().params().forEach((name, value) -> {
      List<String> names = new ArrayList<>();
      Pattern p = pathPattern(value, names);
      if (!names.isEmpty()) {
        paramPlaceholders.put(name, Map.entry(p, names));
      }
    });
    String selector = resource.endpoint().dataSelector();
    this.dataSelector = selector.equals("$") ? null : selector.split("\\.");
    this.cursorPath = resource.endpoint().incremental() == null ? null
        : resource.endpoint().incremental().cursorPath().split("\\.");
    boolean bodyPaths = (t != null && t.endpoint() == null) || paginator instanceof JsonLink || paginator instanceof Cursor;
    if (dataSelector == null && bodyPaths) {
      throw new IllegalArgumentException("resource " + resource.name() + ": its records are the whole body (data_selector $),"
          + " so the body cannot also carry a total, a next link or a cursor");
    }
  }

  /** A path template as a pattern: literal text quoted, each {name} one path segment. */
  private static Pattern pathPattern(String template, List<String> names) {
    StringBuilder regex = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(template);
    int at = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(at, m.start()))).append("([^/]+)");
      names.add(m.group(1));
      at = m.end();
    }
    regex.append(Pattern.quote(template.substring(at)));
    return Pattern.compile(regex + "/?");
  }

  Total total() {
    if (paginator instanceof PageNumber p) {
      return p.total();
    }
    if (paginator instanceof Offset o) {
      return o.total();
    }
    return null;
  }

  /** The placeholder values of a listing path, or null when the path is not this resource's listing. */
  Map<String, String> matchListing(String path) {
    return match(listing, pathPlaceholders, path);
  }

  /** The placeholder values of a total path, or null. */
  Map<String, String> matchTotal(String path) {
    return total == null ? null : match(total, pathPlaceholders, path);
  }

  private static Map<String, String> match(Pattern p, List<String> names, String path) {
    Matcher m = p.matcher(path);
    if (!m.matches()) {
      return null;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < m.groupCount() && i < names.size(); i++) {
      values.put(names.get(i), m.group(i + 1));
    }
    return values;
  }

  /** Placeholders given in query parameters (a child resource whose params name its parent's fields). */
  void placeholdersFromParams(Map<String, String> params, Map<String, String> into) throws Refusal {
    for (Map.Entry<String, Map.Entry<Pattern, List<String>>> e : paramPlaceholders.entrySet()) {
      String value = params.get(e.getKey());
      Matcher m = value == null ? null : e.getValue().getKey().matcher(value);
      if (m == null || !m.matches()) {
        throw new Refusal(400, "parameter " + e.getKey() + " is required");
      }
      for (int i = 0; i < e.getValue().getValue().size(); i++) {
        into.put(e.getValue().getValue().get(i), m.group(i + 1));
      }
    }
  }

  // --- Reading a request --------------------------------------------------------------------------

  /** The page a listing request asks for: its offset and size in the listing, per the paginator. */
  long[] window(Map<String, String> params) throws Refusal {
    if (paginator instanceof PageNumber p) {
      int size = pageSize(params, p.pageSizeParam(), p.pageSize(), p.maxPageSize());
      long page = number(params, p.pageParam(), p.basePage());
      long index = Math.max(0, page - p.basePage());
      return new long[] {index * size, size};
    }
    if (paginator instanceof Offset o) {
      int size = pageSize(params, o.limitParam(), o.limit(), o.maxLimit());
      long offset = Math.max(0, number(params, o.offsetParam(), 0));
      return new long[] {offset, size};
    }
    if (paginator instanceof JsonLink || paginator instanceof HeaderLink) {
      if (pagedByNumber()) {
        int size = pageSize(params, serve.linkParam("page_size", "per_page"), null, null);
        long page = Math.max(1, number(params, serve.linkParam("page", "page"), 1));
        return new long[] {(page - 1) * size, size};
      }
      int size = pageSize(params, serve.linkParam("limit", "limit"), null, null);
      return new long[] {Math.max(0, number(params, serve.linkParam("offset", "offset"), 0)), size};
    }
    if (paginator instanceof Cursor c) {
      int size = pageSize(params, serve.linkParams().get("limit"), null, null);
      String cursor = params.get(c.cursorParam());
      return new long[] {cursor == null || cursor.isEmpty() ? 0 : decodeCursor(cursor), size};
    }
    return new long[] {0, Integer.MAX_VALUE};
  }

  private int pageSize(Map<String, String> params, String param, Integer declared, Integer declaredMax) throws Refusal {
    int fallback = serve.defaultPageSize() != null ? serve.defaultPageSize() : declared != null ? declared : 50;
    Integer max = serve.maxPageSize() != null ? serve.maxPageSize() : declaredMax;
    long size = param == null ? fallback : number(params, param, fallback);
    size = Math.max(1, size);
    return (int) (max == null ? Math.min(size, 100_000) : Math.min(size, max));
  }

  private static long number(Map<String, String> params, String name, long fallback) throws Refusal {
    String v = params.get(name);
    if (v == null) {
      return fallback;
    }
    if (!v.trim().matches("-?\\d{1,12}")) {
      throw new Refusal(400, name + " must be a number, got '" + v + "'");
    }
    return Long.parseLong(v.trim());
  }

  static String encodeCursor(long offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("replay:" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static long decodeCursor(String cursor) throws Refusal {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith("replay:")) {
        return Long.parseLong(s.substring("replay:".length()));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the refusal
    }
    throw new Refusal(400, "invalid cursor");
  }

  // --- The records a request sees -------------------------------------------------------------------

  /** Records and their pages, rendered once per page size on first use. */
  static final class Paged {
    final List<byte[]> records;
    private final Map<Integer, List<byte[]>> pagesBySize = new ConcurrentHashMap<>();

    Paged(List<byte[]> records) {
      this.records = records;
    }

    /** The JSON array of {@code size} records from {@code offset}. */
    byte[] array(long offset, int size) {
      if (offset >= records.size()) {
        return EMPTY_ARRAY;
      }
      if (offset % size == 0 && size <= 10_000) {
        List<byte[]> pages = pagesBySize.computeIfAbsent(size, this::render);
        return pages.get((int) (offset / size));
      }
      return join(records.subList((int) offset, (int) Math.min(records.size(), offset + (long) size)));
    }

    private List<byte[]> render(int size) {
      List<byte[]> pages = new ArrayList<>();
      for (int from = 0; from < records.size(); from += size) {
        pages.add(join(records.subList(from, Math.min(records.size(), from + size))));
      }
      return List.copyOf(pages);
    }

    /** Records joined by commas in brackets, no whitespace. */
    static byte[] join(List<byte[]> slice) {
      int length = 1 + Math.max(1, slice.size());
      for (byte[] r : slice) {
        length += r.length;
      }
      byte[] body = new byte[length];
      int at = 0;
      body[at++] = '[';
      for (byte[] r : slice) {
        if (at > 1) {
          body[at++] = ',';
        }
        System.arraycopy(r, 0, body, at, r.length);
        at += r.length;
      }
      body[at] = ']';
      return body;
    }
  }

  /** This resource's records at one time, with what is derived from them on first use. */
  final class Served {
    final Paged all;
    private final Map<String, Paged> byParent = new ConcurrentHashMap<>();
    private final Map<String, Paged> since = new ConcurrentHashMap<>();
    private final Map<String, List<byte[]>> children;
    private volatile String[] cursors;

    Served(List<byte[]> records, Map<String, List<byte[]>> children) {
      this.all = new Paged(records);
      this.children = children;
    }

    int size() {
      return children == null ? all.records.size() : children.values().stream().mapToInt(List::size).sum();
    }

    /** The records a request sees: its parent's (a child resource), those changed since its start value. */
    Paged records(Request request) throws Refusal {
      Paged base;
      if (children != null) {
        List<String> values = new ArrayList<>();
        for (String placeholder : ReplayRecords.placeholders(resource)) {
          values.add(request.placeholders().get(placeholder));
        }
        String key = String.join("/", values);
        List<byte[]> list = children.get(key);
        if (list == null) {
          throw new Refusal(404, "no " + resource.parent().resource() + " " + key);
        }
        base = byParent.computeIfAbsent(key, k -> new Paged(list));
      } else {
        base = all;
      }
      Source.Incremental inc = resource.endpoint().incremental();
      String start = inc == null ? null : request.params().get(inc.startParam());
      if (start == null || start.isEmpty()) {
        return base;
      }
      Comparable<Object> from = comparable(inc, start);
      if (from == null) {
        throw new Refusal(400, inc.startParam() + " must be " + (inc.compare() == Source.Incremental.Compare.TIMESTAMP
            ? "an ISO-8601 timestamp" : inc.compare() == Source.Incremental.Compare.NUMBER ? "a number" : "text"));
      }
      if (base != all) {
        return new Paged(filter(base.records, null, inc, from));
      }
      if (since.size() > 64) {
        since.clear();
      }
      return since.computeIfAbsent(start, s -> new Paged(filter(all.records, cursorValues(), inc, from)));
    }

    private String[] cursorValues() {
      String[] c = cursors;
      if (c == null) {
        c = new String[all.records.size()];
        for (int i = 0; i < c.length; i++) {
          c[i] = cursorOf(all.records.get(i));
        }
        cursors = c;
      }
      return c;
    }

    private List<byte[]> filter(List<byte[]> records, String[] cursors, Source.Incremental inc, Comparable<Object> from) {
      List<byte[]> out = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        String value = cursors != null ? cursors[i] : cursorOf(records.get(i));
        Comparable<Object> v = value == null ? null : comparable(inc, value);
        if (v != null && v.compareTo(from) >= 0) {
          out.add(records.get(i));
        }
      }
      return out;
    }
  }

  Served served(List<byte[]> records, Map<String, List<byte[]>> children) {
    return new Served(records, resource.parent() == null ? null : children);
  }

  private String cursorOf(byte[] record) {
    try {
      return JsonValues.scalarText(JsonValues.at(JsonValues.parse(record), cursorPath));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> comparable(Source.Incremental inc, String value) {
    try {
      Comparable<?> c = switch (inc.compare()) {
        case TIMESTAMP -> OffsetDateTime.parse(value.trim()).toInstant();
        case NUMBER -> new BigDecimal(value.trim());
        case TEXT -> value;
      };
      return (Comparable<Object>) c;
    } catch (DateTimeParseException | NumberFormatException e) {
      return null;
    }
  }

  // --- Writing the answer ------------------------------------------------------------------------------

  /** The page {@code request} asks for. {@code self} is the absolute URL of this request, for links. */
  Reply page(Served served, Request request, LinkBuilder links) throws Refusal {
    Paged records = served.records(request);
    int n = records.records.size();
    long offset = request.offset();
    int size = request.pageSize();
    byte[] array = paginator instanceof SinglePage ? Paged.join(records.records) : records.array(offset, size);
    Map<String, String> headers = new LinkedHashMap<>();
    boolean more = !(paginator instanceof SinglePage) && offset + size < n;
    if (paginator instanceof HeaderLink h) {
      String link = linkHeader(h, request, links, n);
      if (link != null) {
        headers.put("Link", link);
      }
    }
    if (dataSelector == null) {
      return new Reply(200, array, headers);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("total", Num.of(n));
    values.put("offset", Num.of(offset));
    values.put("limit", Num.of(size));
    values.put("page", Num.of(request.page()));
    values.put("page_size", Num.of(size));
    values.put("href", links.self(request));
    values.put("next", more ? links.to(request, offset + size) : null);
    values.put("previous", offset > 0 ? links.to(request, Math.max(0, offset - size)) : null);
    values.put("cursor", more ? encodeCursor(offset + size) : null);
    Object body = serve.envelope() == null ? new LinkedHashMap<String, Object>() : fill(serve.envelope(), values, false);
    put(body, dataSelector, RECORDS_SENTINEL);
    Total t = total();
    if (t != null && t.endpoint() == null) {
      put(body, t.path().split("\\."), Num.of(t.countsPages() ? (n + size - 1) / size : n));
    }
    if (paginator instanceof JsonLink j) {
      put(body, j.nextUrlPath().split("\\."), values.get("next"));
    }
    if (paginator instanceof Cursor c) {
      put(body, c.cursorPath().split("\\."), values.get("cursor"));
    }
    return new Reply(200, splice(JsonValues.bytes(body), array), headers);
  }

  /** The answer of the total endpoint for {@code request}. */
  Reply total(Served served, Request request) throws Refusal {
    Total t = total();
    int n = served.records(request).records.size();
    long count = t.countsPages() ? (n + request.pageSize() - 1) / request.pageSize() : n;
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("total", Num.of(count));
    values.put("page", Num.of(request.page()));
    values.put("page_size", Num.of(request.pageSize()));
    values.put("offset", Num.of(request.offset()));
    values.put("limit", Num.of(request.pageSize()));
    boolean strings = serve.totalNumbersAsStrings();
    Object body = serve.totalBody() == null ? new LinkedHashMap<String, Object>() : fill(serve.totalBody(), values, strings);
    Object declared = strings ? Long.toString(count) : Num.of(count);
    if (!declared.equals(JsonValues.at(body, t.path().split("\\.")))) {
      put(body, t.path().split("\\."), declared);
    }
    return new Reply(200, JsonValues.bytes(body), Map.of());
  }

  private String linkHeader(HeaderLink h, Request request, LinkBuilder links, int n) {
    int size = request.pageSize();
    long offset = request.offset();
    long lastOffset = n == 0 ? 0 : ((n - 1L) / size) * size;
    List<String> parts = new ArrayList<>();
    if (offset > 0) {
      parts.add("<" + links.to(request, Math.max(0, offset - size)) + ">; rel=\"prev\"");
    }
    if (offset + size < n) {
      parts.add("<" + links.to(request, offset + size) + ">; rel=\"" + h.rel() + "\"");
    }
    if (lastOffset > 0) {
      parts.add("<" + links.to(request, lastOffset) + ">; rel=\"last\"");
    }
    if (offset > 0) {
      parts.add("<" + links.to(request, 0) + ">; rel=\"first\"");
    }
    return parts.isEmpty() ? null : String.join(", ", parts);
  }

  /** Builds absolute URLs of this server for pages of a request. */
  interface LinkBuilder {
    String self(Request request);

    /** The URL of the page of {@code request}'s listing that starts at {@code offset}. */
    String to(Request request, long offset);
  }

  /** The query parameters a link to another page sets, by paginator: name -> value for the page at {@code offset}. */
  Map<String, String> linkParams(Request request, long offset) {
    Map<String, String> out = new LinkedHashMap<>();
    int size = request.pageSize();
    if (pagedByNumber()) {
      out.put(serve.linkParam("page", "page"), Long.toString(offset / size + 1));
      out.put(serve.linkParam("page_size", "per_page"), Integer.toString(size));
    } else {
      out.put(serve.linkParam("offset", "offset"), Long.toString(offset));
      out.put(serve.linkParam("limit", "limit"), Integer.toString(size));
    }
    return out;
  }

  /**
   * Whether the links of a json_link or header_link resource name pages ({@code page},
   * {@code page_size}) rather than offsets ({@code offset}, {@code limit}): header_link by
   * default (GitHub's page and per_page), json_link when link_params names a page parameter.
   */
  private boolean pagedByNumber() {
    if (paginator instanceof HeaderLink) {
      return !serve.linkParams().containsKey("offset");
    }
    return serve.linkParams().containsKey("page");
  }

  /**
   * A template with its {@code ${name}} strings replaced: a string that is one placeholder takes
   * the value itself (a number, null or a URL), a placeholder inside other text its text.
   */
  private static Object fill(Object template, Map<String, Object> values, boolean numbersAsStrings) {
    if (template instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, fill(v, values, numbersAsStrings)));
      return out;
    }
    if (template instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(fill(v, values, numbersAsStrings)));
      return out;
    }
    if (template instanceof String s && s.contains("${")) {
      if (s.startsWith("${") && s.endsWith("}") && s.indexOf("${", 2) < 0) {
        String name = s.substring(2, s.length() - 1);
        if (name.equals("records")) {
          return RECORDS_SENTINEL;
        }
        Object v = values.get(name);
        return numbersAsStrings && v instanceof Num num ? num.text() : v;
      }
      StringBuilder b = new StringBuilder();
      Matcher m = Pattern.compile("\\$\\{([a-z_]+)}").matcher(s);
      int at = 0;
      while (m.find()) {
        b.append(s, at, m.start());
        Object v = values.get(m.group(1));
        b.append(v == null ? "" : JsonValues.scalarText(v));
        at = m.end();
      }
      return b.append(s.substring(at)).toString();
    }
    return template;
  }

  /** Sets {@code value} at a dot path of an object, making the objects on the way. */
  @SuppressWarnings("unchecked")
  private static void put(Object root, String[] path, Object value) {
    Map<String, Object> at = (Map<String, Object>) root;
    for (int i = 0; i < path.length - 1; i++) {
      Object next = at.get(path[i]);
      if (!(next instanceof Map)) {
        next = new LinkedHashMap<String, Object>();
        at.put(path[i], next);
      }
      at = (Map<String, Object>) next;
    }
    at.put(path[path.length - 1], value);
  }

  /** The envelope with the records array put where the sentinel is. */
  private static byte[] splice(byte[] envelope, byte[] array) {
    int at = indexOf(envelope, RECORDS_SENTINEL_JSON);
    if (at < 0) {
      throw new IllegalStateException("the records have no place in the envelope");
    }
    byte[] out = new byte[envelope.length - RECORDS_SENTINEL_JSON.length + array.length];
    System.arraycopy(envelope, 0, out, 0, at);
    System.arraycopy(array, 0, out, at, array.length);
    System.arraycopy(envelope, at + RECORDS_SENTINEL_JSON.length, out, at + array.length,
        envelope.length - at - RECORDS_SENTINEL_JSON.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A query parameter value encoded as a URL would carry it. */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
