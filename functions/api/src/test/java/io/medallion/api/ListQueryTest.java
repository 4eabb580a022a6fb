package io.medallion.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.medallion.source.SourceRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a list request becomes a statement: the parts an HTTP round trip does not show. */
class ListQueryTest {

  private static final ApiRoutes ROUTES = ApiRoutes.of(SourceRegistry.standard());
  private static final PageTokens TOKENS = new PageTokens(PageTokens.randomKey(), PageTokens.DEFAULT_TTL, Clock.systemUTC());

  @Test
  void aDayAsTheEndOfAnInstantRange_includesThatWholeDay() {
    ApiRoute issues = ROUTES.find("github_issues", "dim_github_issues").orElseThrow();
    ListQuery q = ListQuery.parse(issues, Map.of("from", List.of("2024-01-01"), "to", List.of("2024-01-31")), TOKENS);
    assertTrue(q.sql("gold").contains("created_at >= @from AND created_at < @to"), q.sql("gold"));
    assertEquals(Instant.parse("2024-01-01T00:00:00Z"), q.parameters().get("from"));
    assertEquals(Instant.parse("2024-02-01T00:00:00Z"), q.parameters().get("to"));
    ListQuery instant = ListQuery.parse(issues, Map.of("to", List.of("2024-01-31T12:00:00Z")), TOKENS);
    assertTrue(instant.sql("gold").contains("created_at <= @to"), instant.sql("gold"));
    ListQuery oneDay = ListQuery.parse(issues, Map.of("from", List.of("2024-01-31"), "to", List.of("2024-01-31")), TOKENS);
    assertEquals(Instant.parse("2024-02-01T00:00:00Z"), oneDay.parameters().get("to"), "from and to one day: that day");
    ApiError after = assertThrows(ApiError.class, () -> ListQuery.parse(issues,
        Map.of("from", List.of("2024-02-01"), "to", List.of("2024-01-31")), TOKENS));
    assertEquals("from_after_to", after.code);
  }

  @Test
  void aListIsOneParameterPerValue_andTheKeyAlwaysOrdersLast() {
    ApiRoute sales = ROUTES.find("sales", "sales_by_brand_year_month").orElseThrow();
    ListQuery q = ListQuery.parse(sales, Map.of("month", List.of("1", "2", "3"), "order_by", List.of("-qtd_venda")), TOKENS);
    assertTrue(q.sql("gold").contains("month IN (@f_month_0, @f_month_1, @f_month_2)"), q.sql("gold"));
    assertTrue(q.sql("gold").endsWith("ORDER BY qtd_venda DESC, id_marca, year, month LIMIT @page_limit"), q.sql("gold"));
    assertEquals(List.of(1L, 2L, 3L), List.of(q.parameters().get("f_month_0"), q.parameters().get("f_month_1"),
        q.parameters().get("f_month_2")));
    assertEquals(101L, q.parameters().get("page_limit"));
  }
}
