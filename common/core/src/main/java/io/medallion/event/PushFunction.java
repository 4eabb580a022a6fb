package io.medallion.event;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import io.cloudevents.CloudEvent;
import java.util.logging.Logger;

/**
 * The HTTP entry point a Pub/Sub push subscription calls: decodes the push envelope into the
 * CloudEvent the wrapped {@link CloudEventsFunction} expects and hands it over.
 *
 * <p>Why it exists: a push subscription that Terraform owns can carry a dead-letter policy, a
 * retry policy and a 7-day retention; the subscriptions Eventarc creates for a trigger cannot be
 * configured from the trigger (see the README, "Why push subscriptions and not Eventarc"). The
 * Functions Framework does not turn a raw push body into a CloudEvent, hence this adapter.
 *
 * <p>Status codes are Pub/Sub's acknowledgement: 2xx acknowledges. A body that is not a push
 * envelope gets 400, which Pub/Sub retries and then moves to the dead-letter topic, so nothing is
 * lost. An exception from the function propagates: the framework answers 500 and Pub/Sub
 * redelivers (the retry signal).
 */
public abstract class PushFunction implements HttpFunction {

  private static final Logger LOG = Logger.getLogger(PushFunction.class.getName());

  /** How the push body becomes the function's event. */
  @FunctionalInterface
  public interface Decoder {
    CloudEvent decode(byte[] body) throws InvalidEventException;
  }

  private final CloudEventsFunction function;
  private final Decoder decoder;

  protected PushFunction(CloudEventsFunction function, Decoder decoder) {
    this.function = function;
    this.decoder = decoder;
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    if (!"POST".equals(request.getMethod())) {
      response.setStatusCode(405);
      response.appendHeader("Allow", "POST");
      return;
    }
    byte[] body = request.getInputStream().readAllBytes();
    CloudEvent event;
    try {
      event = decoder.decode(body);
    } catch (InvalidEventException e) {
      LOG.severe(() -> getClass().getSimpleName() + ": not a push envelope, left to the dead letters: " + e.getMessage());
      response.setStatusCode(400);
      return;
    }
    function.accept(event);
    response.setStatusCode(204);
  }
}
