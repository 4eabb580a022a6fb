package io.medallion.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.medallion.port.TableId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventSplitterTest {

  private static final UUID RUN = OpenLineage.runId("run-1", "huge.gold.wide");

  /** A COMPLETE event of a model with {@code columns} columns, each read from {@code inputs} silver columns. */
  private static JsonObject wideModel(int columns, int inputs) {
    OpenLineage.Dataset silver = OpenLineage.bigQuery("p", new TableId("silver", "wide_source_table_with_a_long_name"));
    Map<String, List<OpenLineage.InputField>> fields = new LinkedHashMap<>();
    for (int c = 0; c < columns; c++) {
      List<OpenLineage.InputField> in = new ArrayList<>();
      for (int i = 0; i < inputs; i++) {
        in.add(new OpenLineage.InputField(silver, "input_column_" + c + "_" + i));
      }
      fields.put("output_column_" + c, in);
    }
    return OpenLineage.RunEvent.of(OpenLineage.EventType.COMPLETE, Instant.parse("2026-12-05T00:00:00Z"), "medallion:p",
            "huge.gold.wide", RUN)
        .jobFacet("sql", OpenLineage.sql("create or replace table gold.wide as select ..."))
        .input(silver)
        .output(OpenLineage.bigQuery("p", new TableId("gold", "wide"))
            .with("columnLineage", OpenLineage.columnLineage(fields))
            .with("outputStatistics", OpenLineage.outputStatistics(1L, null, null)))
        .build();
  }

  @Test
  void anEventOverTheDataLineageLimit_isSplitIntoEventsOfTheSameRun_thatTogetherCarryEveryColumn() {
    JsonObject huge = wideModel(20_000, 4);
    assertTrue(EventSplitter.size(huge) > EventSplitter.DATA_LINEAGE_MAX_BYTES, "over 5 MB: " + EventSplitter.size(huge));

    List<JsonObject> parts = EventSplitter.split(huge, EventSplitter.DATA_LINEAGE_MAX_BYTES);

    assertTrue(parts.size() >= 2, "split: " + parts.size());
    Set<String> columns = new HashSet<>();
    int inputFields = 0;
    for (int i = 0; i < parts.size(); i++) {
      JsonObject p = parts.get(i);
      assertTrue(EventSplitter.size(p) <= EventSplitter.DATA_LINEAGE_MAX_BYTES, "part " + i + ": " + EventSplitter.size(p));
      assertEquals(RUN.toString(), p.getAsJsonObject("run").get("runId").getAsString());
      assertEquals(i == parts.size() - 1 ? "COMPLETE" : "RUNNING", p.get("eventType").getAsString(), "the run ends once, last");
      assertEquals(huge.get("inputs"), p.get("inputs"));
      JsonObject out = p.getAsJsonArray("outputs").get(0).getAsJsonObject();
      assertEquals(huge.getAsJsonArray("outputs").get(0).getAsJsonObject().get("outputFacets"), out.get("outputFacets"));
      JsonObject fields = out.getAsJsonObject("facets").getAsJsonObject("columnLineage").getAsJsonObject("fields");
      for (var f : fields.entrySet()) {
        assertTrue(columns.add(f.getKey()), f.getKey() + " sent twice");
        inputFields += f.getValue().getAsJsonObject().getAsJsonArray("inputFields").size();
      }
    }
    assertEquals(20_000, columns.size(), "every column, none lost");
    assertEquals(80_000, inputFields, "every input column of every column");
  }

  @Test
  void anEventUnderTheLimit_isSentAsItIs() {
    JsonObject small = wideModel(10, 2);
    assertEquals(List.of(small), EventSplitter.split(small, EventSplitter.DATA_LINEAGE_MAX_BYTES));
  }

  @Test
  void aSmallLimit_givesAPartPerColumn_whenOnlyOneFits() {
    JsonObject event = wideModel(3, 1);
    int base = EventSplitter.size(event) - 150; // room for about one column beside the rest
    List<JsonObject> parts = EventSplitter.split(event, base);
    assertEquals(3, parts.size(), parts.toString());
  }

  @Test
  void runIds_areTheSameForTheSameRunAndJob_andDifferOtherwise() {
    assertEquals(OpenLineage.runId("r1", "b.silver"), OpenLineage.runId("r1", "b.silver"));
    assertTrue(!OpenLineage.runId("r1", "b.silver").equals(OpenLineage.runId("r2", "b.silver")));
    assertTrue(!OpenLineage.runId("r1", "b.silver").equals(OpenLineage.runId("r1", "b.ingest")));
  }

  @Test
  void aSinkThatFails_isLoggedAndCounted_neverThrown() {
    io.medallion.metrics.Metrics metrics = io.medallion.metrics.Metrics.inMemory();
    List<JsonObject> sent = new ArrayList<>();
    LineageSink failing = new LineageSink() {
      @Override
      public void send(JsonObject event) throws java.io.IOException {
        if (sent.size() >= 1) {
          throw new java.io.IOException("the lineage service is down");
        }
        sent.add(event);
      }
    };
    Lineage lineage = new Lineage(failing, metrics);
    lineage.emit("b.silver", () -> wideModel(1, 1));
    lineage.emit("b.silver", () -> wideModel(1, 1));
    lineage.emit("b.silver", () -> {
      throw new IllegalStateException("a facet could not be built");
    });
    assertEquals(1, sent.size());
    assertEquals(2.0, metrics.registry().counter(Lineage.FAILURES, "job", "b.silver").count());
  }
}
