package io.medallion.port;

import java.util.function.Supplier;

/** A value built on first use, once, thread-safely: functions create clients lazily. */
public final class Lazy<T> implements Supplier<T> {

  private final Supplier<T> factory;
  private volatile T value;

  private Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  public static <T> Lazy<T> of(Supplier<T> factory) {
    return new Lazy<>(factory);
  }

  /** Whether the value has been built (without building it). */
  public boolean isBuilt() {
    return value != null;
  }

  @Override
  public T get() {
    T v = value;
    if (v == null) {
      synchronized (this) {
        v = value;
        if (v == null) {
          v = factory.get();
          value = v;
        }
      }
    }
    return v;
  }
}
