package io.kinfer.batching;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * The batch buffer's state store: Kafka Streams' changelogged in-memory key-value store, with no
 * cache, that tells its task's {@link BatchBuffer} when a commit is about to be made.
 *
 * <p>Why: a record scored and forwarded before the next commit needs no place in the changelog,
 * because the commit that takes its input offset also takes its result. Only the records still
 * waiting or being scored when a commit is made must be in the store by then, so that whoever
 * restores it scores them. {@link BatchBuffer} therefore keeps new records in memory and writes
 * those still there into this store just before each commit ({@link #beforeCommit}); a record
 * gone by then costs no store write, no delete and no changelog tombstone. (With Kafka Streams'
 * record cache instead, every record was put into the cache, looked up, deleted, and written to
 * the changelog as a tombstone at the commit: about a sixth of the image stream thread's samples
 * in a flight recording under a backlog.)
 *
 * <p>The moment before a commit is the one Kafka Streams gives its own record caches: before it
 * commits a task's offsets, in every commit (the commit interval, a requested commit, a
 * rebalance, a shutdown), it asks each of the task's stores to flush its cache
 * ({@code ProcessorStateManager.flushCache}); what a store writes then goes to its changelog in
 * the same transaction as the offsets. This store takes part in that through Kafka Streams'
 * {@link WrappedStateStore} (an internal class; Kinfer pins its Kafka version), whose
 * {@code flushCache} it overrides. A task closed dirty (a crash, a fenced producer) commits
 * nothing: its records are read again from the input, as before.
 */
public final class BufferStore extends WrappedStateStore<KeyValueStore<Long, byte[]>, Long, byte[]>
    implements KeyValueStore<Long, byte[]> {

  private Runnable beforeCommit = () -> { };

  private BufferStore(KeyValueStore<Long, byte[]> changelogged) {
    super(changelogged);
  }

  /** The store to attach to the batching processor: in memory, changelogged, no record cache. */
  public static StoreBuilder<BufferStore> builder() {
    return new Builder(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BatchBuffer.STORE),
        Serdes.Long(), Serdes.ByteArray()).withCachingDisabled().withLoggingEnabled(Map.of()));
  }

  /**
   * The buffer store behind what {@code ProcessorContext.getStateStore} returned (Kafka Streams
   * hands processors the store inside a wrapper of its own).
   */
  static BufferStore in(StateStore store) {
    StateStore s = store;
    while (!(s instanceof BufferStore) && s instanceof WrappedStateStore<?, ?, ?> wrapper) {
      s = wrapper.wrapped();
    }
    if (s instanceof BufferStore buffer) {
      return buffer;
    }
    throw new IllegalStateException("the store '" + BatchBuffer.STORE + "' is a "
        + store.getClass().getName() + "; build it with BufferStore.builder() so that the"
        + " batching processor can save its waiting records before each commit");
  }

  /** Runs {@code save} on the stream thread before each commit of this store's task. */
  void beforeCommit(Runnable save) {
    beforeCommit = save;
  }

  @Override
  public void flushCache() {
    beforeCommit.run();
    super.flushCache();
  }

  @Override
  public void put(Long key, byte[] value) {
    wrapped().put(key, value);
  }

  @Override
  public byte[] putIfAbsent(Long key, byte[] value) {
    return wrapped().putIfAbsent(key, value);
  }

  @Override
  public void putAll(List<KeyValue<Long, byte[]>> entries) {
    wrapped().putAll(entries);
  }

  @Override
  public byte[] delete(Long key) {
    return wrapped().delete(key);
  }

  @Override
  public byte[] get(Long key) {
    return wrapped().get(key);
  }

  @Override
  public KeyValueIterator<Long, byte[]> range(Long from, Long to) {
    return wrapped().range(from, to);
  }

  @Override
  public KeyValueIterator<Long, byte[]> all() {
    return wrapped().all();
  }

  @Override
  public long approximateNumEntries() {
    return wrapped().approximateNumEntries();
  }

  /** Builds Kafka Streams' store and wraps it; caching stays off whatever is asked. */
  private record Builder(StoreBuilder<KeyValueStore<Long, byte[]>> inner)
      implements StoreBuilder<BufferStore> {

    @Override
    public StoreBuilder<BufferStore> withCachingEnabled() {
      throw new UnsupportedOperationException("the batch buffer keeps its own records until"
          + " the commit; a record cache under it would only add copies");
    }

    @Override
    public StoreBuilder<BufferStore> withCachingDisabled() {
      return this;
    }

    @Override
    public StoreBuilder<BufferStore> withLoggingEnabled(Map<String, String> config) {
      return new Builder(inner.withLoggingEnabled(config));
    }

    @Override
    public StoreBuilder<BufferStore> withLoggingDisabled() {
      return new Builder(inner.withLoggingDisabled());
    }

    @Override
    public BufferStore build() {
      return new BufferStore(inner.build());
    }

    @Override
    public Map<String, String> logConfig() {
      return inner.logConfig();
    }

    @Override
    public boolean loggingEnabled() {
      return inner.loggingEnabled();
    }

    @Override
    public String name() {
      return inner.name();
    }
  }
}
