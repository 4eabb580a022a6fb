package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.cli.LocalPipeline;
import io.medallion.config.MedallionConfig;
import io.medallion.event.PushFunction;
import io.medallion.gold.GoldPushFunction;
import io.medallion.ingest.IngestPushFunction;
import io.medallion.silver.SilverPushFunction;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * diagrams/ is current: each committed SVG is the rendering of its PlantUML source, and the
 * diagrams name the topics, subscriptions, buckets, functions, entry points and tables that the
 * code and terraform/ use (with the default name_prefix).
 */
class DiagramsAreCurrentTest {

  /** -Dmedallion.renderDiagrams=true writes the SVGs instead of comparing them. */
  private static final boolean RENDER = Boolean.getBoolean("medallion.renderDiagrams");
  private static final String RERENDER =
      "mvn -B -q -pl functions/cli -am test -Dtest=DiagramsAreCurrentTest -Dsurefire.failIfNoSpecifiedTests=false"
          + " -Dmedallion.renderDiagrams=true";
  private static final MedallionConfig CODE = MedallionConfig.defaults();
  private static final Map<String, Class<? extends PushFunction>> FUNCTIONS = new LinkedHashMap<>();

  static {
    FUNCTIONS.put("ingest", IngestPushFunction.class);
    FUNCTIONS.put("silver", SilverPushFunction.class);
    FUNCTIONS.put("gold", GoldPushFunction.class);
  }

  static Path diagrams;
  static String prefix;

  @BeforeAll
  static void locate() throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path root = Repository.root();
    diagrams = root.resolve("diagrams");
    Matcher m = Pattern.compile("variable \"name_prefix\" \\{[^}]*?default\\s*=\\s*\"([^\"]+)\"")
        .matcher(Files.readString(root.resolve("terraform").resolve("variables.tf")));
    assertTrue(m.find(), "no default for variable name_prefix in terraform/variables.tf");
    prefix = m.group(1);
  }

  @Test
  void everySvg_isTheRenderingOfItsSource() throws IOException {
    List<Path> sources = sources();
    assertEquals(List.of("architecture.puml", "event-sequence.puml"),
        sources.stream().map(p -> p.getFileName().toString()).toList());
    List<String> stale = new ArrayList<>();
    for (Path source : sources) {
      Path svg = source.resolveSibling(source.getFileName().toString().replaceFirst("\\.puml$", ".svg"));
      String rendered = render(source);
      if (RENDER) {
        Files.writeString(svg, rendered);
      } else if (!Files.exists(svg) || !normalized(Files.readString(svg)).equals(normalized(rendered))) {
        stale.add("diagrams/" + svg.getFileName());
      }
    }
    assertTrue(stale.isEmpty(), stale + " not rendered from the current source. Re-render with:\n  " + RERENDER);
  }

  @Test
  void architecture_namesWhatTheCodeAndTerraformUse() throws IOException {
    String text = Files.readString(diagrams.resolve("architecture.puml"));
    List<String> names = new ArrayList<>(deployedNames());
    FUNCTIONS.forEach((fn, type) -> {
      names.add(prefix + "-" + fn); // the function and its service account
      names.add(type.getName());
    });
    names.add(prefix + "-" + CODE.runRequestsTopic() + "-ingest");
    names.add(prefix + "-" + LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC + "-silver");
    names.add(prefix + "-" + CODE.bqJobsTopic() + "-gold");
    names.add(prefix + "-" + CODE.deadLettersTopic() + "-keep");
    // The webhook: an HTTP function, no push subscription; and where it publishes pushed records.
    names.add(prefix + "-webhook");
    names.add(io.medallion.webhook.WebhookFunction.class.getName());
    names.add(prefix + "-push-<source>");
    // The query API: its function, the gateway in front of it and their accounts (api.tf).
    names.add(prefix + "-api");
    names.add(prefix + "-gateway");
    names.add(io.medallion.api.ApiFunction.class.getName());
    names.add(io.medallion.api.ApiFunction.TOKEN_KEY);
    // Every declared source's scheduler job, secrets, silver tables and gold models.
    for (Source s : SourceRegistry.standard().all()) {
      if (s.schedule() != null) {
        // A stream source's job asks for a gold build (stream.tf); any other's for a run.
        names.add(prefix + (s.streams() ? "-gold-" : "-run-") + s.name().replace('_', '-') + " (" + s.schedule() + ")");
      }
      if (s.push() != null && !s.streams()) {
        // A source pushed to in mode files: its collection job (sources.tf collect_pushed).
        int every = s.push().loadEveryMinutes();
        names.add(prefix + "-collect-" + s.name().replace('_', '-') + " (" + (every == 60 ? "0 * * * *" : "*/" + every + " * * * *") + ")");
      }
      if (s.streams()) {
        String topic = prefix + "-" + LocalPipeline.pushTopic(s.name());
        names.add(topic);
        names.add(topic + "-to-silver");
        names.add(prefix + "-" + LocalPipeline.streamDeadLetterTopic(s.name()));
        names.add(prefix + "-" + LocalPipeline.GOLD_SCHEDULE_TOPIC + "-gold");
      }
      s.secrets().forEach(secret -> names.add(secret.name()));
      s.silverTables().forEach(t -> names.add(dataset(CODE.silverDataset(s)) + "." + t));
      s.goldModels().forEach(m -> names.add(dataset(CODE.goldDataset(s)) + "." + m));
    }
    // Each domain's masking salt, and the ops table that rolls cost up per domain (cost.tf).
    SourceRegistry.standard().domains().forEach(d -> {
      if (d.maskingSalt() != null) {
        names.add(d.maskingSalt().name());
      }
    });
    names.add(dataset(CODE.opsDataset()) + ".cost_by_domain_month");
    assertNamed("architecture.puml", text, names);
  }

  @Test
  void eventSequence_namesWhatTheCodeAndTerraformUse() throws IOException {
    String text = Files.readString(diagrams.resolve("event-sequence.puml"));
    List<String> names = new ArrayList<>(deployedNames());
    FUNCTIONS.values().forEach(type -> names.add(type.getSimpleName()));
    assertNamed("event-sequence.puml", text, names);
  }

  /** Names both diagrams show: topics, buckets, the first source's silver table and the ledger. */
  private static List<String> deployedNames() {
    Source breweries = SourceRegistry.standard().find("breweries").orElseThrow();
    return List.of(
        prefix + "-run-" + breweries.name(),
        prefix + "-" + CODE.runRequestsTopic(),
        prefix + "-" + CODE.bqJobsTopic(),
        prefix + "-" + CODE.deadLettersTopic(),
        prefix + "-" + LocalPipeline.BRONZE_NOTIFICATIONS_TOPIC,
        "PROJECT-" + CODE.bronzeBucket(),
        "PROJECT-" + CODE.stagingBucket(),
        dataset(CODE.silverDataset(breweries)) + "." + breweries.silverTable(),
        dataset(CODE.opsDataset()) + "." + CODE.ledgerTable().table());
  }

  private static String dataset(String layer) {
    return prefix.replace('-', '_') + "_" + layer;
  }

  private static void assertNamed(String diagram, String text, List<String> names) {
    List<String> missing = names.stream().filter(n -> !text.contains(n)).toList();
    assertTrue(missing.isEmpty(), "diagrams/" + diagram + " does not name " + missing);
  }

  private static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.list(diagrams)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".puml")).sorted().toList();
    }
  }

  private static String render(Path source) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SourceStringReader reader = new SourceStringReader(Files.readString(source));
    String description = reader.outputImage(out, new FileFormatOption(FileFormat.SVG)).getDescription();
    String svg = out.toString(StandardCharsets.UTF_8);
    assertTrue(!svg.contains("Syntax Error") && description != null && !description.contains("Error"),
        "PlantUML cannot render diagrams/" + source.getFileName() + ": " + description);
    return svg;
  }

  /**
   * The SVG without its geometry: positions, sizes and edge routes follow from text widths, which
   * depend on the fonts of the machine that renders. Text, shapes, their order and the encoded
   * source PlantUML embeds remain.
   */
  static String normalized(String svg) {
    return svg.replaceAll("\\b(d|points)=\"[^\"]*\"", "$1=\"\"").replaceAll("-?[0-9]+(\\.[0-9]+)?", "0");
  }
}
