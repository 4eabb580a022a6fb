package io.medallion.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.deploy.Repository;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** sql/ops/README.md's worked example is what the code's formulas and list prices compute. */
class CostFormulasAreTheDocsTest {

  private static String block(String doc, String marker) {
    Matcher m = Pattern.compile("<!-- " + Pattern.quote(marker) + " -->\\s*```\\n(.*?)\\n```", Pattern.DOTALL).matcher(doc);
    assertTrue(m.find(), "sql/ops/README.md has a code block after <!-- " + marker + " -->");
    return m.group(1);
  }

  @Test
  void theWorkedExample_isTheCodesOutput() throws Exception {
    String doc = Files.readString(Repository.root().resolve("sql/ops/README.md"));
    String[] lines = block(doc, "cost-example:quantities").split("\n");
    assertEquals("domain month bytes_billed slot_ms gcs_bytes_stored instance_seconds", lines[0].trim().replaceAll("\\s+", " "));
    String[] v = lines[1].trim().split("\\s+");
    long billed = Long.parseLong(v[2]);
    long slotMs = Long.parseLong(v[3]);
    long stored = Long.parseLong(v[4]);
    double seconds = Double.parseDouble(v[5]);
    CostPrices p = CostPrices.LIST;

    String computed = "on-demand " + CostPrices.usd(p.onDemand(billed)) + "  capacity " + CostPrices.usd(p.capacity(slotMs))
        + "  storage " + CostPrices.usd(p.storage(stored)) + "  functions " + CostPrices.usd(p.functions(seconds))
        + "  total " + CostPrices.usd(p.total(billed, stored, seconds));

    assertEquals(computed, block(doc, "cost-example:amounts").trim());
    for (String price : new String[] {"| `--price-per-tib` | 6.25 |", "| `--price-per-slot-hour` | 0.04 |",
        "| `--price-per-gib-month` | 0.020 |", "| `--price-per-vcpu-second` | 0.000024 |", "| `--price-per-gib-second` | 0.0000025 |"}) {
      assertTrue(doc.contains(price), "the doc's default prices are the code's: " + price);
    }
    assertEquals(6.25, p.perTib());
    assertEquals(0.04, p.perSlotHour());
    assertEquals(0.020, p.perGibMonth());
    assertEquals(0.000024, p.perVcpuSecond());
    assertEquals(0.0000025, p.perGibSecond());
  }
}
