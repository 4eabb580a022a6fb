package io.medallion.silver.format;

import static io.medallion.silver.format.FormatFixture.load;
import static io.medallion.silver.format.FormatFixture.refusal;
import static io.medallion.silver.format.FormatFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.medallion.source.FileFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class FileRecordsTest {

  private static byte[] gzip(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    }
    return out.toByteArray();
  }

  @Test
  void jsonFiles_passThroughGunzipped() throws Exception {
    byte[] ndjson = "{\"ID_MARCA\":1,\"MARCA\":\"a\"}\n{\"ID_MARCA\":2,\"MARCA\":\"b\"}\n".getBytes(StandardCharsets.UTF_8);
    FormatFixture.Loaded loaded = load(FileFormat.of(FileFormat.Type.NDJSON), gzip(ndjson));
    assertEquals(List.of("a", "b"), loaded.rows().stream().map(r -> text(r, "marca")).toList());
    assertEquals(1, loaded.rows().get(1).get("_source_record").getAsLong(), "a JSON record's place in the file, as before");
  }

  @Test
  void emptyFiles_areRefusedForEveryType() throws Exception {
    for (FileFormat.Type type : FileFormat.Type.values()) {
      refusal(FileFormat.of(type), new byte[0], UnreadableFileException.EMPTY_FILE);
      refusal(FileFormat.of(type), gzip(new byte[0]), UnreadableFileException.EMPTY_FILE);
    }
  }
}
