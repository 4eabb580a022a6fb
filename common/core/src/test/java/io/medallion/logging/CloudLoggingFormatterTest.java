package io.medallion.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class CloudLoggingFormatterTest {

  private final CloudLoggingFormatter formatter = new CloudLoggingFormatter("my-project");

  private JsonObject line(Level level, String message) {
    LogRecord r = new LogRecord(level, message);
    r.setLoggerName("io.medallion.silver.SilverStep");
    String text = formatter.format(r);
    assertTrue(text.endsWith("\n") && text.indexOf('\n') == text.length() - 1, "one line: " + text);
    return JsonParser.parseString(text).getAsJsonObject();
  }

  @Test
  void eventContext_becomesLabelsAndTrace() {
    try (LogContext ignored = LogContext.open("silver", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
      LogContext.run("20261123-090000-abcdef12", "breweries");
      JsonObject json = line(Level.SEVERE, "load failed");
      assertEquals("ERROR", json.get("severity").getAsString());
      assertEquals("load failed", json.get("message").getAsString());
      JsonObject labels = json.getAsJsonObject("logging.googleapis.com/labels");
      assertEquals("silver", labels.get("stage").getAsString());
      assertEquals("20261123-090000-abcdef12", labels.get("run_id").getAsString());
      assertEquals("breweries", labels.get("source").getAsString());
      assertEquals("projects/my-project/traces/4bf92f3577b34da6a3ce929d0e0e4736",
          json.get("logging.googleapis.com/trace").getAsString());
    }
    JsonObject after = line(Level.INFO, "idle");
    assertFalse(after.has("logging.googleapis.com/labels"), "context ends with the event");
    assertEquals("INFO", after.get("severity").getAsString());
  }

  @Test
  void levelsMapToCloudLoggingSeverities() {
    assertEquals("WARNING", CloudLoggingFormatter.severity(Level.WARNING));
    assertEquals("DEBUG", CloudLoggingFormatter.severity(Level.FINE));
    assertNull(LogContext.traceId("garbage"));
  }
}
