package io.medallion.event;

/** The CloudEvent types the functions receive, as GCP names them. */
public final class CloudEventTypes {
  public static final String PUBSUB_MESSAGE_PUBLISHED = "google.cloud.pubsub.topic.v1.messagePublished";
  public static final String STORAGE_OBJECT_FINALIZED = "google.cloud.storage.object.v1.finalized";

  private CloudEventTypes() {}
}
