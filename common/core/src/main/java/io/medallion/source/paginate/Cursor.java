package io.medallion.source.paginate;

/**
 * A cursor in the body at {@code cursorPath}, sent back as {@code cursorParam}; null or empty ends,
 * and a cursor that repeats is a loop.
 */
public record Cursor(String cursorPath, String cursorParam) implements PaginatorSpec {

  @Override
  public String type() {
    return "cursor";
  }
}
