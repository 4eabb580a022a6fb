package io.medallion.source.paginate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code Link} header of RFC 8288 section 3: comma-separated {@code <target>} values, each with
 * {@code ; name=value} parameters whose values are tokens or quoted strings (which may hold commas
 * and semicolons). Several header fields are one list. A {@code rel} holds space-separated
 * relation types, compared case-insensitively.
 */
final class LinkHeader {

  /** One link: its target as written (maybe relative) and its parameters, names in lower case. */
  record Link(String target, Map<String, String> params) {
    /** The relation types of {@code rel}, in lower case. */
    List<String> rels() {
      String rel = params.get("rel");
      return rel == null || rel.isBlank() ? List.of() : List.of(rel.trim().toLowerCase(Locale.ROOT).split("\\s+"));
    }
  }

  private LinkHeader() {}

  /** The first link whose {@code rel} includes {@code rel}. */
  static Optional<Link> find(List<Link> links, String rel) {
    String wanted = rel.toLowerCase(Locale.ROOT);
    return links.stream().filter(l -> l.rels().contains(wanted)).findFirst();
  }

  /**
   * Every link of the header fields {@code values}.
   *
   * @throws PagingException naming the field and where it breaks
   */
  static List<Link> parse(List<String> values) throws PagingException {
    List<Link> links = new ArrayList<>();
    for (String value : values) {
      new Parser(value, links).links();
    }
    return links;
  }

  private static final class Parser {
    private final String s;
    private final List<Link> out;
    private int i;

    Parser(String s, List<Link> out) {
      this.s = s;
      this.out = out;
    }

    void links() throws PagingException {
      while (true) {
        while (i < s.length() && (isSpace(s.charAt(i)) || s.charAt(i) == ',')) {
          i++;
        }
        if (i >= s.length()) {
          return;
        }
        if (s.charAt(i) != '<') {
          throw broken("expected '<' to open a link");
        }
        int close = s.indexOf('>', i + 1);
        if (close < 0) {
          throw broken("a '<' without its '>'");
        }
        String target = s.substring(i + 1, close).trim();
        i = close + 1;
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
          skipSpace();
          if (i >= s.length() || s.charAt(i) == ',') {
            break;
          }
          if (s.charAt(i) != ';') {
            throw broken("expected ';' or ',' after a link");
          }
          i++;
          skipSpace();
          String name = token().toLowerCase(Locale.ROOT);
          if (name.isEmpty()) {
            throw broken("a parameter without a name");
          }
          skipSpace();
          String value = "";
          if (i < s.length() && s.charAt(i) == '=') {
            i++;
            skipSpace();
            value = i < s.length() && s.charAt(i) == '"' ? quoted() : token();
          }
          // RFC 8288 3.3: a rel after the first is ignored.
          params.putIfAbsent(name, value);
        }
        out.add(new Link(target, params));
      }
    }

    private String token() {
      int start = i;
      while (i < s.length() && !isSpace(s.charAt(i)) && ";,=\"".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      return s.substring(start, i);
    }

    private String quoted() throws PagingException {
      StringBuilder v = new StringBuilder();
      i++; // the opening quote
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          return v.toString();
        }
        if (c == '\\' && i < s.length()) {
          c = s.charAt(i++);
        }
        v.append(c);
      }
      throw broken("a quoted value without its closing quote");
    }

    private void skipSpace() {
      while (i < s.length() && isSpace(s.charAt(i))) {
        i++;
      }
    }

    private static boolean isSpace(char c) {
      return c == ' ' || c == '\t';
    }

    private PagingException broken(String what) {
      String shown = s.length() > 300 ? s.substring(0, 300) + "..." : s;
      return new PagingException("the Link header '" + shown + "' is not RFC 8288: " + what + " at character " + (i + 1));
    }
  }
}
