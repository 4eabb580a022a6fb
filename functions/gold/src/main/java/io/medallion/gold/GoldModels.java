package io.medallion.gold;

import io.medallion.port.TableId;
import io.medallion.source.Source;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gold SQL models of a source, read from {@code sql/<source>/<model>.sql} on the classpath, with
 * their dataset placeholders filled in. Only {@code {{silver}}} and {{@code gold}} exist, and their
 * values are validated identifiers: nothing else is ever substituted into SQL.
 */
public final class GoldModels {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)\\s*}}");

  /** A model ready to run. */
  public record Model(String name, TableId table, String sql) {}

  private GoldModels() {}

  public static List<Model> forSource(Source source, String silverDataset, String goldDataset) {
    Map<String, String> values =
        Map.of(
            "silver", TableId.requireIdentifier(silverDataset, "silver dataset"),
            "gold", TableId.requireIdentifier(goldDataset, "gold dataset"));
    List<Model> models = new ArrayList<>();
    for (String name : source.goldModels()) {
      String path = "sql/" + source.name() + "/" + name + ".sql";
      models.add(new Model(name, new TableId(goldDataset, name), render(read(path), values, path)));
    }
    return models;
  }

  static String render(String template, Map<String, String> values, String where) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException(where + ": unknown placeholder {{" + m.group(1) + "}}");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String read(String path) {
    try (InputStream in = GoldModels.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("Gold model " + path + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }
}
