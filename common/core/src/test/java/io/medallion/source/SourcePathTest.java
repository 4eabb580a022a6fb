package io.medallion.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SourcePathTest {

  @Test
  void dotsAndOneArray_areRead() {
    assertEquals(new SourcePath(List.of("id"), List.of(), false), SourcePath.parse("id"));
    assertTrue(SourcePath.parse("id").flat());
    assertEquals(new SourcePath(List.of("user", "login"), List.of(), false), SourcePath.parse("user.login"));
    assertFalse(SourcePath.parse("user.login").flat());
    SourcePath labels = SourcePath.parse("issue.labels[].owner.login");
    assertEquals(new SourcePath(List.of("issue", "labels"), List.of("owner", "login"), true), labels);
    assertEquals("issue.labels[].owner.login", labels.toString());
    assertEquals(List.of("@type"), SourcePath.parse("@type").fields(), "any name without . [ ]");
  }

  @Test
  void malformedPaths_sayWhatIsWrong() {
    String[][] cases = {
        {"", "an empty field path"},
        {"user.", "'user.' has an empty field name at position 6"},
        {".login", "'.login' has an empty field name at position 1"},
        {"labels[]", "'labels[]' ends at the array's elements: name a field of each element (labels[].name), or the array itself (labels)"},
        {"labels[].", "'labels[].' has an empty field name at position 10"},
        {"labels[]name", "'labels[]name' needs a '.' after [] at position 9"},
        {"labels[0].name", "'labels[0].name' has '[' at position 7: only [] (each element of an array) may follow a field name"},
        {"a].b", "'a].b' has ']' at position 2"},
        {"a[].b[].c", "'a[].b[].c' has more than one []: arrays of arrays are not supported"},
        {"[].a", "'[].a' has an empty field name at position 1"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SourcePath.parse(c[0]), c[0]);
      assertTrue(e.getMessage().startsWith(c[1]), c[0] + ": " + e.getMessage());
    }
  }
}
