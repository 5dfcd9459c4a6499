package io.kinfer.batching;

import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;

/** The batch buffer as a plain store in a mock context (what a restore leaves behind). */
final class BufferStores {

  private BufferStores() {}

  /** A buffer store in {@code context}, whose clock it sets to 1,000 ms. */
  static BufferStore inMock(MockProcessorContext<byte[], Object> context) {
    context.setCurrentSystemTimeMs(1_000);
    BufferStore store = BufferStore.builder().withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  /** What Kafka Streams does to the store before it commits the task's offsets. */
  static void commit(BufferStore store) {
    store.flushCache();
  }

  /** The records a commit now would leave in the store: those that survive a crash. */
  static long afterCommit(BufferStore store) {
    commit(store);
    return count(store);
  }

  static long count(KeyValueStore<Long, byte[]> store) {
    try (var all = store.all()) {
      long n = 0;
      while (all.hasNext()) {
        all.next();
        n++;
      }
      return n;
    }
  }
}
