package io.kinfer.batching;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** The batch buffer as a plain store in a mock context (what a restore leaves behind). */
final class BufferStores {

  private BufferStores() {}

  /** A buffer store in {@code context}, whose clock it sets to 1,000 ms. */
  static KeyValueStore<Long, byte[]> inMock(MockProcessorContext<byte[], Object> context) {
    context.setCurrentSystemTimeMs(1_000);
    KeyValueStore<Long, byte[]> store = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(BatchingProcessor.STORE), Serdes.Long(), Serdes.ByteArray())
        .withLoggingDisabled().build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
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
