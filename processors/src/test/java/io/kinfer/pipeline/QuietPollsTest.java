package io.kinfer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kinfer.batching.PollPace;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * The main consumer Kafka Streams gets passes every call through, with poll's timeout set by
 * {@link PollPace}: a consumer that records its calls stands in for the real one.
 */
class QuietPollsTest {

  private final List<Object> polled = new ArrayList<>();

  @SuppressWarnings("unchecked")
  private final Consumer<byte[], byte[]> recording = (Consumer<byte[], byte[]>)
      Proxy.newProxyInstance(Consumer.class.getClassLoader(), new Class<?>[] {Consumer.class},
          (proxy, method, args) -> switch (method.getName()) {
            case "poll" -> {
              polled.add(args[0]);
              yield ConsumerRecords.empty();
            }
            case "assignment" -> Set.of();
            case "wakeup" -> throw new WakeupException();
            default -> null;
          });

  @Test
  void pollTakesThePacedTimeoutAndOtherCallsPassThrough() throws Exception {
    Consumer<byte[], byte[]> paced = QuietPolls.paced(recording);
    Duration[] asked = new Duration[1];
    // A new thread counts as busy: its poll keeps Kafka Streams' timeout.
    Thread thread = new Thread(() -> {
      paced.poll(Duration.ofMillis(5));
      asked[0] = PollPace.pollTimeout(Duration.ofMillis(5));
    });
    thread.start();
    thread.join();
    assertEquals(List.of(Duration.ofMillis(5)), polled);
    assertEquals(asked[0], polled.get(0));
    assertEquals(Set.of(), paced.assignment());
    assertThrows(WakeupException.class, paced::wakeup, "the real consumer's exception, as is");
  }

  @Test
  void theOtherClientsAreNotWrapped() {
    var config = new java.util.HashMap<String, Object>();
    config.put("bootstrap.servers", "127.0.0.1:1");
    try (Consumer<byte[], byte[]> restore = new QuietPolls().getRestoreConsumer(config)) {
      assertSame(org.apache.kafka.clients.consumer.KafkaConsumer.class, restore.getClass());
    }
  }
}
