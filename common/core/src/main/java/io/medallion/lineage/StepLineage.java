package io.medallion.lineage;

import io.medallion.config.MedallionConfig;
import io.medallion.domain.Domain;
import io.medallion.port.Ports;
import io.medallion.port.TableId;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The lineage of the pipeline's steps, as the steps emit it. Jobs are named {@code <source>.ingest},
 * {@code <source>.silver} and {@code <source>.gold.<model>} in the namespace {@code
 * medallion:<project>}; each run names as its {@code parent} the pipeline run, job {@code <source>},
 * run id {@link OpenLineage#runId} of the medallion run id. Every job carries its source's domain
 * owner ({@code ownership}).
 */
public final class StepLineage {

  private final MedallionConfig config;
  private final SourceRegistry sources;
  private final Lineage lineage;

  public StepLineage(MedallionConfig config, Ports ports, SourceRegistry sources) {
    this.config = config;
    this.sources = sources;
    this.lineage = new Lineage(ports.lineage(), ports.metrics());
  }

  public static String ingestJob(String source) {
    return source + ".ingest";
  }

  public static String silverJob(String source) {
    return source + ".silver";
  }

  public static String goldJob(String source, String model) {
    return source + ".gold." + model;
  }

  public String namespace() {
    return OpenLineage.namespace(config.project());
  }

  /** The silver table as a dataset, in the source's silver dataset. */
  public OpenLineage.Dataset silverTable(Source source, String table) {
    return OpenLineage.bigQuery(config.project(), new TableId(config.silverDataset(source), table));
  }

  /** The gold table as a dataset, in the source's gold dataset. */
  public OpenLineage.Dataset goldTable(Source source, String table) {
    return OpenLineage.bigQuery(config.project(), new TableId(config.goldDataset(source), table));
  }

  /** A table of a layer ({@code silver}, {@code gold}, {@code ops}) as the source's deployment names it. */
  public OpenLineage.Dataset table(Source source, String layer, String table) {
    return switch (layer) {
      case "silver" -> silverTable(source, table);
      case "gold" -> goldTable(source, table);
      case "ops" -> OpenLineage.bigQuery(config.project(), new TableId(config.opsDataset(), table));
      default -> throw new IllegalArgumentException("no layer '" + layer + "' (silver, gold or ops)");
    };
  }

  /**
   * Emits one event of {@code job} for the medallion run {@code runId}; {@code fill} adds inputs,
   * outputs and facets. Never throws (see {@link Lineage}).
   */
  public void emit(OpenLineage.EventType type, Instant at, Source source, String runId, String job,
      Consumer<OpenLineage.RunEvent> fill) {
    lineage.emit(job, () -> {
      UUID id = OpenLineage.runId(runId, job);
      OpenLineage.RunEvent event = OpenLineage.RunEvent.of(type, at, namespace(), job, id)
          .runFacet("parent", OpenLineage.parent(namespace(), source.name(), OpenLineage.runId(runId, source.name())));
      owner(source).ifPresent(o -> event.jobFacet("ownership", OpenLineage.ownership(o.team(), o.contact())));
      fill.accept(event);
      return event.build();
    });
  }

  /** The FAIL event of {@code job}, its error as the {@code errorMessage} facet. */
  public void fail(Instant at, Source source, String runId, String job, String error, Throwable cause,
      Consumer<OpenLineage.RunEvent> fill) {
    emit(OpenLineage.EventType.FAIL, at, source, runId, job, e -> {
      fill.accept(e);
      e.runFacet("errorMessage", OpenLineage.errorMessage(error, cause == null ? null : stackTrace(cause)));
    });
  }

  private Optional<Domain.Owner> owner(Source source) {
    try {
      return Optional.ofNullable(sources.domainOf(source).owner());
    } catch (RuntimeException e) {
      return Optional.empty(); // a source without a declared domain: no ownership facet
    }
  }

  private static String stackTrace(Throwable t) {
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    String s = out.toString();
    return s.length() > 8000 ? s.substring(0, 8000) + "\n\t..." : s;
  }

}
