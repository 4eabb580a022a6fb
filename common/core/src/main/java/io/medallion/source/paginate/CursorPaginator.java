package io.medallion.source.paginate;

import io.medallion.source.rest.Urls;
import java.util.Optional;

/**
 * A cursor in the body at {@code cursor_path}, sent back as {@code cursor_param} with the request's
 * other parameters; a null, empty or missing cursor ends (a cursor that repeats is a loop, which
 * the engine refuses).
 */
final class CursorPaginator extends FollowingPaginator {

  private final Cursor spec;

  CursorPaginator(Cursor spec) {
    this.spec = spec;
  }

  @Override
  public boolean readsBody() {
    return true;
  }

  @Override
  public Optional<Next> next(Page page) throws PagingException {
    Optional<String> cursor = References.text(page.body(), spec.cursorPath(), "cursor_path");
    if (cursor.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Next(Urls.withParam(page.request(), spec.cursorParam(), cursor.get()),
        "the cursor '" + cursor.get() + "' at '" + spec.cursorPath() + "'", false));
  }
}
