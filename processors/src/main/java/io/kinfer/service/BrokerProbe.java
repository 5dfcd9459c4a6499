package io.kinfer.service;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Asks the Kafka cluster for its brokers, with a bound on the wait. */
final class BrokerProbe implements AutoCloseable {

  private final String bootstrap;
  private final Duration timeout;
  private final Admin admin;

  BrokerProbe(Properties clientProperties, Duration timeout) {
    this.bootstrap = clientProperties.getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    this.timeout = timeout;
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    this.admin = Admin.create(props);
  }

  /** Empty when a broker answered; else what is wrong, for a person to read. */
  Optional<String> problem() {
    try {
      int nodes = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .size();
      return nodes > 0 ? Optional.empty()
          : Optional.of("Kafka at " + bootstrap + " reports no broker");
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return Optional.of("Kafka at " + bootstrap + " is unreachable: "
          + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while asking Kafka at " + bootstrap);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(1));
  }
}
