package io.medallion.logging;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One JSON object per line in the shape Cloud Logging parses from a Cloud Run container's output:
 * {@code severity}, {@code message}, {@code time}, the event's labels (run id, source, stage) and
 * {@code logging.googleapis.com/trace} when the event carried a trace.
 */
public final class CloudLoggingFormatter extends Formatter {

  private final String project;

  public CloudLoggingFormatter(String project) {
    this.project = project;
  }

  @Override
  public String format(LogRecord record) {
    JsonObject line = new JsonObject();
    line.addProperty("severity", severity(record.getLevel()));
    String message = formatMessage(record);
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      message = message + "\n" + trace; // Error Reporting picks up stack traces in the message
    }
    line.addProperty("message", message);
    line.addProperty("time", Instant.ofEpochMilli(record.getMillis()).toString());
    line.addProperty("logger", record.getLoggerName());
    Map<String, String> context = LogContext.current();
    JsonObject labels = new JsonObject();
    for (String key : new String[] {"stage", "run_id", "source"}) {
      if (context.containsKey(key)) {
        labels.addProperty(key, context.get(key));
      }
    }
    if (labels.size() > 0) {
      line.add("logging.googleapis.com/labels", labels);
    }
    if (context.containsKey("trace")) {
      line.addProperty("logging.googleapis.com/trace", "projects/" + project + "/traces/" + context.get("trace"));
    }
    return line + "\n";
  }

  static String severity(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (v >= Level.WARNING.intValue()) {
      return "WARNING";
    }
    if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }
}
