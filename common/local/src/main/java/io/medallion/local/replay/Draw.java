package io.medallion.local.replay;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/** One record being generated: its random stream, its fields as they stand, and its run's state. */
final class Draw {

  final GeneratorSpec.ResourcePlan plan;
  final Run run;
  SplittableRandom r;
  long index;
  Object[] raw;
  Object[] lets;
  /** The parent record of a child resource's record, as sent; null otherwise. */
  Map<String, Object> parent;
  /** The field a mess rule acts on ({@code $this}). */
  int thisSlot = -1;

  Draw(GeneratorSpec.ResourcePlan plan, Run run) {
    this.plan = plan;
    this.run = run;
  }

  /** What one generation run of a resource remembers across its records. */
  static final class Run {
    private final List<Set<String>> unique = new ArrayList<>();
    /** The fields of every clean record so far, for {@code earlier} and {@code repeat_earlier}. */
    final List<Object[]> cleanRaw = new ArrayList<>();
    /** The keys of clean records, as silver sees them. */
    final Set<String> seenKeys = new HashSet<>();
    /** The typed rows of clean records, for a source whose silver is distinct. */
    final Set<List<Object>> seenRows = new HashSet<>();

    Set<String> unique(int set) {
      while (unique.size() <= set) {
        unique.add(new HashSet<>());
      }
      return unique.get(set);
    }
  }
}
