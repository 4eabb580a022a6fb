package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medallion.schema.TableSchema;
import io.medallion.source.SilverMapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generator's reading of the silver contract gives what silver gives (README "Silver rules",
 * {@code RecordTyper} and {@code SilverTime}) for timestamps, dates, nested fields and REPEATED
 * columns: a spec whose expectations disagreed with silver would fail every end-to-end check built
 * on it, or worse, agree with a silver bug.
 */
class ContractReadingTest {

  private static final ContractReading READING = new ContractReading(TableSchema.parse("""
      [{"name": "id", "type": "INT64", "mode": "REQUIRED"},
       {"name": "login", "type": "STRING", "mode": "NULLABLE"},
       {"name": "label_names", "type": "STRING", "mode": "REPEATED"},
       {"name": "languages", "type": "STRING", "mode": "REPEATED"},
       {"name": "created_at", "type": "TIMESTAMP", "mode": "NULLABLE"},
       {"name": "day", "type": "DATE", "mode": "NULLABLE"},
       {"name": "_run_id", "type": "STRING", "mode": "REQUIRED"}]"""),
      new SilverMapping(Map.of("user.login", "login", "labels[].name", "label_names"), "id", Map.of(), Set.of()));

  private static Object read(String json) {
    @SuppressWarnings("unchecked")
    Map<String, Object> record = (Map<String, Object>) JsonValues.parse(json.getBytes(StandardCharsets.UTF_8));
    Object out = READING.read(record, null, new HashSet<>());
    return out instanceof Object[] row ? Arrays.asList(row) : out;
  }

  private static Object column(String json, String column) {
    Object read = read(json);
    if (read instanceof ContractReading.Fault f) {
      throw new AssertionError(json + " is rejected: " + f);
    }
    return ((List<?>) read).get(READING.columns().names().indexOf(column));
  }

  private static ContractReading.Fault fault(String reason, String field) {
    return new ContractReading.Fault(reason, field);
  }

  @Test
  void timestamps_withAZoneAndAtMostMicroseconds_areTheirInstant() {
    assertEquals(Instant.parse("2011-04-22T13:33:48Z"), column("{\"id\": 1, \"created_at\": \"2011-04-22T13:33:48Z\"}", "created_at"));
    assertEquals(Instant.parse("2011-04-22T11:33:48.123456Z"),
        column("{\"id\": 1, \"created_at\": \"2011-04-22T13:33:48.123456+02:00\"}", "created_at"));
    assertEquals(Instant.parse("2011-04-22T13:33:48Z"), column("{\"id\": 1, \"created_at\": \"2011-04-22 13:33:48z\"}", "created_at"));
    assertEquals(Instant.parse("2011-04-22T13:33:48Z"), column("{\"id\": 1, \"created_at\": \"2011-04-22t13:33:48Z\"}", "created_at"));
    assertEquals(null, column("{\"id\": 1, \"created_at\": \"  \"}", "created_at"));
  }

  @Test
  void timestampsSilverRefuses_areInvalidTimestamp() {
    for (String value : List.of("\"2011-04-22T13:33:48\"", "\"2011-04-22T13:33:48.1234567Z\"", "\"2024-02-30T10:00:00Z\"",
        "\"2011-04-22T13:33Z\"", "\"2011-04-22T24:00:00Z\"", "\"0001-01-01T00:30:00+01:00\"", "\"2011-04-22T13:33:48+18:30\"",
        "\"2011-04-22T13:33:48+0200\"", "\"2011-04-22\"", "1303479228", "true")) {
      assertEquals(fault("INVALID_TIMESTAMP", "created_at"), read("{\"id\": 1, \"created_at\": " + value + "}"), value);
    }
  }

  @Test
  void datesAreYearMonthDay_realDaysOnly() {
    assertEquals(LocalDate.parse("2024-02-29"), column("{\"id\": 1, \"day\": \" 2024-02-29 \"}", "day"));
    for (String value : List.of("\"2023-02-29\"", "\"2024-1-5\"", "\"2024-01-05T00:00:00Z\"", "20240105")) {
      assertEquals(fault("INVALID_DATE", "day"), read("{\"id\": 1, \"day\": " + value + "}"), value);
    }
  }

  @Test
  void aNestedField_isNullUnderANullOrMissingObject_andWrongTypeUnderAnythingElse() {
    assertEquals("octocat", column("{\"id\": 1, \"user\": {\"login\": \" octocat \"}}", "login"));
    assertEquals(null, column("{\"id\": 1, \"user\": null}", "login"));
    assertEquals(null, column("{\"id\": 1}", "login"));
    assertEquals(fault("WRONG_TYPE", "user.login"), read("{\"id\": 1, \"user\": \"octocat\"}"));
    assertEquals(fault("WRONG_TYPE", "user.login"), read("{\"id\": 1, \"user\": [{\"login\": \"octocat\"}]}"));
  }

  @Test
  void aFieldOfEachElement_isAList_emptyForANullOrMissingArray_withNoNullElement() {
    assertEquals(List.of("bug", "docs"), column("{\"id\": 1, \"labels\": [{\"name\": \"bug\"}, {\"name\": \" docs\"}]}", "label_names"));
    assertEquals(List.of(), column("{\"id\": 1, \"labels\": []}", "label_names"));
    assertEquals(List.of(), column("{\"id\": 1, \"labels\": null}", "label_names"));
    assertEquals(List.of(), column("{\"id\": 1}", "label_names"));
    assertEquals(fault("MISSING_REQUIRED", "labels[].name"), read("{\"id\": 1, \"labels\": [{\"name\": \"bug\"}, null]}"));
    assertEquals(fault("MISSING_REQUIRED", "labels[].name"), read("{\"id\": 1, \"labels\": [{\"name\": null}]}"));
    assertEquals(fault("MISSING_REQUIRED", "labels[].name"), read("{\"id\": 1, \"labels\": [{\"color\": \"d73a4a\"}]}"));
    assertEquals(fault("MISSING_REQUIRED", "labels[].name"), read("{\"id\": 1, \"labels\": [{\"name\": \" \"}]}"));
    assertEquals(fault("WRONG_TYPE", "labels[].name"), read("{\"id\": 1, \"labels\": [\"bug\"]}"));
    assertEquals(fault("WRONG_TYPE", "labels[].name"), read("{\"id\": 1, \"labels\": [{\"name\": [\"bug\"]}]}"));
    assertEquals(fault("WRONG_TYPE", "labels[].name"), read("{\"id\": 1, \"labels\": \"bug\"}"));
    assertEquals(fault("WRONG_TYPE", "labels[].name"), read("{\"id\": 1, \"labels\": {\"name\": \"bug\"}}"));
  }

  @Test
  void anArrayOfValues_isAList_emptyForNull_withNoNullElement() {
    assertEquals(List.of("en", "de"), column("{\"id\": 1, \"languages\": [\"en\", \" de \"]}", "languages"));
    assertEquals(List.of(), column("{\"id\": 1, \"languages\": null}", "languages"));
    assertEquals(fault("MISSING_REQUIRED", "languages"), read("{\"id\": 1, \"languages\": [\"en\", null]}"));
    assertEquals(fault("WRONG_TYPE", "languages"), read("{\"id\": 1, \"languages\": [{\"code\": \"en\"}]}"));
    assertEquals(fault("WRONG_TYPE", "languages"), read("{\"id\": 1, \"languages\": \"en\"}"));
  }
}
