package io.medallion.cli;

import io.medallion.api.PageTokens;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Set;

/**
 * The key that signs the query API's page tokens locally: 32 random bytes in {@code
 * <home>/api/page-token.key} (hex), made on first use, readable by this user only, and reused
 * after, so that a {@code next_page_token} stays valid when {@code ./medallion api} or {@code
 * serve} restarts, and is accepted by either. On GCP the key is a Secret Manager secret instead.
 */
final class PageTokenKey {

  /** Under the medallion home. */
  static final String FILE = "api/page-token.key";

  private PageTokenKey() {}

  /**
   * The home's key, made now if it has none.
   *
   * @throws Main.UserError when the file exists but does not hold a key (it is left as it is)
   */
  static byte[] load(Path home) throws IOException {
    Path file = home.resolve(FILE);
    if (!Files.exists(file)) {
      create(file);
    }
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    try {
      byte[] key = HexFormat.of().parseHex(text);
      if (key.length == 32) {
        return key;
      }
    } catch (IllegalArgumentException e) {
      // said below
    }
    throw new Main.UserError(file + " does not hold a page-token key (64 hex digits); delete it and a new one is"
        + " made (page tokens handed out before then stop being accepted)");
  }

  /**
   * Writes a new key, owner-only from its first byte; two processes starting at once both end
   * with the one that was written first.
   */
  private static void create(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(".page-token-" + ProcessHandle.current().pid() + ".tmp");
    Files.deleteIfExists(temp);
    try (var channel = Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      channel.write(ByteBuffer.wrap((HexFormat.of().formatHex(PageTokens.randomKey()) + "\n").getBytes(StandardCharsets.UTF_8)));
    }
    try {
      // A hard link fails when the name exists: the first writer's key wins, never replaced.
      Files.createLink(file, temp);
    } catch (FileAlreadyExistsException another) {
      // made meanwhile by another process: use that one
    } catch (UnsupportedOperationException noLinks) {
      try {
        Files.move(temp, file); // without REPLACE_EXISTING: fails, keeping the other key, if one appeared
      } catch (FileAlreadyExistsException another) {
        // as above
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
