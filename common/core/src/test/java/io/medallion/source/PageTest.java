package io.medallion.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PageTest {

  private static int count(String json) throws IOException {
    return Page.countRecords(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void countsTopLevelElementsOnly() throws IOException {
    assertEquals(0, count("[]"));
    assertEquals(0, count(" \n[ ]\n"));
    assertEquals(3, count("[{\"a\":[1,2,{\"b\":[]}]},[[]],null]"));
    assertEquals(2, count("[\"[\\\"]\", {\"}\":\"{\"}]"));
  }

  @Test
  void aTruncatedArraySaysWhere() {
    IOException e = assertThrows(IOException.class, () -> count("[{\"id\":\"a\"},{\"id\""));
    assertTrue(e.getMessage().startsWith("the body is not valid JSON ("), e.getMessage());
    assertTrue(e.getMessage().contains("at byte "), e.getMessage());
  }

  @Test
  void theBodyIsCopiedInAndOut() {
    byte[] bytes = "[1]".getBytes(StandardCharsets.UTF_8);
    Page page = new Page(1, bytes, 1);
    bytes[1] = '2';
    page.body()[1] = '3';
    assertArrayEquals("[1]".getBytes(StandardCharsets.UTF_8), page.body());
    assertEquals(new Page(1, "[1]".getBytes(StandardCharsets.UTF_8), 1), page);
    assertEquals("Page[number=1, recordCount=1, bytes=3]", page.toString());
  }
}
