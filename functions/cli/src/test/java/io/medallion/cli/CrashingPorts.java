package io.medallion.cli;

import io.medallion.ledger.RunEvent;
import io.medallion.port.JobStatus;
import io.medallion.port.LoadJob;
import io.medallion.port.MessageBus;
import io.medallion.port.ObjectId;
import io.medallion.port.ObjectStore;
import io.medallion.port.Ports;
import io.medallion.port.QueryJob;
import io.medallion.port.QueryResult;
import io.medallion.port.RunLedger;
import io.medallion.port.StoredObject;
import io.medallion.port.TableId;
import io.medallion.port.Warehouse;
import io.medallion.schema.SchemaDiff;
import io.medallion.schema.TableSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fault injector for local mode: wraps the real ports and "kills the process" at one step
 * boundary. From that moment every port call fails, as nothing runs in a dead process; the test
 * then closes the pipeline, which loses every in-flight message, like a crash.
 */
final class CrashingPorts {

  /** Where the process dies. */
  enum Point {
    AFTER_THREE_PAGES, BEFORE_MANIFEST, AFTER_MANIFEST,
    /** Silver's rejects are staged, its rows not yet. */
    MIDDLE_OF_STAGING_WRITE,
    /** Silver's rows and rejects are staged, its summary (what marks the staging done) not yet. */
    AFTER_STAGING_WRITE,
    BEFORE_LOAD_SUBMIT, AFTER_LOAD_SUBMIT, MIDDLE_OF_GOLD
  }

  private final Point point;
  private volatile boolean crashed;
  private final AtomicInteger queries = new AtomicInteger();

  CrashingPorts(Point point) {
    this.point = point;
  }

  boolean crashed() {
    return crashed;
  }

  private void alive() {
    if (crashed) {
      throw new IllegalStateException("process is dead (injected crash at " + point + ")");
    }
  }

  private IllegalStateException crash() {
    crashed = true;
    return new IllegalStateException("injected crash at " + point);
  }

  Ports wrap(Ports real) {
    return new Ports(objects(real.objects()), bus(real.bus()), warehouse(real.warehouse()), ledger(real.ledger()), real.metrics());
  }

  private ObjectStore objects(ObjectStore real) {
    return new ObjectStore() {
      @Override
      public PendingObject create(ObjectId id, String contentType, Map<String, String> metadata) throws IOException {
        alive();
        if (point == Point.AFTER_THREE_PAGES && id.name().endsWith("page-00004.json")
            || point == Point.BEFORE_MANIFEST && id.name().endsWith("/_SUCCESS")
            || point == Point.AFTER_STAGING_WRITE && id.name().endsWith("/_SILVER.json")) {
          throw crash();
        }
        PendingObject pending = real.create(id, contentType, metadata);
        return new PendingObject() {
          @Override
          public OutputStream stream() {
            return pending.stream();
          }

          @Override
          public Optional<StoredObject> commit() throws IOException {
            alive();
            if (point == Point.MIDDLE_OF_STAGING_WRITE && id.name().endsWith("/rows.ndjson")) {
              throw crash();
            }
            Optional<StoredObject> done = pending.commit();
            if (point == Point.AFTER_MANIFEST && id.name().endsWith("/_SUCCESS")) {
              throw crash();
            }
            return done;
          }

          @Override
          public void close() throws IOException {
            pending.close();
          }
        };
      }

      @Override
      public Optional<StoredObject> stat(ObjectId id) throws IOException {
        alive();
        return real.stat(id);
      }

      @Override
      public InputStream open(ObjectId id) throws IOException {
        alive();
        return real.open(id);
      }

      @Override
      public List<StoredObject> list(String bucket, String prefix) throws IOException {
        alive();
        return real.list(bucket, prefix);
      }

      @Override
      public boolean delete(ObjectId id, long generation) throws IOException {
        alive();
        return real.delete(id, generation);
      }
    };
  }

  private MessageBus bus(MessageBus real) {
    return (topic, message) -> {
      alive();
      return real.publish(topic, message);
    };
  }

  private Warehouse warehouse(Warehouse real) {
    return new Warehouse() {
      @Override
      public JobStatus load(LoadJob job) throws IOException {
        alive();
        if (point == Point.BEFORE_LOAD_SUBMIT) {
          throw crash();
        }
        JobStatus status = real.load(job);
        if (point == Point.AFTER_LOAD_SUBMIT) {
          throw crash();
        }
        return status;
      }

      @Override
      public JobStatus query(QueryJob job) throws IOException {
        alive();
        if (point == Point.MIDDLE_OF_GOLD && queries.incrementAndGet() == 2) {
          throw crash();
        }
        return real.query(job);
      }

      @Override
      public Optional<TableSchema> tableSchema(TableId table) throws IOException {
        alive();
        return real.tableSchema(table);
      }

      @Override
      public Optional<SchemaDiff> schemaDiff(TableId table, TableSchema declared) throws IOException {
        alive();
        return real.schemaDiff(table, declared);
      }

      @Override
      public Optional<JobStatus> job(String jobId) throws IOException {
        alive();
        return real.job(jobId);
      }

      @Override
      public QueryResult read(String sql, Map<String, Object> parameters) throws IOException {
        alive();
        return real.read(sql, parameters);
      }

      @Override
      public io.medallion.port.GuardedRead readGuarded(String sql, Map<String, Object> parameters, long maximumBytesBilled)
          throws IOException {
        return real.readGuarded(sql, parameters, maximumBytesBilled);
      }

      @Override
      public Optional<java.time.Instant> lastModified(io.medallion.port.TableId table) throws IOException {
        return real.lastModified(table);
      }
    };
  }

  private RunLedger ledger(RunLedger real) {
    return new RunLedger() {
      @Override
      public void record(RunEvent event) throws IOException {
        alive();
        real.record(event);
      }

      @Override
      public List<RunEvent> events(String runId) throws IOException {
        return real.events(runId);
      }

      @Override
      public List<String> recentRuns(int limit) throws IOException {
        return real.recentRuns(limit);
      }

      @Override
      public void recordAll(List<RunEvent> events) throws IOException {
        alive();
        real.recordAll(events);
      }

      @Override
      public java.util.Optional<String> watermark(String source, String resource) throws IOException {
        return real.watermark(source, resource);
      }

      @Override
      public List<RunEvent> sourceEvents(String source, io.medallion.ledger.Stage stage, io.medallion.ledger.Status status,
          java.time.Instant since) throws IOException {
        return real.sourceEvents(source, stage, status, since);
      }
    };
  }
}
