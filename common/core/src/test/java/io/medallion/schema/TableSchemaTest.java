package io.medallion.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableSchemaTest {

  @Test
  void repeatedScalarColumns_areRead() {
    TableSchema s = TableSchema.parse("[{\"name\":\"label_names\",\"type\":\"STRING\",\"mode\":\"REPEATED\"},"
        + "{\"name\":\"ids\",\"type\":\"INTEGER\",\"mode\":\"repeated\"},{\"name\":\"n\",\"type\":\"INT64\"},"
        + "{\"name\":\"k\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"}]");
    assertEquals(new Field("label_names", FieldType.STRING, Field.Mode.REPEATED, ""), s.field("label_names"));
    assertTrue(s.field("ids").repeated());
    assertFalse(s.field("ids").required());
    assertEquals(Field.Mode.NULLABLE, s.field("n").mode());
    assertTrue(s.field("k").required());
  }

  @Test
  void recordColumns_areReadWithTheirFields_toAnyDepth() {
    TableSchema s = TableSchema.parse("[{\"name\":\"items\",\"type\":\"RECORD\",\"mode\":\"REPEATED\",\"fields\":["
        + "{\"name\":\"sku\",\"type\":\"STRING\",\"mode\":\"REQUIRED\"},"
        + "{\"name\":\"price\",\"type\":\"NUMERIC\",\"precision\":\"12\",\"scale\":\"2\"},"
        + "{\"name\":\"tax\",\"type\":\"STRUCT\",\"fields\":[{\"name\":\"rate\",\"type\":\"BIGNUMERIC\"}]}]}]");
    Field items = s.field("items");
    assertTrue(items.isRecord() && items.repeated());
    assertTrue(items.field("sku").required());
    assertEquals("NUMERIC(12, 2)", items.field("price").typeName());
    assertEquals(2, items.field("price").effectiveScale());
    assertEquals(new java.math.BigDecimal("9999999999.99"), items.field("price").decimalMax());
    assertEquals(FieldType.BIGNUMERIC, items.field("tax").field("rate").type());
    assertEquals(38, items.field("tax").field("rate").effectiveScale());
    assertEquals(s.toJson(), TableSchema.parse(s.toJson()).toJson(), "toJson is read back as it was");
  }

  @Test
  void aBrokenRecordOrDecimal_isRefusedNamingTheColumnByItsPath() {
    String[][] cases = {
        {"{\"name\":\"user\",\"type\":\"RECORD\"}", "Column user: a RECORD needs its \"fields\""},
        {"{\"name\":\"user\",\"type\":\"STRING\",\"fields\":[]}", "Column user: only a RECORD has \"fields\" (this is STRING)"},
        {"{\"name\":\"u\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"a\",\"type\":\"DATE\"},{\"name\":\"a\",\"type\":\"DATE\"}]}",
            "Column u.a: a second field of this name in its RECORD"},
        {"{\"name\":\"p\",\"type\":\"NUMERIC\",\"precision\":\"40\",\"scale\":\"2\"}",
            "Column p: NUMERIC(40, 2) is not a valid NUMERIC: the scale is 0 to 9 and the precision at least max(1, scale) and at most scale + 29"},
        {"{\"name\":\"p\",\"type\":\"STRING\",\"precision\":\"4\"}", "Column p: only NUMERIC and BIGNUMERIC take a precision and a scale"}};
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableSchema.parse("[" + c[0] + "]"));
      assertEquals(c[1], e.getMessage());
    }
  }

  @Test
  void anUnknownModeOrType_isRefusedNamingTheColumn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TableSchema.parse("[{\"name\":\"x\",\"type\":\"STRING\",\"mode\":\"OPTIONAL\"}]"));
    assertEquals("Column x: Unknown mode OPTIONAL (NULLABLE, REQUIRED or REPEATED)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TableSchema.parse("[{\"name\":\"x\",\"type\":\"GEOGRAPHY\"}]"));
    assertTrue(e.getMessage().startsWith("Column x: Unsupported BigQuery type GEOGRAPHY (STRING, INT64,"), e.getMessage());
  }
}
