package io.medallion.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.metrics.Metrics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * terraform/observability.tf charts and alerts on what the code emits: every meter has a dashboard
 * tile under the metric type Micrometer's Stackdriver registry gives it, and the log-based metric
 * matches the line gold writes when checks fail. (terraform validate cannot run offline.)
 */
class ObservabilityTerraformTest {

  private static final Path TF = Path.of("../../terraform/observability.tf");

  @Test
  void dashboardHasATilePerMeter_underItsCloudMonitoringName() throws Exception {
    String tf = Files.readString(TF);
    assertTrue(tf.contains("medallion_metric = \"custom.googleapis.com/medallion\""), "metric type prefix");
    Set<String> tiles = new TreeSet<>();
    Matcher m = Pattern.compile("\\[\"[^\"]+\", \"([a-z_/]+)\", \"metric\\.label\\.([a-z_]+)\"").matcher(tf);
    while (m.find()) {
      tiles.add("medallion." + m.group(1).replace('/', '.'));
    }
    Set<String> meters = new TreeSet<>();
    for (Field f : Metrics.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
          && ((String) f.get(null)).startsWith("medallion.")) {
        meters.add((String) f.get(null));
      }
    }
    assertEquals(15, meters.size(), meters.toString());
    assertEquals(meters, tiles);
    for (String alerted : new String[] {"retries", "silver/unknown_fields"}) {
      assertTrue(tf.contains("${local.medallion_metric}/" + alerted + "\\\""), alerted);
    }
  }

  @Test
  void logBasedMetric_matchesTheLineGoldWritesWhenChecksFail() throws Exception {
    String tf = Files.readString(TF);
    assertTrue(tf.contains("jsonPayload.message:\\\"" + GoldStep.DQ_FAILED + "\\\""), GoldStep.DQ_FAILED);
    assertTrue(tf.contains("labels.stage=\\\"gold\\\""));
  }
}
