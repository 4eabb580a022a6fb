package io.medallion.silver.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A file's header checked against the columns the declaration maps: the field name of each column. */
public final class Header {
  /** Names the readers write into records themselves, which a header may not take. */
  private static final Set<String> RESERVED =
      Set.of(FileRecords.ROW_FIELD, FileRecords.REJECT_FIELD, FileRecords.REJECT_MESSAGE_FIELD, FileRecords.SURPLUS_FIELD);

  private Header() {}

  /**
   * The trimmed names of {@code cells}, each column's (a blank one: null).
   *
   * @param where the header's place for a person: {@code line 1}, {@code row 3 of sheet "Sales"}
   * @param delimiter the declared CSV delimiter, to hint at another one; 0 for a spreadsheet
   * @throws UnreadableFileException when names repeat or are reserved, or a mapped column is missing
   */
  public static String[] check(List<String> cells, String uri, String where, CellText text, char delimiter)
      throws UnreadableFileException {
    String[] names = new String[cells.size()];
    Map<String, Integer> seen = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      String cell = cells.get(i);
      String name = cell == null ? "" : cell.strip();
      if (i == 0 && !name.isEmpty() && name.charAt(0) == '\uFEFF') {
        name = name.substring(1).strip();
      }
      if (name.isEmpty()) {
        continue;
      }
      if (RESERVED.contains(name)) {
        throw new UnreadableFileException(UnreadableFileException.RESERVED_HEADER, uri,
            "the header (" + where + ") names a column \"" + name + "\": silver writes that field itself;"
                + " rename the column (and its mapping)");
      }
      Integer before = seen.putIfAbsent(name, i);
      if (before != null) {
        duplicates.add("\"" + name + "\" (columns " + (before + 1) + " and " + (i + 1) + ")");
      }
      names[i] = name;
    }
    if (!duplicates.isEmpty()) {
      throw new UnreadableFileException(UnreadableFileException.DUPLICATE_HEADER, uri,
          "the header (" + where + ") repeats " + String.join(", ", duplicates) + ": which column is meant is unknown");
    }
    Set<String> missing = new LinkedHashSet<>(text.sourceFields());
    missing.removeAll(seen.keySet());
    if (missing.isEmpty()) {
      return names;
    }
    List<String> found = new ArrayList<>();
    for (String n : names) {
      if (n != null) {
        found.add(n);
      }
    }
    if (delimiter != 0 && found.size() == 1) {
      for (char other : new char[] {';', '\t', '|', ','}) {
        if (other != delimiter && found.get(0).indexOf(other) >= 0) {
          throw new UnreadableFileException(UnreadableFileException.WRONG_DELIMITER, uri,
              "the header (" + where + ") is one column \"" + abbreviate(found.get(0)) + "\" with "
                  + show(other) + " in it: is the delimiter " + show(other) + " rather than the declared "
                  + show(delimiter) + "? Columns missing: " + String.join(", ", missing));
        }
      }
    }
    StringBuilder detail = new StringBuilder("the header (" + where + ") lacks ")
        .append(missing.size() == 1 ? "the column " : "the columns ")
        .append(String.join(", ", missing))
        .append(" that the declaration maps; it has: ")
        .append(found.isEmpty() ? "no names" : String.join(", ", found));
    Map<String, String> byLowerCase = new HashMap<>();
    found.forEach(n -> byLowerCase.put(n.toLowerCase(Locale.ROOT), n));
    List<String> cased = new ArrayList<>();
    for (String m : missing) {
      String near = byLowerCase.get(m.toLowerCase(Locale.ROOT));
      if (near != null) {
        cased.add(near + " for " + m);
      }
    }
    if (!cased.isEmpty()) {
      detail.append(" (names are matched exactly: ").append(String.join(", ", cased)).append(")");
    }
    throw new UnreadableFileException(UnreadableFileException.MISSING_COLUMNS, uri, detail.toString());
  }

  private static String show(char c) {
    return c == '\t' ? "tab" : "'" + c + "'";
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
