package io.medallion.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.domain.Domain;
import io.medallion.metrics.Metrics;
import io.medallion.source.SourceRegistry;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * terraform/slo.tf against the domain declarations and the code: one custom service and two SLOs
 * (freshness, quality) per declared domain, with the declared objectives and windows, over the
 * metric types the code writes, each SLO with a fast and a slow burn-rate alert. The locals are
 * evaluated by {@code terraform console} (offline, no provider), as TerraformSourcesTest does.
 */
class TerraformSlosTest {

  private static final String EVALUATE =
      "jsonencode({domains = keys(local.slo_domains), slos = local.domain_slos, alerts = local.domain_slo_alerts})";

  @Test
  void oneServiceAndTwoSlosPerDeclaredDomain_withTheDeclaredGoalsAndWindows() throws Exception {
    JsonObject tf = evaluate(Repository.root().resolve("terraform"));
    Map<String, String> expected = new TreeMap<>();
    for (Domain d : SourceRegistry.standard().domains()) {
      expected.put(d.name() + ".freshness", d.name() + " freshness " + d.slo().freshness().objective() + " " + d.slo().freshness().windowDays());
      expected.put(d.name() + ".quality", d.name() + " quality " + d.slo().quality().objective() + " " + d.slo().quality().windowDays());
    }
    Map<String, String> declared = new TreeMap<>();
    tf.getAsJsonObject("slos").entrySet().forEach(e -> {
      JsonObject s = e.getValue().getAsJsonObject();
      declared.put(e.getKey(), s.get("domain").getAsString() + " " + s.get("sli").getAsString() + " "
          + s.get("goal").getAsDouble() + " " + s.get("window_days").getAsInt());
    });
    assertEquals(expected, declared, "local.domain_slos (right) against the declarations (left)");
    assertEquals(SourceRegistry.standard().domains().size(), tf.getAsJsonArray("domains").size(), "a service per domain");

    Map<String, String> alerts = new TreeMap<>();
    tf.getAsJsonObject("alerts").entrySet().forEach(e -> {
      JsonObject a = e.getValue().getAsJsonObject();
      alerts.put(e.getKey(), a.get("slo").getAsString() + " " + a.get("lookback").getAsString() + " " + a.get("threshold").getAsDouble());
    });
    Map<String, String> expectedAlerts = new TreeMap<>();
    expected.keySet().forEach(slo -> {
      // The SRE workbook's pair for a 30-day objective: 1 h at 14.4x, 6 h at 6x.
      expectedAlerts.put(slo + ".fast", slo + " 60m 14.4");
      expectedAlerts.put(slo + ".slow", slo + " 360m 6.0");
    });
    assertEquals(expectedAlerts, alerts, "local.domain_slo_alerts");
  }

  @Test
  void theSlosResources_useTheLocals_andTheMetricTypesTheCodeWrites() throws Exception {
    String tf = TerraformAgreesWithCodeTest.oneSpaced(Files.readString(Repository.root().resolve("terraform/slo.tf")));
    for (String line : new String[] {
        "resource \"google_monitoring_custom_service\" \"domain\" { for_each = local.slo_domains",
        "resource \"google_monitoring_slo\" \"domain\" { for_each = local.domain_slos",
        "service = google_monitoring_custom_service.domain[each.value.domain].service_id",
        "goal = each.value.goal", "rolling_period_days = each.value.window_days",
        "resource \"google_monitoring_alert_policy\" \"domain_slo_burn\" { for_each = local.domain_slo_alerts",
        "filter = \"select_slo_burn_rate(\\\"${google_monitoring_slo.domain[each.value.slo].name}\\\", \\\"${each.value.lookback}\\\")\"",
        "threshold_value = each.value.threshold",
        // The SLOs wait for the metric descriptors, as the alerts do: an SLO over an unknown metric is refused.
        "depends_on = [time_sleep.alerted_metrics_exist]"}) {
      assertTrue(tf.contains(line), "terraform/slo.tf has: " + line);
    }
    // Micrometer's Stackdriver naming: medallion.slo.freshness.good -> custom.googleapis.com/medallion/slo/freshness/good.
    for (String sli : new String[] {"freshness", "quality"}) {
      String good = sli.equals("freshness") ? Metrics.SLO_FRESHNESS_GOOD : Metrics.SLO_QUALITY_GOOD;
      String total = sli.equals("freshness") ? Metrics.SLO_FRESHNESS_TOTAL : Metrics.SLO_QUALITY_TOTAL;
      assertEquals("medallion.slo." + sli + ".good", good);
      assertEquals("medallion.slo." + sli + ".total", total);
    }
    assertTrue(tf.contains("good_service_filter = \"metric.type=\\\"${local.medallion_metric}/slo/${each.value.sli}/good\\\""), tf);
    assertTrue(tf.contains("total_service_filter = \"metric.type=\\\"${local.medallion_metric}/slo/${each.value.sli}/total\\\""), tf);
    assertTrue(tf.contains("metric.label.domain=\\\"${each.value.domain}\\\""), "each SLO counts its own domain's events");
    String observability = TerraformAgreesWithCodeTest.oneSpaced(Files.readString(Repository.root().resolve("terraform/observability.tf")));
    for (String type : new String[] {"slo/freshness/good", "slo/freshness/total", "slo/quality/good", "slo/quality/total"}) {
      assertTrue(observability.contains("\"" + type + "\" = { kind = \"CUMULATIVE\""),
          "a CUMULATIVE descriptor for " + type + " (request-based SLIs take DELTA or CUMULATIVE only)");
    }
  }

  private static JsonObject evaluate(Path module) throws Exception {
    Path exe = TerraformAgreesWithCodeTest.onPath("terraform");
    if (exe == null) {
      if ("true".equals(System.getenv("CI"))) {
        fail("terraform is not on PATH; under CI=true it is required (.ci/run checks for it)");
      }
      Assumptions.abort("terraform is not on PATH: slo.tf's locals not evaluated (install Terraform 1.5+)");
    }
    String tf = Files.readString(module.resolve("slo.tf"));
    Matcher locals = TerraformAgreesWithCodeTest.SOURCES_LOCALS.matcher(tf);
    assertTrue(locals.find(), "terraform/slo.tf has a locals block");
    Path work = Files.createTempDirectory("tf-slo");
    Files.writeString(work.resolve("main.tf"),
        locals.group().replace("${path.module}", module.toAbsolutePath().toString().replace('\\', '/')));
    Process p = new ProcessBuilder(exe.toString(), "console").directory(work.toFile())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((EVALUATE + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "terraform console did not finish");
    assertEquals(0, p.exitValue(), "terraform console failed on slo.tf's locals:\n" + out);
    return JsonParser.parseString(JsonParser.parseString(out).getAsString()).getAsJsonObject();
  }
}
