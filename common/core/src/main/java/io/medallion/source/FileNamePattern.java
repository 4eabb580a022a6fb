package io.medallion.source;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file-name pattern with named parts, as a file resource declares it: {@code vendas_{year}.xlsx},
 * {@code audiencia_{date}.csv}, {@code *.csv}. {@code {name}} matches one or more characters and
 * captures them as the part {@code name}; {@code *} matches any characters; everything else is
 * literal. A name matches when the whole file name (after the inbox prefix, sub-folders included)
 * does, ignoring case, so {@code VENDAS_2017.XLSX} is {@code vendas_{year}.xlsx} too.
 */
public final class FileNamePattern {

  private static final Pattern PART = Pattern.compile("\\{([a-z][a-z0-9_]*)}|\\*");

  private final String text;
  private final Pattern regex;
  private final List<String> parts;

  private FileNamePattern(String text, Pattern regex, List<String> parts) {
    this.text = text;
    this.regex = regex;
    this.parts = List.copyOf(parts);
  }

  /**
   * @throws IllegalArgumentException for a part named twice or a brace that names no part
   */
  public static FileNamePattern parse(String text) {
    StringBuilder re = new StringBuilder();
    List<String> parts = new ArrayList<>();
    Matcher m = PART.matcher(text);
    int at = 0;
    while (m.find()) {
      re.append(Pattern.quote(text.substring(at, m.start())));
      if (m.group(1) == null) {
        re.append(".*?");
      } else {
        if (parts.contains(m.group(1))) {
          throw new IllegalArgumentException("pattern '" + text + "' names the part {" + m.group(1) + "} twice");
        }
        parts.add(m.group(1));
        re.append("(?<").append(m.group(1).replace("_", "U")).append(">[^/]+?)");
      }
      at = m.end();
    }
    String rest = text.substring(at);
    if (rest.contains("{") || rest.contains("}") || text.substring(0, at).replaceAll(PART.pattern(), "").contains("{")) {
      throw new IllegalArgumentException("pattern '" + text + "': a part is {name}, lower case letters, digits and _");
    }
    re.append(Pattern.quote(rest));
    return new FileNamePattern(text, Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), parts);
  }

  /** The parts a name's match captures, by name in pattern order; empty when it does not match. */
  public Optional<Map<String, String>> match(String name) {
    Matcher m = regex.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : parts) {
      out.put(p, m.group(p.replace("_", "U")));
    }
    return Optional.of(out);
  }

  /** The part names, in pattern order. */
  public List<String> parts() {
    return parts;
  }

  /** {@code template} with each {@code {part}} replaced by its value in {@code values}. */
  public static String fill(String template, Map<String, String> values) {
    Matcher m = Pattern.compile("\\{([a-z][a-z0-9_]*)}").matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalArgumentException("'" + template + "' names {" + m.group(1) + "}, which the file name has not");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v.toLowerCase(Locale.ROOT)));
    }
    m.appendTail(out);
    return out.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
