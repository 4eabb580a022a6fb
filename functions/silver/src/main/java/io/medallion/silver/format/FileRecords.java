package io.medallion.silver.format;

import io.medallion.schema.TableSchema;
import io.medallion.source.FileFormat;
import io.medallion.source.SilverMapping;
import java.io.IOException;
import java.io.InputStream;

/** Opens a dropped file as the JSON records silver types. (Placeholder until the format readers land.) */
public final class FileRecords {
  private FileRecords() {}

  public static InputStream open(FileFormat format, InputStream raw, String uri, TableSchema schema, SilverMapping mapping)
      throws IOException {
    if (format.isJson()) {
      return raw;
    }
    throw new UnreadableFileException("UNSUPPORTED_FORMAT", uri + ": " + format.type() + " is not read yet");
  }
}
