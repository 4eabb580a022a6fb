package io.medallion.port;

import java.io.IOException;

/**
 * A read refused because it would bill more than its guard allows (BigQuery's {@code
 * maximumBytesBilled}): nothing was billed, nothing returned.
 */
public final class CostGuardExceeded extends IOException {

  private final long limit;
  private final long wouldBill;

  /**
   * @param wouldBill the bytes the read would bill, or -1 when the warehouse did not say
   */
  public CostGuardExceeded(long limit, long wouldBill) {
    super("the query would bill " + (wouldBill < 0 ? "more than " + limit : wouldBill)
        + " bytes; its guard allows " + limit);
    this.limit = limit;
    this.wouldBill = wouldBill;
  }

  public long limit() {
    return limit;
  }

  public long wouldBill() {
    return wouldBill;
  }
}
