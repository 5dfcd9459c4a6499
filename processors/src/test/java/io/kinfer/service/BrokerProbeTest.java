package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A Kafka that does not answer is reported, within the probe's bound, with its address. */
class BrokerProbeTest {

  @Test
  @Timeout(30)
  void anUnreachableBrokerIsAProblemNamingItsAddress() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", "127.0.0.1:" + port);
    try (BrokerProbe probe = new BrokerProbe(props, Duration.ofSeconds(2))) {
      long started = System.nanoTime();
      Optional<String> problem = probe.problem();
      assertTrue(problem.isPresent(), "no broker there");
      assertTrue(problem.get().contains("127.0.0.1:" + port + " is unreachable"), problem.get());
      assertTrue(System.nanoTime() - started < Duration.ofSeconds(10).toNanos(),
          "bounded wait");
    }
  }
}
