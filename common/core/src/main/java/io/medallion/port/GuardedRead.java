package io.medallion.port;

/**
 * The rows of a read run under a cost guard, and what it billed.
 *
 * @param bytesBilled what the warehouse billed for the read (BigQuery's totalBytesBilled; 0 when
 *     its cache answered), or locally the estimate of what BigQuery would bill
 * @param estimated whether {@code bytesBilled} is a local estimate rather than the warehouse's figure
 */
public record GuardedRead(QueryResult result, long bytesBilled, boolean estimated) {}
