package io.medallion.logging;

import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log setup of a deployed function: on Cloud Run ({@code K_SERVICE} set) every line becomes one
 * Cloud Logging JSON object on stdout; elsewhere the JDK's readable lines stay.
 */
public final class FunctionLogging {

  private static volatile boolean installed;

  private FunctionLogging() {}

  /** Configures from the process environment; called from each function's no-arg constructor. */
  public static void configureFromEnvironment(String project) {
    configure(System.getenv(), project);
  }

  /** Idempotent. */
  public static synchronized void configure(Map<String, String> env, String project) {
    if (installed || env.get("K_SERVICE") == null) {
      return;
    }
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler stdout = new ConsoleHandler() {
      {
        setOutputStream(System.out); // Cloud Run reads both; stdout keeps JSON apart from JVM noise
      }
    };
    stdout.setFormatter(new CloudLoggingFormatter(project));
    stdout.setLevel(Level.INFO);
    root.addHandler(stdout);
    installed = true;
  }
}
