package io.medallion.gcp.bigquery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SqlParameters}: only real placeholders count, under GoogleSQL's lexical rules. */
class BigQuerySqlParametersTest {

  private static List<String> names(String sql) {
    return List.copyOf(SqlParameters.names(sql));
  }

  @Test
  void findsEachNameOnceInOrder() {
    assertEquals(List.of("b", "a"), names("select @b, @a, @b+1 from t where x=@a"));
  }

  @Test
  void skipsLiteralsIdentifiersAndComments() {
    assertEquals(
        List.of("real"),
        names(
            "select '@s', \"@d\", `@q`, '''@t ' '''\n -- @c1\n # @c2\n /* @c3 */ @real,"
                + " 'it\\'s @esc', \"\"\"@t2\"\"\""));
  }

  @Test
  void rawLiteralsEndAtTheirQuoteDespiteBackslash() {
    // In r'a\' the backslash is literal, so the string ends there and @p is a parameter.
    assertEquals(List.of("p"), names("select r'a\\', @p"));
    assertEquals(List.of(), names("select 'a\\', @p'"));
  }

  @Test
  void systemVariablesAreNotParameters() {
    assertEquals(List.of("x"), names("select @@dataset_id, @x"));
  }
}
