package io.medallion.cli;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A Cloud Scheduler style schedule: a five-field unix cron expression in UTC (e.g. {@code
 * "0 6 * * *"}), parsed by cron-utils.
 */
final class CronSchedule {

  private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ExecutionTime times;

  private CronSchedule(String expression, ExecutionTime times) {
    this.expression = expression;
    this.times = times;
  }

  /** Parses, or throws a usage error that quotes the expression and says why. */
  static CronSchedule parse(String expression) {
    try {
      return new CronSchedule(expression, ExecutionTime.forCron(PARSER.parse(expression.trim())));
    } catch (IllegalArgumentException e) {
      throw new Main.UserError("--schedule '" + expression + "' is not a 5-field cron expression: " + e.getMessage());
    }
  }

  /** The first run strictly after {@code now}. */
  Optional<ZonedDateTime> next(ZonedDateTime now) {
    return times.nextExecution(now.withZoneSameInstant(ZoneOffset.UTC));
  }

  /** How long from {@code now} until the next run. */
  Optional<Duration> delay(ZonedDateTime now) {
    return next(now).map(t -> Duration.between(now, t));
  }

  @Override
  public String toString() {
    return expression + " (UTC)";
  }
}
