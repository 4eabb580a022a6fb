package io.medallion.silver;

import io.medallion.event.PushEnvelopes;
import io.medallion.event.PushFunction;

/**
 * The deployed entry point of silver: {@link SilverFunction} behind the Pub/Sub push subscription
 * of the bronze bucket's notification topic, which Terraform creates with a retry and dead-letter
 * policy. Each push is a GCS {@code OBJECT_FINALIZE} notification, turned into the finalize
 * CloudEvent silver reads.
 */
public final class SilverPushFunction extends PushFunction {

  /** Used by the Functions Framework (HTTP signature). */
  public SilverPushFunction() {
    super(new SilverFunction(), PushEnvelopes::storageFinalized);
  }
}
