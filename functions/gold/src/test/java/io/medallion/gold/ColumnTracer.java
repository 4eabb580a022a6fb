package io.medallion.gold;

import com.google.zetasql.resolvedast.ResolvedColumn;
import com.google.zetasql.resolvedast.ResolvedNode;
import com.google.zetasql.resolvedast.ResolvedNodes;
import com.google.zetasql.toolkit.tools.lineage.ColumnEntity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Traces a resolved statement's columns to the table columns they are computed from, following
 * what the toolkit's {@code ColumnLineageExtractor} (0.5.2) does not: array scans ({@code UNNEST}),
 * whose element column comes from the array expression's columns. Every computed column's parents
 * are the columns its expression references; a set operation's and a WITH reference's columns come
 * from their inputs' by position; a table scan's columns are the table's. Used where the extractor
 * finds no input column.
 */
final class ColumnTracer extends ResolvedNodes.Visitor {

  private final Map<Long, Set<Long>> parents = new HashMap<>();
  private final Map<Long, ColumnEntity> tableColumns = new HashMap<>();
  private final Map<String, List<ResolvedColumn>> withQueries = new HashMap<>();
  private final List<ResolvedNodes.ResolvedWithRefScan> withRefs = new ArrayList<>();

  static ColumnTracer of(ResolvedNode statement) {
    ColumnTracer t = new ColumnTracer();
    statement.accept(t);
    for (ResolvedNodes.ResolvedWithRefScan ref : t.withRefs) {
      List<ResolvedColumn> from = t.withQueries.get(ref.getWithQueryName());
      for (int i = 0; from != null && i < ref.getColumnList().size() && i < from.size(); i++) {
        t.link(ref.getColumnList().get(i), Set.of(from.get(i).getId()));
      }
    }
    return t;
  }

  /** The table columns {@code column} is computed from. */
  Set<ColumnEntity> sources(ResolvedColumn column) {
    Set<ColumnEntity> out = new LinkedHashSet<>();
    trace(column.getId(), out, new HashSet<>());
    return out;
  }

  private void trace(long id, Set<ColumnEntity> out, Set<Long> seen) {
    if (!seen.add(id)) {
      return;
    }
    ColumnEntity table = tableColumns.get(id);
    if (table != null) {
      out.add(table);
      return;
    }
    for (long p : parents.getOrDefault(id, Set.of())) {
      trace(p, out, seen);
    }
  }

  private void link(ResolvedColumn column, Set<Long> from) {
    parents.computeIfAbsent(column.getId(), k -> new HashSet<>()).addAll(from);
  }

  private static Set<Long> references(ResolvedNode node) {
    Set<Long> ids = new HashSet<>();
    if (node != null) {
      node.accept(new ResolvedNodes.Visitor() {
        @Override
        public void visit(ResolvedNodes.ResolvedColumnRef ref) {
          ids.add(ref.getColumn().getId());
          super.visit(ref);
        }
      });
    }
    return ids;
  }

  @Override
  public void visit(ResolvedNodes.ResolvedTableScan scan) {
    for (ResolvedColumn c : scan.getColumnList()) {
      tableColumns.put(c.getId(), ColumnEntity.forResolvedColumn(c));
    }
    super.visit(scan);
  }

  @Override
  public void visit(ResolvedNodes.ResolvedComputedColumn computed) {
    link(computed.getColumn(), references(computed.getExpr()));
    super.visit(computed);
  }

  @Override
  public void visit(ResolvedNodes.ResolvedDeferredComputedColumn computed) {
    link(computed.getColumn(), references(computed.getExpr()));
    super.visit(computed);
  }

  @Override
  public void visit(ResolvedNodes.ResolvedArrayScan scan) {
    Set<Long> from = new HashSet<>();
    for (ResolvedNodes.ResolvedExpr e : scan.getArrayExprList()) {
      from.addAll(references(e));
    }
    for (ResolvedColumn element : scan.getElementColumnList()) {
      link(element, from);
    }
    super.visit(scan);
  }

  @Override
  public void visit(ResolvedNodes.ResolvedSetOperationScan scan) {
    for (int i = 0; i < scan.getColumnList().size(); i++) {
      Set<Long> from = new HashSet<>();
      for (ResolvedNodes.ResolvedSetOperationItem item : scan.getInputItemList()) {
        if (i < item.getOutputColumnList().size()) {
          from.add(item.getOutputColumnList().get(i).getId());
        }
      }
      link(scan.getColumnList().get(i), from);
    }
    super.visit(scan);
  }

  @Override
  public void visit(ResolvedNodes.ResolvedWithEntry entry) {
    withQueries.put(entry.getWithQueryName(), entry.getWithSubquery().getColumnList());
    super.visit(entry);
  }

  @Override
  public void visit(ResolvedNodes.ResolvedWithRefScan ref) {
    withRefs.add(ref);
    super.visit(ref);
  }
}
