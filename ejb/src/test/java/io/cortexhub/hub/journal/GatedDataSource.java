package io.cortexhub.hub.journal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A real data source wrapped so that tests see how many connections (= journal transactions) were
 * taken, can hold the first one back, and can make the next one fail. Thread-safe.
 */
final class GatedDataSource {
  final AtomicInteger connections = new AtomicInteger();
  final CountDownLatch firstEntered = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  private volatile boolean gateFirst;
  private volatile boolean failNext;
  private final DataSource proxy;

  GatedDataSource(DataSource real) {
    InvocationHandler h = (p, m, args) -> {
      if (m.getName().equals("getConnection")) {
        int n = connections.incrementAndGet();
        if (failNext) {
          failNext = false;
          throw new SQLTransientConnectionException("database unreachable (test)");
        }
        if (n == 1 && gateFirst) {
          firstEntered.countDown();
          if (!release.await(10, TimeUnit.SECONDS)) {
            throw new SQLException("gate never released");
          }
        }
      }
      try {
        return m.invoke(real, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    proxy = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataSource.class}, h);
  }

  GatedDataSource holdFirstConnection() {
    gateFirst = true;
    return this;
  }

  void failNextConnection() {
    failNext = true;
  }

  DataSource dataSource() {
    return proxy;
  }
}
