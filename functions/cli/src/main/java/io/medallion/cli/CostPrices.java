package io.medallion.cli;

import java.util.Locale;

/**
 * List prices, as inputs, and the formulas that turn the quantities of {@code
 * ops.cost_by_domain_month} into amounts: written once here, once in sql/ops/README.md (whose
 * worked example CostFormulasAreTheDocsTest checks against these).
 *
 * @param perTib BigQuery on-demand compute, US dollars per TiB billed
 * @param perSlotHour BigQuery capacity compute (an edition's pay-as-you-go), per slot-hour: the
 *     alternative to on-demand, shown beside it and not added to the total
 * @param perGibMonth Cloud Storage Standard storage, per GiB-month
 * @param perVcpuSecond Cloud Run functions CPU, per vCPU-second
 * @param perGibSecond Cloud Run functions memory, per GiB-second
 * @param vcpu vCPUs of a function instance (terraform: available_cpu)
 * @param memoryGib memory of a function instance in GiB (terraform: available_memory)
 */
record CostPrices(double perTib, double perSlotHour, double perGibMonth, double perVcpuSecond, double perGibSecond,
    double vcpu, double memoryGib) {

  static final double TIB = 1024.0 * 1024 * 1024 * 1024;
  static final double GIB = 1024.0 * 1024 * 1024;
  static final double MS_PER_HOUR = 3_600_000.0;

  /**
   * Google's list prices as seen on 2026-12-05 (README "What a run costs" cites each page):
   * BigQuery on-demand $6.25/TiB and Standard edition $0.04/slot-hour
   * (https://cloud.google.com/bigquery/pricing), Cloud Storage Standard in a region $0.020/GiB-month
   * (https://cloud.google.com/storage/pricing), Cloud Run (functions) request-based tier 1
   * $0.000024/vCPU-second and $0.0000025/GiB-second (https://cloud.google.com/run/pricing); the
   * functions' 1 vCPU and 512 MiB (terraform/main.tf; silver has 1 GiB).
   */
  static final CostPrices LIST = new CostPrices(Reports.ON_DEMAND_USD_PER_TIB, 0.04, 0.020, 0.000024, 0.0000025, 1, 0.5);

  CostPrices {
    for (double p : new double[] {perTib, perSlotHour, perGibMonth, perVcpuSecond, perGibSecond, vcpu, memoryGib}) {
      if (!(p >= 0) || Double.isInfinite(p)) {
        throw new IllegalArgumentException("a price or size must be a finite number of 0 or more, got " + p);
      }
    }
  }

  /** On-demand compute: {@code bytes_billed / 2^40 × perTib}. */
  double onDemand(long bytesBilled) {
    return bytesBilled / TIB * perTib;
  }

  /** Capacity compute: {@code slot_ms / 3,600,000 × perSlotHour}. */
  double capacity(long slotMs) {
    return slotMs / MS_PER_HOUR * perSlotHour;
  }

  /** Storage for the month: {@code gcs_bytes_stored / 2^30 × perGibMonth}. */
  double storage(long bytesStored) {
    return bytesStored / GIB * perGibMonth;
  }

  /** Functions: {@code instance_seconds × (vcpu × perVcpuSecond + memoryGib × perGibSecond)}. */
  double functions(double instanceSeconds) {
    return instanceSeconds * (vcpu * perVcpuSecond + memoryGib * perGibSecond);
  }

  /** {@code onDemand + storage + functions} (capacity is the alternative to on-demand). */
  double total(long bytesBilled, long bytesStored, double instanceSeconds) {
    return onDemand(bytesBilled) + storage(bytesStored) + functions(instanceSeconds);
  }

  /** An amount as printed: US dollars to four decimals. */
  static String usd(double amount) {
    return String.format(Locale.ROOT, "$%.4f", amount);
  }
}
