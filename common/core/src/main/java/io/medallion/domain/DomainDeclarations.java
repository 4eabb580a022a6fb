package io.medallion.domain;

import com.google.gson.JsonParser;
import com.networknt.schema.JsonSchema;
import io.medallion.source.DeclarationException;
import io.medallion.source.DeclarationException.Problem;
import io.medallion.source.Json;
import io.medallion.source.SourceDeclarations;
import io.medallion.source.SourceFiles;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Reads and checks domain declarations ({@code schemas/domains/<name>.json}). */
public final class DomainDeclarations {

  public static final String DIRECTORY = "schemas/domains/";

  /** An IAM principal that is an email: {@code group:}, {@code user:} or {@code serviceAccount:}. */
  private static final Pattern PRINCIPAL = Pattern.compile("^(group|user|serviceAccount):[^@\\s:]+@[^@\\s]+\\.[^@\\s.]+$");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s:]+@[^@\\s]+\\.[^@\\s.]+$");

  private static final class Schema {
    static final JsonSchema INSTANCE = SourceDeclarations.loadSchema("schemas/domain.schema.json");
  }

  private DomainDeclarations() {}

  /**
   * Checks a domain declaration's text; {@code path} is where it is (its name must match).
   *
   * @throws DeclarationException listing every problem, each with its field
   */
  public static Domain parse(SourceFiles files, String path, String text) throws DeclarationException {
    String where = files.describe(path);
    if (!files.checkedByTheBuild()) {
      SourceDeclarations.checkAgainstSchema(Schema.INSTANCE, where, text);
    }
    Json root = new Json(JsonParser.parseString(text).getAsJsonObject(), "");
    Json owner = root.child("owner").orElseThrow();
    Json slo = root.child("slo").orElseThrow();
    Json freshness = slo.child("freshness").orElseThrow();
    Json quality = slo.child("quality").orElseThrow();
    Domain domain = new Domain(root.required("name"), root.required("description"),
        new Domain.Owner(owner.required("team"), owner.required("contact")),
        root.strings("consumers"), root.strings("sensitive_readers"), root.secret("masking_salt").orElse(null),
        new Domain.Slo(
            new Domain.Freshness(LocalTime.parse(freshness.required("gold_by")), freshness.number("objective").orElseThrow(),
                freshness.integer("window_days").orElse(28)),
            new Domain.Quality(quality.number("objective").orElseThrow(), quality.integer("window_days").orElse(28))),
        where);
    List<Problem> problems = new ArrayList<>();
    String expected = path.substring(path.lastIndexOf('/') + 1);
    if (!expected.equals(domain.name() + ".json")) {
      problems.add(new Problem(where, "/name", "the domain '" + domain.name() + "' must be in a file named "
          + domain.name() + ".json"));
    }
    if (!EMAIL.matcher(domain.owner().contact()).matches()) {
      problems.add(new Problem(where, "/owner/contact", "'" + domain.owner().contact() + "' is not an email address"));
    }
    principals(root, "consumers", where, problems);
    principals(root, "sensitive_readers", where, problems);
    if (!problems.isEmpty()) {
      throw new DeclarationException(problems);
    }
    return domain;
  }

  private static void principals(Json root, String field, String where, List<Problem> problems) {
    List<String> list = root.strings(field);
    for (int i = 0; i < list.size(); i++) {
      if (!PRINCIPAL.matcher(list.get(i)).matches()) {
        problems.add(new Problem(where, root.at(field) + "/" + i, "'" + list.get(i)
            + "' is not an IAM principal with an email: write group:<email>, user:<email> or serviceAccount:<email>"));
      }
    }
  }
}
