package io.medallion.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NamedParametersTest {

  @Test
  void placeholdersBecomePositionalInOrderOfAppearance() {
    NamedParameters p = NamedParameters.parse("select * from t where a = @a and b > @b or a = @a");

    assertEquals("select * from t where a = ? and b > ? or a = ?", p.sql());
    assertEquals(List.of("a", "b", "a"), p.names());
  }

  @Test
  void atSignsInLiteralsQuotedNamesAndCommentsAreLeftAlone() {
    String sql =
        "select 'it''s @x', \"@y\", `@z` -- @c\n, @real /* @d */ from t /* unclosed @e";

    NamedParameters p = NamedParameters.parse(sql);

    assertEquals(sql.replace("@real", "?"), p.sql());
    assertEquals(List.of("real"), p.names());
  }
}
