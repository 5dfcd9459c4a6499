package io.kinfer.pipeline;

import io.kinfer.batching.PollPace;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaClientSupplier;

/**
 * Kafka Streams' clients as its default supplier makes them, except that each stream thread's
 * main consumer polls as long as {@link PollPace} allows: 5 ms ({@code poll.ms}) while the
 * thread has work in the pipeline, 100 ms once it has been idle for a second.
 */
final class QuietPolls implements KafkaClientSupplier {

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return Admin.create(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return paced(consumer(config));
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return consumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return consumer(config);
  }

  private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** {@code consumer}, its {@code poll(Duration)} timeouts set by {@link PollPace}. */
  @SuppressWarnings("unchecked")
  static Consumer<byte[], byte[]> paced(Consumer<byte[], byte[]> consumer) {
    return (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
        new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
          Object[] call = args;
          if (args != null && args.length == 1 && args[0] instanceof Duration timeout
              && method.getName().equals("poll")) {
            call = new Object[] {PollPace.pollTimeout(timeout)};
          }
          try {
            return method.invoke(consumer, call);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
