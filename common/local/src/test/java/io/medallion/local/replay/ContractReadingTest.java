package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator's reading of the silver contract for REPEATED columns gives what silver gives
 * (functions/silver RecordTyper, README "Silver rules"): a JSON array of scalars ({@code
 * languages}) or a field of each element ({@code labels[].name}); no array is an empty one; a null
 * element is MISSING_REQUIRED, an object where a scalar belongs WRONG_TYPE.
 */
class ContractReadingTest {

  private static final ContractReading READING = new ContractReading(
      new TableSchema(List.of(
          new Field("show_id", FieldType.STRING, true, null),
          new Field("languages", FieldType.STRING, Field.Mode.REPEATED, null),
          new Field("label_names", FieldType.STRING, Field.Mode.REPEATED, null))),
      new SilverMapping(Map.of("id", "show_id", "labels[].name", "label_names"), "show_id", Map.of(), Set.of()));

  private static Object read(Map<String, Object> record) {
    Object read = READING.read(record, null, new HashSet<>());
    return read instanceof Object[] row ? Arrays.asList(row) : read;
  }

  private static Map<String, Object> record(Object languages, Object labels) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("id", "4rOoJ6Egrf8K2IrywzwOMk");
    if (languages != JsonValues.ABSENT) {
      r.put("languages", languages);
    }
    if (labels != JsonValues.ABSENT) {
      r.put("labels", labels);
    }
    return r;
  }

  private static Map<String, Object> label(Object name) {
    Map<String, Object> l = new LinkedHashMap<>();
    l.put("name", name);
    return l;
  }

  @Test
  void anArrayOfScalars_isAListOfTypedValues() {
    assertEquals(List.of("4rOoJ6Egrf8K2IrywzwOMk", List.of("en", "es"), List.of("bug")),
        read(record(Arrays.asList(" en", "es "), List.of(label("bug")))));
  }

  @Test
  void noArray_isAnEmptyList() {
    assertEquals(List.of("4rOoJ6Egrf8K2IrywzwOMk", List.of(), List.of()), read(record(JsonValues.ABSENT, JsonValues.ABSENT)));
    assertEquals(List.of("4rOoJ6Egrf8K2IrywzwOMk", List.of(), List.of()), read(record(null, null)));
  }

  @Test
  void aNullOrBlankElement_isMissingRequired() {
    assertEquals(new ContractReading.Fault("MISSING_REQUIRED", "languages"), read(record(Arrays.asList("en", null), List.of())));
    assertEquals(new ContractReading.Fault("MISSING_REQUIRED", "languages"), read(record(List.of("en", "  "), List.of())));
    assertEquals(new ContractReading.Fault("MISSING_REQUIRED", "labels[].name"), read(record(List.of(), List.of(label(null)))));
    assertEquals(new ContractReading.Fault("MISSING_REQUIRED", "labels[].name"),
        read(record(List.of(), Arrays.asList(label("bug"), null))));
  }

  @Test
  void anObjectWhereAScalarBelongs_isWrongType() {
    assertEquals(new ContractReading.Fault("WRONG_TYPE", "languages"), read(record("en", List.of())));
    assertEquals(new ContractReading.Fault("WRONG_TYPE", "languages"), read(record(List.of(Map.of("code", "en")), List.of())));
    assertEquals(new ContractReading.Fault("WRONG_TYPE", "labels[].name"), read(record(List.of(), List.of("bug"))));
  }
}
