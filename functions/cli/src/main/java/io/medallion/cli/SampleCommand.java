package io.medallion.cli;

import io.medallion.local.samples.SampleFiles;
import io.medallion.source.Source;
import io.medallion.source.SourceRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code medallion sample --source NAME}: writes a file source's sample files, generated as its
 * declaration and generator say (names, format, encoding, Excel date cells), for {@code drop} to
 * drop: what a partner would send, offline.
 */
@Command(name = "sample", mixinStandardHelpOptions = true,
    description = "Write a file source's sample files (generated, in its declared names and format), or the NDJSON files of records to post to a source that takes pushes.")
final class SampleCommand implements Callable<Integer> {

  @ParentCommand Main main;

  @Option(names = "--source", required = true, description = "The file source.")
  String sourceName;

  @Option(names = "--out", description = "The directory to write them into (default: <home>/samples/<source>, .medallion/samples/<source>).")
  Path out;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated records (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    SourceRegistry registry = LocalPipeline.sources(main.config());
    Source source = registry.find(sourceName).orElseThrow(
        () -> new Main.UserError("unknown source '" + sourceName + "'; known: " + registry.names()));
    if (!source.isFileSource() && source.push() == null) {
      throw new Main.UserError("source " + source.name() + " reads an API: ./medallion run --source " + source.name()
          + " reads its generated records from the replay server");
    }
    // In the medallion home by default, beside the buckets: nothing generated lands in the clone.
    Path dir = out != null ? out : main.home().resolve("samples").resolve(source.name());
    List<Path> written;
    try {
      written = SampleFiles.write(source, dir, seed);
    } catch (IllegalArgumentException e) {
      throw new Main.UserError(e.getMessage());
    }
    long bytes = 0;
    for (Path p : written) {
      bytes += Files.size(p);
    }
    main.out().printf("%d files of %s (%s) in %s%n", written.size(), source.name(), Format.bytes(bytes), dir);
    for (Path p : written.subList(0, Math.min(5, written.size()))) {
      main.out().printf("  %s%n", p);
    }
    if (written.size() > 5) {
      main.out().printf("  ... and %d more%n", written.size() - 5);
    }
    if (source.push() != null && !source.isFileSource()) {
      main.out().printf("Post them (with ./medallion serve running): for f in %s; do ./medallion post --source %s \"$f\"; done%n",
          dir.resolve("*"), source.name());
    } else {
      main.out().printf("Drop them: ./medallion drop --source %s %s%n", source.name(), dir.resolve("*"));
    }
    return 0;
  }
}
