package io.medallion.ingest;

import io.medallion.config.MedallionConfig;
import io.medallion.event.PushEnvelopes;
import io.medallion.event.PushFunction;

/**
 * The deployed entry point of ingest: {@link IngestFunction} behind the Pub/Sub push subscription
 * that Terraform creates with a retry and dead-letter policy. Each push is a run request,
 * turned into the messagePublished CloudEvent ingest reads.
 */
public final class IngestPushFunction extends PushFunction {

  /** Used by the Functions Framework (HTTP signature). */
  public IngestPushFunction() {
    this(MedallionConfig.fromEnvironment());
  }

  private IngestPushFunction(MedallionConfig config) {
    super(new IngestFunction(), body -> PushEnvelopes.messagePublished(body, config.runRequestsTopic()));
  }
}
