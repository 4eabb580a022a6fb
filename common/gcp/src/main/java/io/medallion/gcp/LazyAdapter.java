package io.medallion.gcp;

import io.medallion.port.Lazy;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;

/**
 * A port whose adapter (and the client library behind it) is built on the first call to any of
 * its methods, not when the adapter set is made. A function's first event builds only the clients
 * it uses: silver skipping a page builds none, ingest dead-lettering a bad request only Pub/Sub.
 * Building a Cloud Storage or BigQuery client loads some hundreds of classes (~0.3 s of a cold
 * start, measured by {@code medallion bench}).
 */
final class LazyAdapter<T> implements InvocationHandler {

  private final Class<T> port;
  private final Lazy<T> adapter;

  private LazyAdapter(Class<T> port, Supplier<? extends T> factory) {
    this.port = port;
    this.adapter = Lazy.of(factory::get);
  }

  /** {@code port} implemented by the adapter {@code factory} builds on first use, once. */
  static <T> T of(Class<T> port, Supplier<? extends T> factory) {
    return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, new LazyAdapter<>(port, factory)));
  }

  /** Whether {@code lazy}'s adapter has been built yet. */
  static boolean isBuilt(Object lazy) {
    return handler(lazy).adapter.isBuilt();
  }

  /** {@code lazy}'s adapter, built now if it was not. */
  static Object adapter(Object lazy) {
    return handler(lazy).adapter.get();
  }

  private static LazyAdapter<?> handler(Object lazy) {
    if (Proxy.isProxyClass(lazy.getClass()) && Proxy.getInvocationHandler(lazy) instanceof LazyAdapter<?> h) {
      return h;
    }
    throw new IllegalArgumentException(lazy + " is not a lazy adapter");
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "lazy " + port.getSimpleName() + (adapter.isBuilt() ? ": " + adapter.get() : " (not built yet)");
      };
    }
    try {
      return method.invoke(adapter.get(), args);
    } catch (InvocationTargetException e) {
      throw e.getCause(); // the adapter's own exception, checked ones included, as declared by the port
    }
  }
}
