package io.medallion.local.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.event.PubSubMessage;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.OutboundMessage;
import io.medallion.port.QueryResult;
import io.medallion.port.TableId;
import io.medallion.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message becomes one row of the table its fields name, with the metadata columns; what BigQuery
 * would refuse writes nothing and reaches the dead-letter topic with its reason.
 */
class BigQuerySubscriptionTest {

  private static final TableSchema SCHEMA = TableSchema.parse("""
      [
        {"name": "transaction_id", "type": "STRING", "mode": "REQUIRED"},
        {"name": "amount", "type": "NUMERIC", "mode": "REQUIRED", "precision": "18", "scale": "2"},
        {"name": "transacted_at", "type": "TIMESTAMP", "mode": "REQUIRED"},
        {"name": "approved", "type": "BOOL", "mode": "NULLABLE"},
        {"name": "subscription_name", "type": "STRING", "mode": "NULLABLE"},
        {"name": "message_id", "type": "STRING", "mode": "NULLABLE"},
        {"name": "publish_time", "type": "TIMESTAMP", "mode": "NULLABLE"},
        {"name": "attributes", "type": "JSON", "mode": "NULLABLE"}
      ]""");
  private static final TableId TABLE = new TableId("silver", "transactions");
  private static final String NAME = "projects/p/subscriptions/push-transactions-to-silver";
  private static final Instant PUBLISHED = Instant.parse("2026-12-04T12:00:01Z");

  @TempDir Path dir;
  private DuckDbWarehouse warehouse;

  @BeforeEach
  void open() throws Exception {
    warehouse = new DuckDbWarehouse(dir.resolve("w.duckdb"), id -> null, (job, sources) -> {});
    warehouse.ensureDataset("silver");
  }

  @AfterEach
  void close() throws Exception {
    warehouse.close();
  }

  private BigQuerySubscription subscription(boolean drop) {
    return new BigQuerySubscription(NAME, warehouse, TABLE, SCHEMA, drop);
  }

  private static PubSubMessage message(String json) {
    return new PubSubMessage("7", json.getBytes(StandardCharsets.UTF_8), Map.of("source", "transactions"), PUBLISHED);
  }

  private QueryResult rows() throws Exception {
    return warehouse.read("select transaction_id, amount::varchar, transacted_at, approved, subscription_name, message_id,"
        + " publish_time, attributes::varchar from silver.transactions order by transaction_id", Map.of());
  }

  @Test
  void aMessage_isOneRow_withTheMetadataColumns() throws Exception {
    subscription(false).handle(message(
        "{\"transaction_id\": \"t1\", \"amount\": 12.50, \"transacted_at\": \"2026-12-04T08:59:59-03:00\", \"approved\": true}"), 1);

    List<Object> row = rows().rows().get(0);
    assertEquals("t1", row.get(0));
    assertEquals("12.50", row.get(1));
    assertEquals(Instant.parse("2026-12-04T11:59:59Z"), row.get(2));
    assertEquals(true, row.get(3));
    assertEquals(NAME, row.get(4));
    assertEquals("7", row.get(5));
    assertEquals(PUBLISHED, row.get(6));
    assertEquals("{\"source\":\"transactions\"}", row.get(7));
  }

  @Test
  void whatBigQueryRefuses_isRefusedWithItsReason_andWritesNothing() throws Exception {
    BigQuerySubscription s = subscription(false);
    String ok = "\"transaction_id\": \"t1\", \"transacted_at\": \"2026-12-04T12:00:00Z\"";
    Map<String, String> refused = Map.of(
        "{" + ok + ", \"amount\": \"twelve\"}", "is not a NUMERIC",
        "{" + ok + ", \"amount\": 12.505}", "more than 2 digits after the point",
        "{" + ok + "}", "REQUIRED field amount",
        "{" + ok + ", \"amount\": null}", "REQUIRED field amount",
        "{" + ok + ", \"amount\": 1, \"tip\": 2}", "field tip has no column",
        "{" + ok + ", \"amount\": 1, \"approved\": \"yes\"}", "column approved is BOOL",
        "{\"transaction_id\": 42, \"transacted_at\": \"2026-12-04T12:00:00Z\", \"amount\": 1}", "column transaction_id is STRING",
        "{\"transaction_id\": \"t1\", \"transacted_at\": \"2026-12-04 12:00\", \"amount\": 1}", "is not a TIMESTAMP",
        "[1, 2]", "is not a JSON object",
        "{\"transaction_id\": ", "is not JSON");
    refused.forEach((json, why) -> {
      BigQuerySubscription.Refused e = assertThrows(BigQuerySubscription.Refused.class, () -> s.handle(message(json), 1), json);
      assertTrue(e.getMessage().contains(why), json + " -> " + e.getMessage());
    });
    assertEquals(0, warehouse.tableExists(TABLE) ? rows().rows().size() : 0);
  }

  @Test
  void dropUnknownFields_writesTheRowWithoutThem() throws Exception {
    subscription(true).handle(message(
        "{\"transaction_id\": \"t1\", \"amount\": \"3\", \"transacted_at\": \"2026-12-04T12:00:00Z\", \"tip\": 2}"), 1);
    assertEquals(1, rows().rows().size());
  }

  @Test
  void aRefusedMessage_reachesTheSourcesDeadLetterTopic_withTheReason() throws Exception {
    try (InProcessPubSub bus = new InProcessPubSub("p", 2)) {
      DeadLetterArchive archive = DeadLetterArchive.attach(bus::subscribe, "push-transactions-dead-letters", dir.resolve("dlq"));
      bus.subscribe("push-transactions", "push-transactions-to-silver", SubscriptionPolicy.DEFAULT
          .withBackoff(Duration.ofMillis(10), Duration.ofMillis(20)).withDeadLetter("push-transactions-dead-letters", 5),
          subscription(false));
      bus.publish("push-transactions", OutboundMessage.json(
          "{\"transaction_id\": \"t1\", \"amount\": 1, \"transacted_at\": \"2026-12-04T12:00:00Z\"}", Map.of()));
      bus.publish("push-transactions", OutboundMessage.json("{\"transaction_id\": \"t2\", \"amount\": 1}", Map.of()));
      assertTrue(bus.awaitIdle(Duration.ofSeconds(20)));

      assertEquals(List.of("t1"), rows().rows().stream().map(r -> r.get(0)).toList());
      List<DeadLetterArchive.DeadLetter> dead = archive.list();
      assertEquals(1, dead.size());
      assertTrue(dead.get(0).lastError().contains("REQUIRED field transacted_at"), dead.get(0).lastError());
      assertEquals("push-transactions-to-silver", dead.get(0).sourceSubscription().replaceAll(".*/", ""));
    }
  }
}
