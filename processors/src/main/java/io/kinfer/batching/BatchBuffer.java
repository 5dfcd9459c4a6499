package io.kinfer.batching;

import io.kinfer.decode.EventDecoder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * The records of one task that wait to be scored, in arrival order. Those still here when a
 * commit is made are in a changelogged state store keyed by a sequence number, so a crash or a
 * rebalance never loses one: whoever restores the store finds them and scores them. A new record
 * is kept in memory until then ({@link #save}, run by {@link BufferStore} before each commit),
 * so one scored and forwarded before the commit never touches the store (see
 * {@link BufferStore}). Decoded events are also kept in memory so a record is decoded once;
 * after a restore they are decoded again from the stored bytes.
 *
 * <p>Which records wait, and since when, is kept in memory too, in arrival order: a batch takes
 * them by their sequence numbers, one lookup each. (Taking them by a range scan of the store
 * copied every key still stored, in flight or waiting, into a new sorted set at each take, in
 * Kafka Streams' cache and in the store under it: under a backlog, a sixth of the stream
 * thread's time.) The store is read in full only when the buffer starts from it ({@link #open},
 * {@link #rewind}).
 */
final class BatchBuffer<E extends SpecificRecord, I> {

  static final String STORE = "batch-buffer";

  private final EventDecoder<E, I> decoder;
  private final Map<Long, Decoded<E, I>> decoded = new HashMap<>();
  /** The records not in the store yet: added since the last commit, and still here. */
  private final Map<Long, BufferedEvent> unsaved = new HashMap<>();
  /** The records that wait (not taken into a batch), oldest first. */
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private BufferStore store;
  private long nextSequence;

  BatchBuffer(EventDecoder<E, I> decoder) {
    this.decoder = decoder;
  }

  /**
   * Starts from what the store holds (after a restore, or a task revived or resumed). Records
   * not saved by then belong to a task closed without a commit: their input is read again.
   */
  void open(BufferStore store) {
    this.store = store;
    store.beforeCommit(this::save);
    decoded.clear();
    unsaved.clear();
    nextSequence = 0;
    rewind();
  }

  /** Writes the records not in the store yet into it: Kafka Streams is about to commit. */
  void save() {
    unsaved.forEach((sequence, stored) -> store.put(sequence, stored.toBytes()));
    unsaved.clear();
  }

  /** Every buffered record waits again; sequences go on after the highest one. */
  void rewind() {
    save();
    List<Waiting> stored = new ArrayList<>();
    try (KeyValueIterator<Long, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        stored.add(new Waiting(entry.key, BufferedEvent.fromBytes(entry.value).arrivedMillis()));
        nextSequence = Math.max(nextSequence, entry.key + 1);
      }
    }
    stored.sort(Comparator.comparingLong(Waiting::sequence));
    waiting.clear();
    waiting.addAll(stored);
  }

  void add(BufferedEvent stored, E event, I input) {
    long sequence = nextSequence++;
    unsaved.put(sequence, stored);
    decoded.put(sequence, new Decoded<>(event, input));
    waiting.add(new Waiting(sequence, stored.arrivedMillis()));
  }

  int waiting() {
    return waiting.size();
  }

  /** When the oldest waiting record arrived (meaningful when some wait). */
  long oldestArrivalMillis() {
    Waiting oldest = waiting.peek();
    return oldest == null ? 0 : oldest.arrivedMillis();
  }

  /**
   * Takes up to {@code max} waiting records in arrival order. A stored record that no longer
   * decodes (restored after an upgrade, say) is removed and returned apart, to be dead-lettered.
   */
  Taken<E, I> take(int max) {
    List<Buffered<E, I>> records = new ArrayList<>(Math.min(waiting.size(), max));
    List<Rejected> rejected = new ArrayList<>();
    while (records.size() < max && !waiting.isEmpty()) {
      long sequence = waiting.poll().sequence();
      BufferedEvent stored = unsaved.get(sequence);
      if (stored == null) {
        byte[] bytes = store.get(sequence);
        if (bytes == null) {
          // Removed already (its result left): nothing waits under that sequence.
          decoded.remove(sequence);
          continue;
        }
        stored = BufferedEvent.fromBytes(bytes);
      }
      Decoded<E, I> d = decoded.remove(sequence);
      if (d == null) {
        try {
          E event = decoder.serde().decode(stored.event());
          d = new Decoded<>(event, decoder.decode(event));
        } catch (RuntimeException e) {
          rejected.add(new Rejected(sequence, stored, e));
          continue;
        }
      }
      records.add(new Buffered<>(sequence, stored, d.event(), d.input()));
    }
    rejected.forEach(r -> remove(r.sequence()));
    return new Taken<>(records, rejected);
  }

  /**
   * A record's result has left: it no longer needs to survive a crash. One that was never saved
   * leaves no trace in the store or its changelog.
   */
  void remove(long sequence) {
    if (unsaved.remove(sequence) == null) {
      store.delete(sequence);
    }
  }

  /** A waiting record: its sequence, what is stored, and its decoded event and input. */
  record Buffered<E, I>(long sequence, BufferedEvent stored, E event, I input) {}

  /** A stored record that no longer decodes, and why. */
  record Rejected(long sequence, BufferedEvent stored, RuntimeException error) {}

  /** What {@link #take} took. */
  record Taken<E, I>(List<Buffered<E, I>> records, List<Rejected> rejected) {}

  private record Decoded<E, I>(E event, I input) {}

  /** A waiting record's sequence and when it arrived. */
  private record Waiting(long sequence, long arrivedMillis) {}
}
