package io.medallion.local.pubsub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.medallion.event.PubSubMessage;
import io.medallion.local.bigquery.DuckDbWarehouse;
import io.medallion.port.TableId;
import io.medallion.schema.Field;
import io.medallion.schema.FieldType;
import io.medallion.schema.TableSchema;
import io.medallion.source.SourceDeclarations;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The local stand-in of a Pub/Sub BigQuery subscription with {@code use_table_schema} and {@code
 * write_metadata} (https://cloud.google.com/pubsub/docs/bigquery): each message's data is one JSON
 * object whose fields go to the table's columns of the same names, and the subscription fills the
 * metadata columns {@code subscription_name}, {@code message_id}, {@code publish_time} and {@code
 * attributes} (a JSON object). One message is one row, written with no load job.
 *
 * <p>A message BigQuery would refuse (not a JSON object, a value of the wrong type, a REQUIRED
 * field missing or null, a field without a column unless {@code drop_unknown_fields}) is not
 * written: the handler throws with the reason, the message is negatively acknowledged, and after
 * the subscription's delivery attempts it goes to its dead-letter topic with that reason, as on
 * Pub/Sub. Nothing is half-written: the row is checked whole before it is appended.
 */
public final class BigQuerySubscription implements MessageHandler {

  /** Why BigQuery would not write a message: permanent, each redelivery refused the same way. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private final String subscriptionName;
  private final DuckDbWarehouse warehouse;
  private final TableId table;
  private final TableSchema schema;
  private final boolean dropUnknownFields;

  /**
   * @param subscriptionName the full name written to {@code subscription_name}
   *     ({@code projects/<p>/subscriptions/<s>})
   * @param schema the table's schema, the metadata columns among its columns
   * @param dropUnknownFields whether a field without a column is dropped (else the message is refused)
   */
  public BigQuerySubscription(String subscriptionName, DuckDbWarehouse warehouse, TableId table, TableSchema schema,
      boolean dropUnknownFields) {
    this.subscriptionName = subscriptionName;
    this.warehouse = warehouse;
    this.table = table;
    this.schema = schema;
    this.dropUnknownFields = dropUnknownFields;
    for (Map.Entry<String, FieldType> m : SourceDeclarations.STREAM_METADATA_COLUMNS.entrySet()) {
      int idx = schema.indexOf(m.getKey());
      if (idx < 0 || schema.fields().get(idx).type() != m.getValue()) {
        throw new IllegalArgumentException(table + " has no " + m.getValue() + " column " + m.getKey()
            + " for write_metadata");
      }
    }
  }

  @Override
  public void handle(PubSubMessage message, int deliveryAttempt) throws Exception {
    warehouse.appendRow(table, schema, row(message));
  }

  /** The row a message becomes, or why BigQuery would refuse it. */
  public Map<String, Object> row(PubSubMessage message) throws Refused {
    JsonNode record;
    try {
      record = JSON.readTree(message.data());
    } catch (JsonProcessingException e) {
      throw new Refused("message " + message.messageId() + " is not JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new Refused("message " + message.messageId() + " cannot be read: " + e.getMessage());
    }
    if (record == null || !record.isObject()) {
      throw new Refused("message " + message.messageId() + " is not a JSON object: a table schema maps an object's fields to columns");
    }
    Map<String, Object> row = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      int idx = schema.indexOf(f.getKey());
      if (idx < 0 || SourceDeclarations.STREAM_METADATA_COLUMNS.containsKey(f.getKey())) {
        if (dropUnknownFields) {
          continue;
        }
        throw new Refused("field " + f.getKey() + " has no column in " + table.sql()
            + (idx >= 0 ? " (the subscription writes that metadata column itself)" : "")
            + " and the subscription does not drop unknown fields");
      }
      Field column = schema.fields().get(idx);
      if (f.getValue().isNull()) {
        continue; // NULL, which a REQUIRED column refuses below
      }
      row.put(column.name(), value(column, f.getValue()));
    }
    for (Field column : schema.fields()) {
      if (column.required() && !row.containsKey(column.name())
          && !SourceDeclarations.STREAM_METADATA_COLUMNS.containsKey(column.name())) {
        throw new Refused("REQUIRED field " + column.name() + " of " + table.sql() + " is missing or null");
      }
    }
    row.put("subscription_name", subscriptionName);
    row.put("message_id", message.messageId());
    row.put("publish_time", message.publishTime());
    try {
      row.put("attributes", JSON.writeValueAsString(new java.util.TreeMap<>(message.attributes())));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return row;
  }

  /** A field's value as its column's type, as BigQuery's JSON-to-column mapping takes it. */
  private static Object value(Field column, JsonNode v) throws Refused {
    String name = column.name();
    try {
      return switch (column.type()) {
        case STRING -> {
          require(v.isTextual(), column, v);
          yield v.textValue();
        }
        case INT64 -> {
          if (v.isIntegralNumber() && v.canConvertToLong()) {
            yield v.longValue();
          }
          require(v.isTextual(), column, v);
          yield Long.parseLong(v.textValue());
        }
        case FLOAT64 -> {
          require(v.isNumber(), column, v);
          yield v.doubleValue();
        }
        case NUMERIC, BIGNUMERIC -> decimal(column, v);
        case BOOL -> {
          require(v.isBoolean(), column, v);
          yield v.booleanValue();
        }
        case TIMESTAMP -> {
          if (v.isIntegralNumber()) {
            // An integer is microseconds since the epoch, as the Storage Write API takes it.
            long micros = v.longValue();
            yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
          }
          require(v.isTextual(), column, v);
          yield OffsetDateTime.parse(v.textValue()).toInstant();
        }
        case DATE -> {
          require(v.isTextual(), column, v);
          yield LocalDate.parse(v.textValue());
        }
        case DATETIME -> {
          require(v.isTextual(), column, v);
          yield LocalDateTime.parse(v.textValue().replace(' ', 'T'));
        }
        case TIME -> {
          require(v.isTextual(), column, v);
          yield LocalTime.parse(v.textValue());
        }
        case BYTES -> {
          require(v.isTextual(), column, v);
          yield Base64.getDecoder().decode(v.textValue());
        }
        case JSON -> JSON.writeValueAsString(v);
        case RECORD -> throw new Refused("column " + name + " is a RECORD: not written by this stand-in");
      };
    } catch (NumberFormatException | DateTimeException | JsonProcessingException e) {
      throw new Refused("field " + name + " = " + v + " is not a " + column.type() + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new Refused("field " + name + " = " + v + " is not " + column.type() + " (base64): " + e.getMessage());
    }
  }

  /** An exact decimal within the column's precision and scale: never rounded. */
  private static BigDecimal decimal(Field column, JsonNode v) throws Refused {
    BigDecimal d;
    if (v.isNumber()) {
      d = v.decimalValue();
    } else {
      require(v.isTextual(), column, v);
      d = new BigDecimal(v.textValue().strip());
    }
    d = d.stripTrailingZeros();
    int scale = column.effectiveScale();
    if (d.scale() > scale) {
      throw new Refused("field " + column.name() + " = " + v + " has more than " + scale + " digits after the point ("
          + column.typeName() + "): never rounded");
    }
    if (d.abs().compareTo(column.decimalMax()) > 0) {
      throw new Refused("field " + column.name() + " = " + v + " is beyond " + column.typeName());
    }
    return d.setScale(scale);
  }

  private static void require(boolean ok, Field column, JsonNode v) throws Refused {
    if (!ok) {
      throw new Refused("field " + column.name() + " = " + v + " is a JSON " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
          + ", column " + column.name() + " is " + column.type());
    }
  }
}
