package io.medallion.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a silver column's value is in a source record, as a silver rename names it: field names
 * joined by dots ({@code user.login}), and at most one {@code []} after the name of an array, which
 * takes the rest of the path from each of its elements ({@code labels[].name}).
 *
 * <p>A field name is any non-empty text without {@code .}, {@code [} or {@code ]}; a field whose
 * name holds one of those cannot be named yet.
 *
 * @param fields the names down to the value, or down to the array when {@link #overElements()}
 * @param inElement the names from each element down to its value; empty unless {@code []}
 * @param overElements whether the path goes through each element of an array
 */
public record SourcePath(List<String> fields, List<String> inElement, boolean overElements) {

  public SourcePath {
    fields = List.copyOf(fields);
    inElement = List.copyOf(inElement);
  }

  /**
   * Reads a path.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static SourcePath parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an empty field path");
    }
    List<String> fields = new ArrayList<>();
    List<String> inElement = new ArrayList<>();
    boolean overElements = false;
    List<String> into = fields;
    int start = 0;
    int i = 0;
    while (true) {
      while (i < text.length() && text.charAt(i) != '.' && text.charAt(i) != '[' && text.charAt(i) != ']') {
        i++;
      }
      if (i == start) {
        throw new IllegalArgumentException("'" + text + "' has an empty field name at position " + (i + 1));
      }
      into.add(text.substring(start, i));
      if (i == text.length()) {
        break;
      }
      if (text.startsWith("[]", i)) {
        if (overElements) {
          throw new IllegalArgumentException("'" + text + "' has more than one []: arrays of arrays are not supported");
        }
        overElements = true;
        into = inElement;
        i += 2;
        if (i == text.length()) {
          String array = text.substring(0, i - 2);
          throw new IllegalArgumentException("'" + text + "' ends at the array's elements: name a field of each element ("
              + array + "[].name), or the array itself (" + array + ") for a REPEATED column of its values");
        }
        if (text.charAt(i) != '.') {
          throw new IllegalArgumentException("'" + text + "' needs a '.' after [] at position " + (i + 1));
        }
      } else if (text.charAt(i) != '.') {
        throw new IllegalArgumentException("'" + text + "' has '" + text.charAt(i) + "' at position " + (i + 1)
            + ": only [] (each element of an array) may follow a field name");
      }
      start = ++i;
    }
    return new SourcePath(fields, inElement, overElements);
  }

  /** Whether the path names a top-level field. */
  public boolean flat() {
    return fields.size() == 1 && !overElements;
  }

  @Override
  public String toString() {
    return String.join(".", fields) + (overElements ? "[]." + String.join(".", inElement) : "");
  }
}
