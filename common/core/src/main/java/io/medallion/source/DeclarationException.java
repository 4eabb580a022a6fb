package io.medallion.source;

import java.util.List;

/**
 * A source declaration that cannot be used, with every problem found, each naming the file and the
 * field (as a JSON pointer, e.g. {@code /resources/0/endpoint/paginator/type}).
 */
public final class DeclarationException extends Exception {

  private static final long serialVersionUID = 1L;

  /** One problem: where, and what is wrong there. */
  public record Problem(String file, String pointer, String message) {
    @Override
    public String toString() {
      return file + " " + (pointer.isEmpty() ? "/" : pointer) + ": " + message;
    }
  }

  private final transient List<Problem> problems;

  public DeclarationException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    StringBuilder s = new StringBuilder(problems.size() == 1 ? "1 problem" : problems.size() + " problems");
    for (Problem p : problems) {
      s.append("\n  ").append(p);
    }
    return s.toString();
  }
}
