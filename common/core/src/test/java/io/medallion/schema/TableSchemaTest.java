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
  void nestedColumns_areRefusedNamingTheColumn() {
    for (String column : new String[] {
        "{\"name\":\"user\",\"type\":\"RECORD\",\"fields\":[{\"name\":\"login\",\"type\":\"STRING\"}]}",
        "{\"name\":\"user\",\"type\":\"STRUCT\",\"mode\":\"REPEATED\"}",
        "{\"name\":\"user\",\"type\":\"STRING\",\"fields\":[]}"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableSchema.parse("[" + column + "]"));
      assertTrue(e.getMessage().startsWith("Column user: RECORD (nested) columns are not supported yet"), e.getMessage());
    }
  }

  @Test
  void anUnknownModeOrType_isRefusedNamingTheColumn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TableSchema.parse("[{\"name\":\"x\",\"type\":\"STRING\",\"mode\":\"OPTIONAL\"}]"));
    assertEquals("Column x: Unknown mode OPTIONAL (NULLABLE, REQUIRED or REPEATED)", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TableSchema.parse("[{\"name\":\"x\",\"type\":\"GEOGRAPHY\"}]"));
    assertEquals("Column x: Unsupported BigQuery type GEOGRAPHY", e.getMessage());
  }
}
