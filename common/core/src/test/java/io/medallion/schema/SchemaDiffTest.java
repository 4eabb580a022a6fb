package io.medallion.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.schema.SchemaDiff.Change;
import io.medallion.schema.SchemaDiff.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {

  /** An invoice table as it is live: a REQUIRED key, a decimal, a repeated RECORD of items. */
  private static final String LIVE = "{\"name\":\"id\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"},"
      + "{\"name\":\"note\",\"type\":\"STRING\"},"
      + "{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
      + "{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
      + "{\"name\":\"unit_price\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"},"
      + "{\"name\":\"tax\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"rate\",\"type\":\"FLOAT64\"}]}]}";

  private static SchemaDiff diff(String declared) {
    return SchemaDiff.between(TableSchema.parse("[" + declared + "]"), TableSchema.parse("[" + LIVE + "]"));
  }

  /** The live schema with {@code from} replaced by {@code to}. */
  private static SchemaDiff diffReplacing(String from, String to) {
    if (!LIVE.contains(from)) {
      throw new AssertionError("not in the live schema: " + from);
    }
    return diff(LIVE.replace(from, to));
  }

  private static Change only(SchemaDiff d) {
    assertEquals(1, d.changes().size(), d::toString);
    return d.changes().get(0);
  }

  @Test
  void sameSchema_inAnotherOrderWithOtherDescriptions_isUnchanged() {
    SchemaDiff d = diff("{\"name\":\"note\",\"type\":\"STRING\",\"description\":\"free text\"},"
        + LIVE.replace("{\"name\":\"note\",\"type\":\"STRING\"},", ""));

    assertTrue(d.unchanged(), d::toString);
    assertFalse(d.breaking());
  }

  @Test
  void newNullableColumn_isAnAddition_whoseOlderRowsReadNull() {
    Change c = only(diff(LIVE + ",{\"name\":\"discount\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"}"));

    assertEquals(new Change(Kind.ADDED, "discount", "new column NUMERIC(12, 2) NULLABLE",
        "added by the next load; rows already loaded read NULL"), c);
  }

  @Test
  void newRepeatedColumn_isAnAddition_whoseOlderRowsReadAnEmptyArray() {
    Change c = only(diff(LIVE + ",{\"name\":\"tags\",\"type\":\"STRING\",\"mode\":\"REPEATED\"}"));

    assertEquals(Kind.ADDED, c.kind());
    assertEquals("tags", c.path());
    assertTrue(c.todo().endsWith("read an empty array"), c.todo());
  }

  @Test
  void newNullableFieldInsideARecord_atAnyDepth_isAnAdditionNamedByItsPath() {
    SchemaDiff d = diffReplacing("{\"name\":\"rate\",\"type\":\"FLOAT64\"}",
        "{\"name\":\"rate\",\"type\":\"FLOAT64\"},{\"name\":\"kind\",\"type\":\"STRING\"}");

    assertEquals(new Change(Kind.ADDED, "items.tax.kind", "new field STRING NULLABLE",
        "added by the next load; rows already loaded read NULL"), only(d));
    assertFalse(d.breaking());
  }

  @Test
  void newRecordColumn_mayHoldRequiredFields() {
    Change c = only(diff(LIVE + ",{\"name\":\"issuer\",\"type\":\"RECORD\",\"fields\":["
        + "{\"name\":\"cnpj\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"}]}"));

    assertEquals(Kind.ADDED, c.kind());
    assertEquals("new column RECORD NULLABLE", c.what());
  }

  @Test
  void requiredToNullable_isARelaxation_atAnyDepth() {
    SchemaDiff d = diff(LIVE.replace("\"mode\":\"REQUIRED\"", "\"mode\":\"NULLABLE\""));

    assertEquals(List.of(
            new Change(Kind.RELAXED, "id", "relaxed from REQUIRED to NULLABLE", "relaxed by the next load"),
            new Change(Kind.RELAXED, "items.sku", "relaxed from REQUIRED to NULLABLE", "relaxed by the next load")),
        d.changes());
    assertFalse(d.breaking());
  }

  @Test
  void typeChanged_isBreaking_andSaysWhatToDo() {
    SchemaDiff d = diffReplacing("{\"name\":\"rate\",\"type\":\"FLOAT64\"}", "{\"name\":\"rate\",\"type\":\"STRING\"}");

    Change c = only(d);
    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("items.tax.rate", c.path());
    assertEquals("type changed from FLOAT64 to STRING", c.what());
    assertTrue(c.todo().contains("add a new column and backfill it, or create a new table version"), c.todo());
    assertTrue(d.breaking());
  }

  @Test
  void recordBecomingAScalar_isATypeChange() {
    Change c = only(diff(LIVE.replaceFirst("\\{\"name\":\"items\".*", "{\"name\":\"items\",\"type\":\"JSON\",\"mode\":\"REPEATED\"}")));

    assertEquals("type changed from RECORD to JSON", c.what());
    assertEquals(Kind.BREAKING, c.kind());
  }

  @Test
  void columnRemoved_isBreaking() {
    Change c = only(diff(LIVE.replace("{\"name\":\"note\",\"type\":\"STRING\"},", "")));

    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("note", c.path());
    assertEquals("column removed from the schema file, still in the table", c.what());
    assertTrue(c.todo().startsWith("a load cannot remove it: keep it in the schema file"), c.todo());
  }

  @Test
  void recordFieldRemoved_isBreaking_namedByItsPath() {
    Change c = only(diffReplacing("{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},", ""));

    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("items.sku", c.path());
    assertEquals("field removed from the schema file, still in the table", c.what());
  }

  @Test
  void newRequiredColumn_isBreaking() {
    Change c = only(diff(LIVE + ",{\"name\":\"currency\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"}"));

    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("new column STRING REQUIRED", c.what());
    assertTrue(c.todo().startsWith("rows already in the table have no value for it: declare it NULLABLE"), c.todo());
  }

  @Test
  void newRequiredFieldInAnExistingRecord_isBreaking() {
    Change c = only(diffReplacing("{\"name\":\"rate\",\"type\":\"FLOAT64\"}",
        "{\"name\":\"rate\",\"type\":\"FLOAT64\"},{\"name\":\"code\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"}"));

    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("items.tax.code", c.path());
  }

  @Test
  void requiredAddedToAnExistingColumn_isBreaking() {
    Change c = only(diff(LIVE.replace("{\"name\":\"note\",\"type\":\"STRING\"}",
        "{\"name\":\"note\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"}")));

    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("mode changed from NULLABLE to REQUIRED", c.what());
    assertTrue(c.todo().startsWith("rows already loaded may hold NULL"), c.todo());
  }

  @Test
  void modeChangedToOrFromRepeated_isBreaking() {
    Change toRepeated = only(diff(LIVE.replace("{\"name\":\"note\",\"type\":\"STRING\"}",
        "{\"name\":\"note\",\"type\":\"STRING\",\"mode\":\"REPEATED\"}")));
    Change fromRepeated = only(diff(LIVE.replace("\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\"",
        "\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"NULLABLE\"")));

    assertEquals(new Change(Kind.BREAKING, "note", "mode changed from NULLABLE to REPEATED",
        "a load cannot change a column in place: add a new column and backfill it, or create a new table version"
            + " (a new silver table, loaded again from bronze)"), toRepeated);
    assertEquals(Kind.BREAKING, fromRepeated.kind());
    assertEquals("items", fromRepeated.path());
    assertEquals("mode changed from REPEATED to NULLABLE", fromRepeated.what());
  }

  @Test
  void decimalNarrowed_inPrecisionOrScale_isBreaking() {
    Change precision = only(diffReplacing("{\"name\":\"unit_price\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"}",
        "{\"name\":\"unit_price\",\"type\":\"NUMERIC\",\"precision\":\"10\",\"scale\":\"2\"}"));
    Change scale = only(diff(LIVE.replace("{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"}",
        "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"1\"}")));
    // More scale at the same precision leaves fewer integer digits: narrower too.
    Change integerDigits = only(diff(LIVE.replace("{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"}",
        "{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"4\"}")));

    assertEquals(new Change(Kind.BREAKING, "items.unit_price", "narrowed from NUMERIC(12, 2) to NUMERIC(10, 2)",
        "values already loaded may not fit: keep NUMERIC(12, 2), or add a new column and backfill it, or create a new"
            + " table version (a new silver table, loaded again from bronze)"), precision);
    assertEquals("narrowed from NUMERIC(12, 2) to NUMERIC(12, 1)", scale.what());
    assertEquals("narrowed from NUMERIC(12, 2) to NUMERIC(12, 4)", integerDigits.what());
  }

  @Test
  void decimalWidened_isRefusedToo_sayingHowToWidenIt() {
    Change c = only(diff(LIVE.replace("{\"name\":\"total\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"}",
        "{\"name\":\"total\",\"type\":\"NUMERIC\"}")));

    assertEquals(Kind.BREAKING, c.kind());
    assertEquals("widened from NUMERIC(12, 2) to NUMERIC", c.what());
    assertTrue(c.todo().contains("ALTER TABLE ... ALTER COLUMN total SET DATA TYPE NUMERIC"), c.todo());
  }

  @Test
  void refusal_namesTheTableAndEveryBreakingChange_notTheAdditions() {
    SchemaDiff d = diff(LIVE.replace("{\"name\":\"note\",\"type\":\"STRING\"},", "")
        + ",{\"name\":\"discount\",\"type\":\"FLOAT64\"}");

    assertEquals(List.of(Kind.ADDED, Kind.BREAKING), d.changes().stream().map(Change::kind).toList());
    String refusal = d.refusal("silver.invoices");
    assertTrue(refusal.startsWith("the schema file of silver.invoices changes the table in a way no load can,"
        + " so nothing was loaded: note: column removed from the schema file, still in the table (a load cannot"
        + " remove it:"), refusal);
    assertFalse(refusal.contains("discount"), refusal);
  }
}
