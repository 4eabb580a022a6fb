package io.medallion.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SensitivityTest {

  @Test
  void hash_isHmacSha256_inLowercaseHex() {
    // RFC 4231, test case 2.
    assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        Sensitivity.mask(Sensitivity.Masking.HASH, "what do ya want for nothing?", "Jefe".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void hash_isDeterministic_andDependsOnTheSalt() {
    byte[] a = "salt-a".getBytes(StandardCharsets.UTF_8);
    byte[] b = "salt-b".getBytes(StandardCharsets.UTF_8);
    assertEquals(Sensitivity.hmac(a, "12345678909"), Sensitivity.hmac(a, "12345678909"));
    assertNotEquals(Sensitivity.hmac(a, "12345678909"), Sensitivity.hmac(b, "12345678909"));
    assertThrows(IllegalStateException.class, () -> Sensitivity.hmac(new byte[0], "x"));
  }

  @Test
  void last4_keepsTheLastFourCharacters_andHidesAShortValueWhole() {
    assertEquals("************4444", Sensitivity.last4("4111222233334444"));
    assertEquals("*2345", Sensitivity.last4("12345"));
    assertEquals("****", Sensitivity.last4("1234"));
    assertEquals("**", Sensitivity.last4("ab"));
    assertEquals("*\uD83D\uDE00bcd", Sensitivity.last4("a\uD83D\uDE00\uD83D\uDE00bcd").substring(1)); // code points, not chars
    assertNull(Sensitivity.mask(Sensitivity.Masking.LAST4, null, null));
  }

  @Test
  void aSchemaFile_carriesTheMark_andBigQuerysJsonLeavesItOut() {
    TableSchema s = TableSchema.parse("[{\"name\":\"id\",\"type\":\"STRING\"},{\"name\":\"who\",\"type\":\"RECORD\",\"fields\":["
        + "{\"name\":\"cpf\",\"type\":\"STRING\",\"sensitive\":{\"policy_tag\":\"tax_id\",\"masking\":\"hash\"}}]}]");
    assertEquals(1, s.marked().size());
    assertEquals("who.cpf", s.marked().get(0).path());
    assertEquals("/1/fields/0", s.marked().get(0).pointer());
    assertTrue(s.masks());
    assertFalse(s.toJson().contains("sensitive"), s.toJson());
    assertEquals(s.toJson(true), TableSchema.parse(s.toJson(true)).toJson(true));
    assertTrue(s.toJson(true).contains("\"policy_tag\": \"tax_id\""));
  }

  @Test
  void aMarkedRecord_isRefused_markItsLeaves() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableSchema.parse(
        "[{\"name\":\"who\",\"type\":\"RECORD\",\"sensitive\":{\"policy_tag\":\"x\"},\"fields\":[{\"name\":\"a\",\"type\":\"STRING\"}]}]"));
    assertEquals("Column who: a RECORD cannot be marked sensitive: mark its leaf fields", e.getMessage());
  }

  @Test
  void aRecordMask_masksNestedLeaves_andKeepsNumbersAsSent() {
    TableSchema s = TableSchema.parse("[{\"name\":\"account_id\",\"type\":\"STRING\",\"sensitive\":{\"masking\":\"last4\"}},"
        + "{\"name\":\"amount\",\"type\":\"NUMERIC\"}]");
    byte[] out = RecordMask.of(s, null).apply("{\"account_id\":\"acct_000123\",\"amount\":12.50}".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"account_id\":\"*******0123\",\"amount\":12.50}", new String(out, StandardCharsets.UTF_8));
    assertNull(RecordMask.of(TableSchema.parse("[{\"name\":\"a\",\"type\":\"STRING\"}]"), null));
  }
}
