package io.medallion.cli;

import io.medallion.config.MedallionConfig;
import io.medallion.gold.CostRollup;
import io.medallion.port.QueryResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion cost}: what each domain's runs used per month (the roll-up of the run ledger
 * that gold keeps in ops.cost_by_domain_month) times list prices given as inputs.
 */
@Command(name = "cost", mixinStandardHelpOptions = true,
    description = "What each domain's runs used per month, priced at list prices you may override (sql/ops/README.md).")
final class CostCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--month", paramLabel = "YYYY-MM", description = "Only this month (UTC); default: every month in the ledger.")
  String month;

  @Option(names = "--price-per-tib", paramLabel = "USD", description = "BigQuery on-demand, per TiB billed (default: ${DEFAULT-VALUE}).")
  double perTib = CostPrices.LIST.perTib();

  @Option(names = "--price-per-slot-hour", paramLabel = "USD",
      description = "BigQuery capacity (edition pay-as-you-go), per slot-hour; the alternative to on-demand (default: ${DEFAULT-VALUE}).")
  double perSlotHour = CostPrices.LIST.perSlotHour();

  @Option(names = "--price-per-gib-month", paramLabel = "USD", description = "Cloud Storage Standard, per GiB-month (default: ${DEFAULT-VALUE}).")
  double perGibMonth = CostPrices.LIST.perGibMonth();

  @Option(names = "--price-per-vcpu-second", paramLabel = "USD", description = "Cloud Run functions CPU, per vCPU-second (default: ${DEFAULT-VALUE}).")
  double perVcpuSecond = CostPrices.LIST.perVcpuSecond();

  @Option(names = "--price-per-gib-second", paramLabel = "USD", description = "Cloud Run functions memory, per GiB-second (default: ${DEFAULT-VALUE}).")
  double perGibSecond = CostPrices.LIST.perGibSecond();

  @Option(names = "--vcpu", paramLabel = "N", description = "vCPUs of a function instance (default: ${DEFAULT-VALUE}).")
  double vcpu = CostPrices.LIST.vcpu();

  @Option(names = "--memory-gib", paramLabel = "GIB", description = "Memory of a function instance, GiB (default: ${DEFAULT-VALUE}).")
  double memoryGib = CostPrices.LIST.memoryGib();

  @Override
  public Integer call() throws Exception {
    if (month != null && !month.matches("\\d{4}-(0[1-9]|1[0-2])")) {
      throw new Main.UserError("--month must be YYYY-MM, got " + month);
    }
    CostPrices prices;
    try {
      prices = new CostPrices(perTib, perSlotHour, perGibMonth, perVcpuSecond, perGibSecond, vcpu, memoryGib);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("--price-* / --vcpu / --memory-gib: " + e.getMessage());
    }
    MedallionConfig config = main.config();
    try (QueryCommand.Reading reading = QueryCommand.Reading.open(main)) {
      CostRollup.Statement q = CostRollup.query(config.opsDataset(), LocalPipeline.sources(config));
      QueryResult result = reading.warehouse().read(q.sql(), q.parameters());
      List<List<Object>> rows = new ArrayList<>();
      for (List<Object> r : result.rows()) {
        Row row = Row.of(result.columns(), r);
        if (month != null && !month.equals(row.month())) {
          continue;
        }
        rows.add(List.of(row.domain(), row.month(), row.runs(),
            Reports.dataSize(row.bytesBilled()), CostPrices.usd(prices.onDemand(row.bytesBilled())),
            String.format(Locale.ROOT, "%.4f", row.slotMs() / CostPrices.MS_PER_HOUR), CostPrices.usd(prices.capacity(row.slotMs())),
            Reports.dataSize(row.gcsBytesStored()), CostPrices.usd(prices.storage(row.gcsBytesStored())),
            String.format(Locale.ROOT, "%.1f", row.instanceSeconds()), CostPrices.usd(prices.functions(row.instanceSeconds())),
            CostPrices.usd(prices.total(row.bytesBilled(), row.gcsBytesStored(), row.instanceSeconds()))));
      }
      TablePrinter.print(new QueryResult(List.of("domain", "month", "runs", "bytes billed", "on-demand", "slot-hours",
          "capacity", "GCS stored", "storage", "instance-s", "functions", "total"), rows), main.out());
      main.out().printf(Locale.ROOT, "%non-demand = bytes_billed / 2^40 x $%s/TiB; capacity = slot_ms / 3,600,000 x $%s/slot-hour"
              + " (the alternative to on-demand, not in the total)%nstorage = gcs_bytes_stored / 2^30 x $%s/GiB-month;"
              + " functions = instance_seconds x (%s vCPU x $%s + %s GiB x $%s)%ntotal = on-demand + storage + functions."
              + " Quantities from the run ledger (ops.cost_by_domain_month); locally bytes billed are ESTIMATED and slot time"
              + " is wall time x 1 slot.%n",
          plain(prices.perTib()), plain(prices.perSlotHour()), plain(prices.perGibMonth()), plain(prices.vcpu()),
          plain(prices.perVcpuSecond()), plain(prices.memoryGib()), plain(prices.perGibSecond()));
      return 0;
    }
  }

  private static String plain(double v) {
    return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** One row of the roll-up, by column name. */
  record Row(String domain, String month, long runs, long bytesBilled, long slotMs, long gcsBytesWritten,
      long gcsBytesStored, double instanceSeconds) {
    static Row of(List<String> columns, List<Object> r) {
      java.util.function.Function<String, Object> v = c -> r.get(columns.indexOf(c));
      return new Row((String) v.apply("domain"), (String) v.apply("month"), n(v.apply("runs")), n(v.apply("bytes_billed")),
          n(v.apply("slot_ms")), n(v.apply("gcs_bytes_written")), n(v.apply("gcs_bytes_stored")),
          ((Number) v.apply("instance_seconds")).doubleValue());
    }

    private static long n(Object o) {
      return o == null ? 0 : ((Number) o).longValue();
    }
  }
}
