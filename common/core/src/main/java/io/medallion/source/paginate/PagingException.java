package io.medallion.source.paginate;

/** A response that the declared paging cannot go on from; the message says what it found. */
public final class PagingException extends Exception {

  private static final long serialVersionUID = 1L;

  public PagingException(String message) {
    super(message);
  }

  public PagingException(String message, Throwable cause) {
    super(message, cause);
  }
}
