package io.medallion.config;

/** A configuration value is missing or invalid; the message names the variable. */
public class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
