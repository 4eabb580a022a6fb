package io.medallion.push;

import io.medallion.config.MedallionConfig;
import io.medallion.source.Secrets;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The doors of every source that declares {@code push}, from the declarations: the topic its
 * records go to, its signing secret read through {@link Secrets} (environment variables locally,
 * Secret Manager on GCP), its body limit. The local pipeline and the deployed webhook build them
 * here, so both open the same doors.
 */
public final class PushDoors {

  private PushDoors() {}

  /**
   * One door per pushed source. A declared secret without a value gives a door that refuses every
   * push (503) rather than one that accepts them unsigned.
   *
   * @throws IOException when a secret cannot be read for another reason than having no value
   *     (permission denied, Secret Manager unreachable): the webhook must not open without it
   */
  public static Map<String, PushReceiver.Door> of(SourceRegistry sources, Secrets secrets, MedallionConfig config)
      throws IOException {
    Map<String, PushReceiver.Door> doors = new TreeMap<>();
    for (Source source : sources.all()) {
      Source.Push push = source.push();
      if (push == null) {
        continue;
      }
      byte[] secret = null;
      String unset = null;
      if (push.secret() != null) {
        try {
          secret = secrets.value(push.secret()).getBytes(StandardCharsets.UTF_8);
        } catch (Secrets.SecretMissingException e) {
          unset = push.secret().name();
        }
      }
      // A stream source's records are a message each: a BigQuery subscription writes one row per
      // message, as it is, so the webhook masks its masked columns before publishing.
      boolean stream = push.mode() == Source.Push.Mode.STREAM;
      java.util.function.UnaryOperator<byte[]> mask = null;
      if (stream) {
        io.medallion.schema.TableSchema schema = source.silverSchema();
        byte[] salt = null;
        boolean hashes = schema.marked().stream()
            .anyMatch(m -> m.field().masking() == io.medallion.schema.Sensitivity.Masking.HASH);
        io.medallion.domain.Domain domain = sources.domain(source.domain()).orElse(null);
        if (hashes && domain != null && domain.maskingSalt() != null) {
          try {
            salt = secrets.value(domain.maskingSalt()).getBytes(StandardCharsets.UTF_8);
          } catch (Secrets.SecretMissingException e) {
            unset = domain.maskingSalt().name(); // refuse every push rather than stream clear values
          }
        }
        if (unset == null) {
          mask = io.medallion.schema.RecordMask.of(schema, salt);
        }
      }
      doors.put(source.name(), new PushReceiver.Door(config.pushTopic(source.name()), secret, push.maxBodyBytes(), unset,
          stream, mask));
    }
    return doors;
  }
}
