package io.medallion.gold;

import io.medallion.config.MedallionConfig;
import io.medallion.event.PushEnvelopes;
import io.medallion.event.PushFunction;

/**
 * The deployed entry point of gold: {@link GoldFunction} behind the Pub/Sub push subscription
 * that Terraform creates with a retry and dead-letter policy. Each push is a BigQuery audit LogEntry routed by the log sink,
 * turned into the messagePublished CloudEvent gold reads.
 */
public final class GoldPushFunction extends PushFunction {

  /** Used by the Functions Framework (HTTP signature). */
  public GoldPushFunction() {
    this(MedallionConfig.fromEnvironment());
  }

  private GoldPushFunction(MedallionConfig config) {
    super(new GoldFunction(), body -> PushEnvelopes.messagePublished(body, config.bqJobsTopic()));
  }
}
