package io.medallion.source;

import io.medallion.domain.Domain;
import io.medallion.domain.DomainDeclarations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The allow-list of sources: every declaration shipped on the classpath ({@code
 * schemas/sources/*.json}) and, locally, those in the directories a user names ({@code
 * --sources-dir}, {@code MEDALLION_SOURCES_DIR}), which work exactly like the shipped ones. A source
 * name from a message or an object path is only ever used after it was found here.
 */
public final class SourceRegistry {

  private static volatile SourceRegistry standard;

  /** For a registry read on first use: where it comes from; null once read, or for one made read. */
  private volatile Supplier<SourceRegistry> unread;
  /** Name -> source, in declaration order; null until read. */
  private volatile Map<String, Source> read;
  /** Name -> domain; null for the shipped ones (a registry made of sources), or until read. */
  private volatile Map<String, Domain> domains;

  public SourceRegistry(Source... sources) {
    this(List.of(sources));
  }

  /** A registry of these sources, whose domains are the shipped ones. */
  public SourceRegistry(List<Source> sources) {
    this(sources, null);
  }

  private SourceRegistry(List<Source> sources, Map<String, Domain> domains) {
    Map<String, Source> byName = new LinkedHashMap<>();
    for (Source s : sources) {
      if (byName.put(s.name(), s) != null) {
        throw new IllegalArgumentException("Source " + s.name() + " is declared twice");
      }
    }
    this.read = byName;
    this.domains = domains;
  }

  SourceRegistry(Supplier<SourceRegistry> unread) {
    this.unread = unread;
  }

  /**
   * {@link #standard()}, read when first asked about a source: a function's events that need no
   * source (silver's page notices, one per page; gold's own query jobs) do not pay for reading
   * every declaration, schema and model at a cold start.
   */
  public static SourceRegistry standardOnFirstUse() {
    return new SourceRegistry(SourceRegistry::standard);
  }

  private Map<String, Source> sources() {
    Map<String, Source> r = read;
    if (r == null) {
      synchronized (this) {
        if (read == null) {
          SourceRegistry loaded = unread.get();
          domains = loaded.domains;
          read = loaded.sources();
          unread = null;
        }
        r = read;
      }
    }
    return r;
  }

  /**
   * The sources this build ships, read once.
   *
   * @throws IllegalStateException when a shipped declaration is broken (the build's tests catch it)
   */
  public static SourceRegistry standard() {
    SourceRegistry r = standard;
    if (r == null) {
      try {
        r = load(List.of(SourceFiles.classpath()));
      } catch (DeclarationException | RuntimeException e) {
        // Not schema-checked at run time (SourceFiles#checkedByTheBuild): a broken one may fail anyhow.
        throw new IllegalStateException("A shipped source declaration is broken: " + e.getMessage(), e);
      }
      standard = r;
    }
    return r;
  }

  private static final Map<List<Path>, SourceRegistry> BY_DIRECTORIES = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The sources a configuration names: the shipped ones and those of its {@code
   * MEDALLION_SOURCES_DIR}, read once per list of directories.
   *
   * @throws DeclarationException listing every problem of every declaration
   */
  public static SourceRegistry forConfig(io.medallion.config.MedallionConfig config) throws DeclarationException {
    if (config.sourcesDirs().isEmpty()) {
      return standard();
    }
    SourceRegistry cached = BY_DIRECTORIES.get(config.sourcesDirs());
    if (cached == null) {
      cached = withDirectories(config.sourcesDirs());
      BY_DIRECTORIES.put(config.sourcesDirs(), cached);
    }
    return cached;
  }

  /** The shipped sources and those under {@code directories} (each laid out as the repository is). */
  public static SourceRegistry withDirectories(List<Path> directories) throws DeclarationException {
    if (directories.isEmpty()) {
      return standard();
    }
    List<SourceFiles> roots = new ArrayList<>();
    roots.add(SourceFiles.classpath());
    for (Path d : directories) {
      if (!Files.isDirectory(d.resolve(SourceDeclarations.DIRECTORY))) {
        throw new DeclarationException(List.of(new DeclarationException.Problem(d.toString(), "",
            "not a sources directory: it has no " + SourceDeclarations.DIRECTORY
                + " (lay it out as the repository: schemas/sources/, schemas/bigquery/silver/, sql/<source>/)")));
      }
      roots.add(SourceFiles.directory(d));
    }
    return load(roots);
  }

  /**
   * Every declaration in every root, domains and sources; all problems of all files at once. Besides
   * each file's own checks: every source names a declared domain, and no table (silver table or
   * gold model) is claimed by sources of two domains.
   */
  public static SourceRegistry load(List<SourceFiles> roots) throws DeclarationException {
    List<DeclarationException.Problem> problems = new ArrayList<>();
    SourceRegistry read = read(roots, false, problems);
    if (!problems.isEmpty()) {
      throw new DeclarationException(problems);
    }
    return read;
  }

  /**
   * The problems of the declarations in {@code roots} when read together, as a run would, where a
   * later root's source or domain takes the place of an earlier one of the same name (a file being
   * checked by {@code sources check} replaces the shipped one it edits): each file's own problems
   * and those across files (an undeclared domain, a table of two domains, a sensitive mark).
   */
  public static List<DeclarationException.Problem> check(List<SourceFiles> roots) {
    List<DeclarationException.Problem> problems = new ArrayList<>();
    read(roots, true, problems);
    return problems;
  }

  private static SourceRegistry read(List<SourceFiles> roots, boolean laterReplaces, List<DeclarationException.Problem> problems) {
    List<Source> found = new ArrayList<>();
    Map<String, Domain> domains = new LinkedHashMap<>();
    for (SourceFiles root : roots) {
      for (String file : root.list(DomainDeclarations.DIRECTORY)) {
        if (!file.endsWith(".json")) {
          continue;
        }
        String path = DomainDeclarations.DIRECTORY + file;
        try {
          Domain d = DomainDeclarations.parse(root, path, root.read(path).orElseThrow());
          Domain previous = laterReplaces ? null : domains.putIfAbsent(d.name(), d);
          if (laterReplaces) {
            domains.put(d.name(), d);
          }
          if (previous != null) {
            problems.add(new DeclarationException.Problem(d.file(), "/name",
                "domain '" + d.name() + "' is declared already, in " + previous.file()));
          }
        } catch (DeclarationException e) {
          problems.addAll(e.problems());
        } catch (RuntimeException e) {
          problems.add(new DeclarationException.Problem(root.describe(path), "", "not a domain declaration: " + e.getMessage()));
        }
      }
    }
    Map<String, String> firstFile = new LinkedHashMap<>();
    for (SourceFiles root : roots) {
      for (String name : declarationNames(root)) {
        try {
          Source s = SourceDeclarations.load(root, name);
          if (laterReplaces && firstFile.containsKey(s.name())) {
            found.removeIf(other -> other.name().equals(s.name()));
            firstFile.remove(s.name());
          }
          String previous = firstFile.putIfAbsent(s.name(), s.file());
          if (previous != null) {
            problems.add(new DeclarationException.Problem(s.file(), "/name",
                "source '" + s.name() + "' is declared already, in " + previous));
          } else {
            found.add(s);
          }
        } catch (DeclarationException e) {
          problems.addAll(e.problems());
        }
      }
    }
    checkDomains(found, domains, problems);
    checkSensitive(found, domains, policyTags(roots, problems), problems);
    return new SourceRegistry(found, domains);
  }

  /** Where the policy tags a {@code "sensitive"} mark may name are declared. */
  public static final String POLICY_TAGS = "schemas/policy-tags.json";

  /** The declared policy tags of the first root that has {@link #POLICY_TAGS}, by name. */
  private static Set<String> policyTags(List<SourceFiles> roots, List<DeclarationException.Problem> problems) {
    for (SourceFiles root : roots) {
      Optional<String> text = root.read(POLICY_TAGS);
      if (text.isPresent()) {
        try {
          return new java.util.TreeSet<>(com.google.gson.JsonParser.parseString(text.get()).getAsJsonObject()
              .getAsJsonObject("policy_tags").keySet());
        } catch (RuntimeException e) {
          problems.add(new DeclarationException.Problem(root.describe(POLICY_TAGS), "/policy_tags",
              "not a policy-tag vocabulary ({\"policy_tags\": {\"<tag>\": \"<what it guards>\"}}): " + e.getMessage()));
          return Set.of();
        }
      }
    }
    return Set.of();
  }

  /**
   * Every {@code "sensitive"} mark of every source's silver and gold schema files: a policy tag the
   * vocabulary declares, masking on a STRING column only, {@code hash} only in a domain with a
   * masking salt. A problem names the schema file and the mark's JSON pointer.
   */
  static void checkSensitive(List<Source> sources, Map<String, Domain> domains, Set<String> tags,
      List<DeclarationException.Problem> problems) {
    Set<String> seen = new java.util.HashSet<>();
    for (Source s : sources) {
      List<String> paths = new ArrayList<>();
      s.silverTables().forEach(t -> paths.add("schemas/bigquery/silver/" + t + ".json"));
      s.goldModels().forEach(m -> paths.add("schemas/bigquery/gold/" + m + ".json"));
      Domain domain = domains.get(s.domain());
      for (String path : paths) {
        Optional<String> text = s.files().read(path);
        if (text.isEmpty() || !seen.add(s.files().describe(path))) {
          continue; // a missing file is the source's own problem, said already
        }
        io.medallion.schema.TableSchema schema;
        try {
          schema = io.medallion.schema.TableSchema.parse(text.get());
        } catch (RuntimeException e) {
          if (path.contains("/gold/")) {
            problems.add(new DeclarationException.Problem(s.files().describe(path), "", "not a table schema: " + e.getMessage()));
          }
          continue; // a silver schema's fault is said by the source's check
        }
        for (io.medallion.schema.TableSchema.Marked m : schema.marked()) {
          String file = s.files().describe(path);
          String at = m.pointer() + "/sensitive";
          io.medallion.schema.Sensitivity mark = m.field().sensitivity();
          if (mark.policyTag() != null && !tags.contains(mark.policyTag())) {
            problems.add(new DeclarationException.Problem(file, at + "/policy_tag", "column " + m.path()
                + ": no policy tag '" + mark.policyTag() + "' is declared in " + POLICY_TAGS + " (declared: "
                + String.join(", ", tags) + ")"));
          }
          if (mark.masking() != null && m.field().type() != io.medallion.schema.FieldType.STRING) {
            problems.add(new DeclarationException.Problem(file, at + "/masking", "column " + m.path() + " is "
                + m.field().type() + ": masking (" + mark.masking().id() + ") is defined on STRING columns only"
                + " (make the column STRING, or guard it with a policy tag alone)"));
          }
          if (mark.masking() == io.medallion.schema.Sensitivity.Masking.HASH && domain != null && domain.maskingSalt() == null) {
            problems.add(new DeclarationException.Problem(file, at + "/masking", "column " + m.path()
                + " is masked by hash, but domain '" + domain.name() + "' (" + domain.file() + ") declares no masking_salt"
                + " to key it: add \"masking_salt\": {\"secret\": \"" + domain.name().toUpperCase(java.util.Locale.ROOT)
                + "_MASKING_SALT\"} there"));
          }
        }
      }
    }
  }

  /** Every source's domain is declared; a table belongs to one domain. */
  private static void checkDomains(List<Source> sources, Map<String, Domain> domains, List<DeclarationException.Problem> problems) {
    record Claim(String domain, String file, String pointer) {}
    Map<String, Claim> claims = new LinkedHashMap<>();
    for (Source s : sources) {
      if (!domains.containsKey(s.domain())) {
        problems.add(new DeclarationException.Problem(s.file(), "/domain", "no domain '" + s.domain()
            + "' is declared (" + DomainDeclarations.DIRECTORY + s.domain() + ".json); declared: "
            + String.join(", ", new TreeSet<>(domains.keySet()))));
      }
      List<Claim> mine = new ArrayList<>();
      Map<String, String> tables = new LinkedHashMap<>();
      for (int i = 0; i < s.resources().size(); i++) {
        tables.putIfAbsent("silver table " + s.resources().get(i).silverTable(), "/resources/" + i + "/silver/table");
      }
      for (int i = 0; i < s.goldModels().size(); i++) {
        tables.putIfAbsent("gold model " + s.goldModels().get(i), "/gold/models/" + i);
      }
      for (Map.Entry<String, String> t : tables.entrySet()) {
        Claim claim = new Claim(s.domain(), s.file(), t.getValue());
        Claim other = claims.putIfAbsent(t.getKey(), claim);
        if (other != null && !other.domain().equals(s.domain())) {
          problems.add(new DeclarationException.Problem(s.file(), t.getValue(), "the " + t.getKey()
              + " is claimed by two domains: '" + s.domain() + "' here and '" + other.domain() + "' in " + other.file()
              + " (a table belongs to one domain: rename one)"));
        }
      }
    }
  }

  /** The domain named {@code name}, if declared. */
  public Optional<Domain> domain(String name) {
    return Optional.ofNullable(name == null ? null : domainMap().get(name));
  }

  /** Every declared domain, by name. */
  public List<Domain> domains() {
    return List.copyOf(domainMap().values());
  }

  /** The domain {@code source} belongs to. */
  public Domain domainOf(Source source) {
    return domain(source.domain()).orElseThrow(() -> new IllegalStateException(
        "source " + source.name() + " names domain " + source.domain() + ", which is not declared"));
  }

  /** The sources of {@code domain}, in declaration order. */
  public List<Source> sourcesOf(String domain) {
    return sources().values().stream().filter(s -> s.domain().equals(domain)).toList();
  }

  private Map<String, Domain> domainMap() {
    sources();
    Map<String, Domain> d = domains;
    if (d == null) {
      d = this == standard ? Map.of() : new LinkedHashMap<>(standard().domainMap());
      domains = d;
    }
    return d;
  }

  /** The names of the declarations under {@code schemas/sources/} of a root (generator files are not declarations). */
  static Set<String> declarationNames(SourceFiles root) {
    Set<String> names = new TreeSet<>();
    for (String file : root.list(SourceDeclarations.DIRECTORY)) {
      if (file.endsWith(".json") && file.indexOf('.') == file.length() - ".json".length()) {
        names.add(file.substring(0, file.length() - ".json".length()));
      }
    }
    return names;
  }

  public Optional<Source> find(String name) {
    return Optional.ofNullable(name == null ? null : sources().get(name));
  }

  public Set<String> names() {
    return Collections.unmodifiableSet(sources().keySet());
  }

  public List<Source> all() {
    return List.copyOf(sources().values());
  }
}
