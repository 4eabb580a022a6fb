package io.medallion.local.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.medallion.source.DeclarationException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The generator kinds that exact data needs (money, Brazilian tax ids, an NF-e access key): fixed
 * decimals drawn on their grid, exact arithmetic rounded half-even, sums over a list, check digits
 * checked against published examples, padding, times at an offset and formatted, and {@code map}
 * with its names seen only inside it.
 */
class GeneratorExactValuesTest {

  private static List<JsonObject> records(String steps, int n) throws Exception {
    String spec = "{\"resources\": {\"items\": {\"record\": [{\"field\": \"id\", \"value\": {\"sequence\": {}}},"
        + " {\"field\": \"name\", \"value\": \"x\"}, " + steps + "]}}}";
    RecordGenerator g = new RecordGenerator(GeneratorSpec.parse(TestSources.source("pager"), "t.generator.json", spec));
    return g.generate(n, 3).records("items").stream().map(r -> JsonParser.parseString(r.json()).getAsJsonObject()).toList();
  }

  private static JsonObject record(String steps) throws Exception {
    return records(steps, 1).get(0);
  }

  private static DeclarationException refused(String steps) {
    String spec = "{\"resources\": {\"items\": {\"record\": [{\"field\": \"id\", \"value\": {\"sequence\": {}}}, " + steps + "]}}}";
    return assertThrows(DeclarationException.class,
        () -> GeneratorSpec.parse(TestSources.source("pager"), "t.generator.json", spec));
  }

  /** The number's text as written in the record (Gson keeps it). */
  private static String text(JsonElement e) {
    return e.getAsJsonPrimitive().getAsString();
  }

  @Test
  void fixed_drawsOnTheGridOfItsScale_andWritesEveryDigit() throws Exception {
    List<JsonObject> rs = records("{\"field\": \"price\", \"value\": {\"fixed\": {\"min\": \"0.10\", \"max\": \"2.00\", \"scale\": 2}}},"
        + " {\"field\": \"qty\", \"value\": {\"fixed\": {\"min\": 1, \"max\": 1.0009, \"scale\": 4}}},"
        + " {\"let\": \"range\", \"value\": {\"const\": {\"lo\": \"7.00\", \"hi\": 7.02}}},"
        + " {\"field\": \"ranged\", \"value\": {\"fixed\": {\"min\": \"$range.lo\", \"max\": \"$range.hi\", \"scale\": 2}}}", 400);
    boolean trailingZero = false;
    for (JsonObject r : rs) {
      assertTrue(r.get("price").getAsJsonPrimitive().isNumber(), "a JSON number: " + r);
      String price = text(r.get("price"));
      assertTrue(price.matches("[0-2]\\.[0-9]{2}"), price);
      BigDecimal p = new BigDecimal(price);
      assertTrue(p.compareTo(new BigDecimal("0.10")) >= 0 && p.compareTo(new BigDecimal("2.00")) <= 0, price);
      trailingZero |= price.endsWith("0");
      assertTrue(text(r.get("qty")).matches("1\\.000[0-9]"), text(r.get("qty")));
    }
    assertTrue(trailingZero, "12.50 is written 12.50, not 12.5");
    assertEquals(List.of("7.00", "7.01", "7.02"), rs.stream().map(r -> text(r.get("ranged"))).distinct().sorted().toList(),
        "bounds from a reference, both included");
    assertEquals(10, rs.stream().map(r -> text(r.get("qty"))).distinct().count(), "every step of the grid, both ends included");
  }

  @Test
  void arithmetic_isExact_andRoundIsHalfEvenUnlessTold() throws Exception {
    JsonObject r = record("{\"let\": \"q\", \"value\": 2.5}, {\"let\": \"p\", \"value\": \"0.05\"},"
        + " {\"field\": \"product\", \"value\": {\"multiply\": [\"$q\", \"$p\"]}},"
        + " {\"field\": \"even_down\", \"value\": {\"round\": {\"multiply\": [\"$q\", \"$p\"]}, \"scale\": 2}},"
        + " {\"field\": \"even_up\", \"value\": {\"round\": \"0.135\", \"scale\": 2}},"
        + " {\"field\": \"half_up\", \"value\": {\"round\": \"0.125\", \"scale\": 2, \"mode\": \"half_up\"}},"
        + " {\"field\": \"cents\", \"value\": {\"round\": 3.1, \"scale\": 2}},"
        + " {\"field\": \"tenth\", \"value\": {\"add\": [0.1, 0.2]}},"
        + " {\"field\": \"net\", \"value\": {\"subtract\": [\"10.00\", 0.01, 0.01]}},"
        + " {\"field\": \"none\", \"value\": {\"multiply\": [\"$q\", null]}}");
    assertEquals("0.125", text(r.get("product")));
    assertEquals("0.12", text(r.get("even_down")));
    assertEquals("0.14", text(r.get("even_up")));
    assertEquals("0.13", text(r.get("half_up")));
    assertEquals("3.10", text(r.get("cents")));
    assertEquals("0.3", text(r.get("tenth")), "0.1 + 0.2 is 0.3 here, not 0.30000000000000004");
    assertEquals("9.98", text(r.get("net")));
    assertTrue(r.get("none").isJsonNull());
  }

  @Test
  void mapMakesEachElement_withItsPositionAndLets_andSumAddsThemUp() throws Exception {
    List<JsonObject> rs = records("{\"let\": \"lines\", \"value\": {\"array\": {\"object\": {"
        + "  \"qty\": {\"fixed\": {\"min\": \"0.0001\", \"max\": \"9.9999\", \"scale\": 4}},"
        + "  \"price\": {\"fixed\": {\"min\": \"0.01\", \"max\": \"999.99\", \"scale\": 2}}}}, \"count\": [1, 20]}},"
        + " {\"field\": \"items\", \"value\": {\"map\": \"$lines\", \"as\": \"line\", \"position\": \"n\","
        + "   \"let\": {\"gross\": {\"round\": {\"multiply\": [\"$line.qty\", \"$line.price\"]}, \"scale\": 2}},"
        + "   \"to\": {\"object\": {\"number\": \"$n\", \"quantity\": \"$line.qty\", \"unit_price\": \"$line.price\", \"total\": \"$gross\","
        + "     \"tax\": {\"object\": {\"amount\": {\"round\": {\"multiply\": [\"$gross\", \"0.18\"]}, \"scale\": 2}}}}}}},"
        + " {\"field\": \"total\", \"value\": {\"sum\": \"$items\", \"of\": \"total\"}},"
        + " {\"field\": \"tax\", \"value\": {\"sum\": \"$items\", \"of\": \"tax.amount\", \"scale\": 2}},"
        + " {\"field\": \"nothing\", \"value\": {\"sum\": {\"const\": []}, \"scale\": 2}}", 200);
    int lines = 0;
    for (JsonObject r : rs) {
      JsonArray items = r.getAsJsonArray("items");
      BigDecimal total = BigDecimal.ZERO;
      BigDecimal tax = BigDecimal.ZERO;
      for (int i = 0; i < items.size(); i++) {
        JsonObject item = items.get(i).getAsJsonObject();
        assertEquals(i + 1, item.get("number").getAsInt());
        BigDecimal gross = new BigDecimal(text(item.get("quantity"))).multiply(new BigDecimal(text(item.get("unit_price"))))
            .setScale(2, RoundingMode.HALF_EVEN);
        assertEquals(gross.toPlainString(), text(item.get("total")), item.toString());
        BigDecimal itemTax = gross.multiply(new BigDecimal("0.18")).setScale(2, RoundingMode.HALF_EVEN);
        assertEquals(itemTax.toPlainString(), text(item.getAsJsonObject("tax").get("amount")));
        total = total.add(gross);
        tax = tax.add(itemTax);
        lines++;
      }
      assertEquals(total.toPlainString(), text(r.get("total")));
      assertEquals(tax.setScale(2).toPlainString(), text(r.get("tax")));
      assertEquals("0.00", text(r.get("nothing")));
    }
    assertTrue(lines > 200 * 8 && lines < 200 * 13, "1 to 20 lines each: " + lines);
  }

  @Test
  void checkDigits_matchPublishedExamples() throws Exception {
    JsonObject r = record("{\"field\": \"cnpj\", \"value\": {\"check_digits\": \"112223330001\", \"scheme\": \"cnpj\"}},"
        + " {\"field\": \"cnpj2\", \"value\": {\"check_digits\": \"000000000001\", \"scheme\": \"cnpj\"}},"
        + " {\"field\": \"cpf\", \"value\": {\"check_digits\": \"529982247\", \"scheme\": \"cpf\"}},"
        + " {\"field\": \"cpf2\", \"value\": {\"check_digits\": \"111444777\", \"scheme\": \"cpf\"}},"
        + " {\"field\": \"key\", \"value\": {\"check_digits\": \"5206043300991100250655012000000780026730161\", \"scheme\": \"mod11\"}},"
        + " {\"field\": \"random_cnpj\", \"value\": {\"check_digits\": {\"pattern\": \"########0001\"}, \"scheme\": \"cnpj\"}}");
    assertEquals("11222333000181", r.get("cnpj").getAsString(), "the Receita Federal's own example, 11.222.333/0001-81");
    assertEquals("00000000000191", r.get("cnpj2").getAsString(), "Banco do Brasil, 00.000.000/0001-91");
    assertEquals("52998224725", r.get("cpf").getAsString(), "529.982.247-25");
    assertEquals("11144477735", r.get("cpf2").getAsString(), "111.444.777-35");
    assertEquals("52060433009911002506550120000007800267301615", r.get("key").getAsString(),
        "the access key of the NF-e manual's example: cDV 5");
    assertTrue(r.get("random_cnpj").getAsString().matches("[0-9]{8}0001[0-9]{2}"), r.toString());
  }

  @Test
  void checkDigitsOfTheWrongLength_failGenerationNamingTheValue() throws Exception {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> record("{\"field\": \"cnpj\", \"value\": {\"check_digits\": \"1122233300\", \"scheme\": \"cnpj\"}}"));
    assertTrue(e.getMessage().contains("check_digits cnpj of '1122233300'") && e.getMessage().contains("12 digits"), e.getMessage());
  }

  @Test
  void timesAtAnOffset_keepTheirSeconds_andFormatInTheirOwnOffset() throws Exception {
    JsonObject r = record("{\"field\": \"created_at\", \"value\": {\"timestamp\": {\"start\": \"2024-01-01T02:00:00Z\", \"offset\": \"-03:00\"}}},"
        + " {\"field\": \"yymm\", \"value\": {\"format_time\": \"$created_at\", \"format\": \"yyMM\"}},"
        + " {\"field\": \"raw_yymm\", \"value\": {\"format_time\": {\"raw\": \"created_at\"}, \"format\": \"yyMM\"}},"
        + " {\"field\": \"later\", \"value\": {\"timestamp\": {\"after\": {\"raw\": \"created_at\"}, \"within\": [\"PT1H\", \"PT1H\"], \"offset\": \"-03:00\"}}},"
        + " {\"field\": \"number\", \"value\": {\"pad\": 780, \"width\": 9}},"
        + " {\"field\": \"series\", \"value\": {\"pad\": \"1\", \"width\": 3, \"with\": \"0\"}}");
    assertEquals("2023-12-31T23:00:00-03:00", r.get("created_at").getAsString());
    assertEquals("2401", r.get("yymm").getAsString(), "what silver makes of it, an instant, is formatted in UTC");
    assertEquals("2312", r.get("raw_yymm").getAsString(), "the text as sent is formatted at its own offset");
    assertEquals("2024-01-01T00:00:00-03:00", r.get("later").getAsString());
    assertEquals("000000780", r.get("number").getAsString());
    assertEquals("001", r.get("series").getAsString());
  }

  @Test
  void aMapsNames_areSeenOnlyInsideIt_andMayNotShadowOthers() {
    String all = refused("{\"let\": \"line\", \"value\": 1},"
        + " {\"field\": \"a\", \"value\": {\"map\": {\"const\": [1]}, \"as\": \"line\", \"to\": \"$line\"}},"
        + " {\"field\": \"b\", \"value\": {\"map\": {\"const\": [1]}, \"as\": \"x\", \"to\": \"$x\"}},"
        + " {\"field\": \"c\", \"value\": \"$x\"},"
        + " {\"field\": \"d\", \"value\": {\"round\": 1.5}},"
        + " {\"field\": \"e\", \"value\": {\"fixed\": {\"min\": \"0.001\", \"max\": 1, \"scale\": 2}}},"
        + " {\"field\": \"f\", \"value\": {\"check_digits\": \"1\", \"scheme\": \"luhn\"}}").getMessage();
    assertTrue(all.contains("/resources/items/record/2/value/as: 'line' is already a let"), all);
    assertTrue(all.contains("/resources/items/record/4/value: $x is bound by a map: only inside that map"), all);
    assertTrue(all.contains("/resources/items/record/5/value/scale: is required"), all);
    assertTrue(all.contains("/resources/items/record/6/value/fixed: min and max are decimals with at most 2 digits"), all);
    assertTrue(all.contains("/resources/items/record/7/value/scheme: is cnpj"), all);
  }
}
