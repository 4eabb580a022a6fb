package io.medallion.local.secrets;

import io.medallion.source.SecretRef;
import io.medallion.source.Secrets;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The local runtime's secrets with a fallback for the domains' masking salts: the environment
 * variable when it is set (so a team can hash locally as on GCP), else a key of 32 random bytes
 * (64 hex digits) in {@code <home>/secrets/<NAME>}, made on first use, readable by this user only,
 * and reused after, so that the hashes of one medallion home stay the same from run to run (joins,
 * distinct counts, an incremental merge all see the same value). Only the salts get this fallback:
 * any other secret missing from the environment is still refused.
 *
 * <p>Why a made key and not a refusal: {@code ./medallion run --all} must run on a fresh machine, and
 * a refusal would mean either no local finance data or a documented fixed key, with which anyone
 * could hash the (small) space of CPFs and reverse the masks. A random key per home writes no clear
 * value and reverses nothing.
 */
public final class LocalMaskingSalts {

  /** Under the medallion home. */
  public static final String DIRECTORY = "secrets";

  private LocalMaskingSalts() {}

  /** The masking salts {@code domains} declare. */
  public static Set<SecretRef> declared(java.util.List<io.medallion.domain.Domain> domains) {
    Set<SecretRef> salts = new java.util.HashSet<>();
    for (io.medallion.domain.Domain d : domains) {
      if (d.maskingSalt() != null) {
        salts.add(d.maskingSalt());
      }
    }
    return salts;
  }

  /**
   * {@code others} for every secret but the salts in {@code salts}, which are read from {@code env}
   * or else the home's key files.
   */
  public static Secrets of(Secrets others, java.util.Map<String, String> env, Path home, Set<SecretRef> salts) {
    return ref -> {
      if (!salts.contains(ref)) {
        return others.value(ref);
      }
      String set = env.get(ref.name());
      return set == null || set.isEmpty() ? load(home, ref) : set;
    };
  }

  /** The salt a local run of {@code home} uses for {@code ref}: the environment's, else the home's key. */
  public static String salt(Path home, java.util.Map<String, String> env, SecretRef ref) throws IOException {
    String set = env.get(ref.name());
    return set == null || set.isEmpty() ? load(home, ref) : set;
  }

  /** The home's key for {@code ref}, made now if it has none. */
  static String load(Path home, SecretRef ref) throws IOException {
    Path file = home.resolve(DIRECTORY).resolve(ref.name());
    if (!Files.exists(file)) {
      create(file);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (!text.matches("[0-9a-f]{64}")) {
      throw new IOException(file + " does not hold a masking salt (64 lowercase hex digits); set " + ref.name()
          + " or delete the file and a new one is made (then every hash of this home changes: rebuild silver)");
    }
    return text;
  }

  private static void create(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    Path temp = file.resolveSibling("." + file.getFileName() + "-" + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temp);
    try (var channel = Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      channel.write(ByteBuffer.wrap((HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.UTF_8)));
    }
    try {
      Files.createLink(file, temp); // fails when another process made it first: that key wins
    } catch (FileAlreadyExistsException another) {
      // keep the other
    } catch (UnsupportedOperationException noLinks) {
      try {
        Files.move(temp, file);
      } catch (FileAlreadyExistsException another) {
        // keep the other
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
