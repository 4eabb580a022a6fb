package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.SourceRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The invoices generator (schemas/sources/invoices.generator.json) makes what its description
 * promises, checked here from the records as sent with this test's own arithmetic: valid CNPJ and
 * CPF check digits, access keys built from the invoice's own parts with a valid mod-11 digit, line
 * totals = quantity x unit price rounded half-even to the cent, taxes at their rates, totals that
 * are the sums of the lines, times at -03:00, and every reject reason in any four blocks.
 */
class InvoicesGeneratorTest {

  static List<GeneratedRecord> invoices;

  @BeforeAll
  static void generate() throws Exception {
    invoices = RecordGenerator.forSource(SourceRegistry.standard().find("invoices").orElseThrow())
        .generate(2_000, 17).records("invoices");
  }

  /** The mod-11 digit as the NF-e manual and the Receita Federal define it, written out here on its own. */
  static int mod11(String digits, int maxWeight) {
    int sum = 0;
    for (int i = 0; i < digits.length(); i++) {
      int weight = 2 + i % (maxWeight - 1);
      sum += Character.digit(digits.charAt(digits.length() - 1 - i), 10) * weight;
    }
    return sum % 11 < 2 ? 0 : 11 - sum % 11;
  }

  static boolean validCnpj(String s) {
    return s.matches("[0-9]{14}") && mod11(s.substring(0, 12), 9) == s.charAt(12) - '0'
        && mod11(s.substring(0, 13), 9) == s.charAt(13) - '0';
  }

  static boolean validCpf(String s) {
    return s.matches("[0-9]{11}") && mod11(s.substring(0, 9), 100) == s.charAt(9) - '0'
        && mod11(s.substring(0, 10), 100) == s.charAt(10) - '0';
  }

  private static BigDecimal money(JsonElement e) {
    return new BigDecimal(e.getAsString());
  }

  @Test
  void theCheckDigitsOfThisTest_agreeWithPublishedExamples() {
    assertTrue(validCnpj("11222333000181"));
    assertTrue(validCpf("52998224725"));
    assertEquals(5, mod11("5206043300991100250655012000000780026730161", 9));
  }

  @Test
  void cleanInvoices_haveValidIds_andAccessKeysBuiltFromTheirOwnParts() {
    int people = 0;
    int clean = 0;
    for (GeneratedRecord r : invoices) {
      if (!r.expected().isClean()) {
        continue;
      }
      clean++;
      JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
      JsonObject issuer = o.getAsJsonObject("issuer");
      JsonObject recipient = o.getAsJsonObject("recipient");
      String cnpj = issuer.get("cnpj").getAsString();
      assertTrue(validCnpj(cnpj), r.json());
      if (recipient.has("cpf")) {
        people++;
        assertTrue(validCpf(recipient.get("cpf").getAsString()) && !recipient.has("cnpj"), r.json());
      } else {
        assertTrue(validCnpj(recipient.get("cnpj").getAsString()), r.json());
      }
      String issued = o.get("issued_at").getAsString();
      assertTrue(issued.endsWith("-03:00"), issued);
      String key = o.get("access_key").getAsString();
      assertTrue(key.matches("[0-9]{44}"), key);
      assertEquals(mod11(key.substring(0, 43), 9), key.charAt(43) - '0', key);
      assertEquals(OffsetDateTime.parse(issued).format(DateTimeFormatter.ofPattern("yyMM")), key.substring(2, 6), "AAMM at -03:00");
      assertEquals(cnpj, key.substring(6, 20));
      assertEquals("55", key.substring(20, 22));
      assertEquals(String.format("%03d", o.get("series").getAsInt()), key.substring(22, 25));
      assertEquals(String.format("%09d", o.get("number").getAsLong()), key.substring(25, 34));
      assertEquals("1", key.substring(34, 35));
    }
    assertTrue(people > clean / 4 && people < clean * 3 / 5, "about 45% people: " + people + " of " + clean);
  }

  @Test
  void linesAreQuantityTimesPrice_taxesAtTheirRates_andTotalsTheirSums() {
    int lines = 0;
    int interstate = 0;
    for (GeneratedRecord r : invoices) {
      if (!r.expected().isClean()) {
        continue;
      }
      JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
      var items = o.getAsJsonArray("items");
      assertTrue(items.size() >= 1 && items.size() <= 20, r.json());
      boolean sameState = o.getAsJsonObject("recipient").get("state").getAsString()
          .equals(o.getAsJsonObject("issuer").get("state").getAsString());
      interstate += sameState ? 0 : 1;
      BigDecimal products = BigDecimal.ZERO;
      BigDecimal icms = BigDecimal.ZERO;
      BigDecimal pis = BigDecimal.ZERO;
      BigDecimal cofins = BigDecimal.ZERO;
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.get(i).getAsJsonObject();
        lines++;
        assertEquals(i + 1, item.get("number").getAsInt());
        assertTrue(item.get("ncm").getAsString().matches("[0-9]{8}"), item.toString());
        assertEquals(sameState ? '5' : '6', item.get("cfop").getAsString().charAt(0), "CFOP 5xxx in the state, 6xxx out of it");
        BigDecimal quantity = money(item.get("quantity"));
        BigDecimal price = money(item.get("unit_price"));
        assertTrue(quantity.scale() <= 4 && price.scale() == 2, item.toString());
        BigDecimal total = quantity.multiply(price).setScale(2, RoundingMode.HALF_EVEN);
        assertEquals(total, money(item.get("total")), item.toString());
        JsonObject taxes = item.getAsJsonObject("taxes");
        BigDecimal icmsAmount = total.multiply(money(taxes.getAsJsonObject("icms").get("rate")))
            .movePointLeft(2).setScale(2, RoundingMode.HALF_EVEN);
        assertEquals(icmsAmount, money(taxes.getAsJsonObject("icms").get("amount")), item.toString());
        BigDecimal base = total.subtract(icmsAmount);
        for (String tax : List.of("pis", "cofins")) {
          JsonObject t = taxes.getAsJsonObject(tax);
          assertEquals(0, base.compareTo(money(t.get("base"))), "PIS and COFINS on the line less its ICMS: " + item);
          assertEquals(base.multiply(money(t.get("rate"))).movePointLeft(2).setScale(2, RoundingMode.HALF_EVEN), money(t.get("amount")));
        }
        products = products.add(total);
        icms = icms.add(icmsAmount);
        pis = pis.add(money(taxes.getAsJsonObject("pis").get("amount")));
        cofins = cofins.add(money(taxes.getAsJsonObject("cofins").get("amount")));
      }
      JsonObject totals = o.getAsJsonObject("totals");
      assertEquals(products, money(totals.get("products")));
      assertEquals(products, money(totals.get("total")));
      assertEquals(icms, money(totals.get("icms")));
      assertEquals(pis, money(totals.get("pis")));
      assertEquals(cofins, money(totals.get("cofins")));
      assertTrue(totals.get("total").getAsJsonPrimitive().isNumber(), "money as exact JSON numbers: " + totals);
    }
    assertTrue(lines > 1_700 * 8, "1 to 20 lines, about 10.5 each: " + lines);
    assertTrue(interstate > 400 && interstate < 800, "about 30% leave the issuer's state: " + interstate);
  }

  @Test
  void oneDefectPerBlock_everyReasonInAnyFourBlocks_andNoInvoiceNumberTwiceAmongCleanOnes() {
    Map<String, Integer> reasons = new TreeMap<>();
    Set<String> numbers = new HashSet<>();
    for (GeneratedRecord r : invoices) {
      if (r.expected() instanceof Expected.Reject j) {
        reasons.merge(j.reason() + " " + j.field(), 1, Integer::sum);
      } else {
        JsonObject o = JsonParser.parseString(r.json()).getAsJsonObject();
        assertTrue(numbers.add(o.getAsJsonObject("issuer").get("cnpj").getAsString() + "/" + o.get("series").getAsString()
            + "/" + o.get("number").getAsString()), "one issuer, series and number once: " + r.json());
      }
    }
    assertEquals(4, reasons.size(), reasons.toString());
    assertEquals(20, reasons.values().stream().mapToInt(Integer::intValue).sum(), reasons.toString());
    assertTrue(reasons.values().stream().allMatch(n -> n == 5), reasons.toString());
  }
}
