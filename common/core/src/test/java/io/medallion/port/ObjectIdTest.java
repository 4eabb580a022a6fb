package io.medallion.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ObjectIdTest {

  @Test
  void uriRoundTrips() {
    ObjectId id = new ObjectId("medallion-bronze", "breweries/ingest_date=2026-11-23/page-00001.json");
    assertEquals(id, ObjectId.fromUri(id.uri()));
    assertEquals("page-00001.json", id.fileName());
  }

  @Test
  void namesThatCouldEscapeABucket_areRefused() {
    for (String name : new String[] {"", "..", "../x", "a/../b", "./a", "/etc/passwd", "a\\b", "a//b", "a/", "tab\there", "nul\u0000", "del\u007f", "c1\u0085"}) {
      assertThrows(IllegalArgumentException.class, () -> new ObjectId("bucket", name), name);
    }
    assertThrows(IllegalArgumentException.class, () -> new ObjectId("bucket", "x".repeat(1025)));
    assertThrows(IllegalArgumentException.class, () -> new ObjectId("Bad_Bucket", "x"));
  }

  @Test
  void tableIdentifiers_areAllowListed() {
    assertThrows(IllegalArgumentException.class, () -> new TableId("gold; drop", "x"));
    assertThrows(IllegalArgumentException.class, () -> new TableId("gold", "x`y"));
    assertEquals("gold.country_summary", new TableId("gold", "country_summary").sql());
  }
}
