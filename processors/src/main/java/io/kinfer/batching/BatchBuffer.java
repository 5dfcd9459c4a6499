package io.kinfer.batching;

import io.kinfer.decode.EventDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The records of one task that wait to be scored, in arrival order. They live in a changelogged
 * state store keyed by a sequence number, so a crash or a rebalance never loses one: whoever
 * restores the store finds them and scores them. Decoded events are also kept in memory so a
 * record is decoded once; after a restore they are decoded again from the stored bytes.
 */
final class BatchBuffer<E extends SpecificRecord, I> {

  static final String STORE = "batch-buffer";

  private final EventDecoder<E, I> decoder;
  private final Map<Long, Decoded<E, I>> decoded = new HashMap<>();
  private KeyValueStore<Long, byte[]> store;
  private long nextSequence;
  // Records up to this sequence have been taken into a batch (being scored, or scored).
  private long lastTaken = -1;
  private int waiting;
  private long oldestArrivalMillis;

  BatchBuffer(EventDecoder<E, I> decoder) {
    this.decoder = decoder;
  }

  /** Starts from what the store holds (after a restore, a revived task, or an outage). */
  void open(KeyValueStore<Long, byte[]> store) {
    this.store = store;
    decoded.clear();
    nextSequence = 0;
    rewind();
  }

  /** Every stored record waits again; sequences go on after the highest stored one. */
  void rewind() {
    lastTaken = -1;
    waiting = 0;
    try (KeyValueIterator<Long, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        long arrived = BufferedEvent.fromBytes(entry.value).arrivedMillis();
        oldestArrivalMillis = waiting == 0 ? arrived : Math.min(oldestArrivalMillis, arrived);
        waiting++;
        nextSequence = Math.max(nextSequence, entry.key + 1);
      }
    }
  }

  void add(BufferedEvent stored, E event, I input) {
    long sequence = nextSequence++;
    store.put(sequence, stored.toBytes());
    decoded.put(sequence, new Decoded<>(event, input));
    if (waiting++ == 0) {
      oldestArrivalMillis = stored.arrivedMillis();
    }
  }

  int waiting() {
    return waiting;
  }

  long oldestArrivalMillis() {
    return oldestArrivalMillis;
  }

  /**
   * Takes up to {@code max} waiting records in arrival order. A stored record that no longer
   * decodes (restored after an upgrade, say) is removed and returned apart, to be dead-lettered.
   */
  Taken<E, I> take(int max) {
    List<Buffered<E, I>> records = new ArrayList<>(Math.min(waiting, max));
    List<Rejected> rejected = new ArrayList<>();
    long last = lastTaken;
    try (KeyValueIterator<Long, byte[]> all = store.range(lastTaken + 1, Long.MAX_VALUE)) {
      while (all.hasNext() && records.size() < max) {
        KeyValue<Long, byte[]> entry = all.next();
        BufferedEvent stored = BufferedEvent.fromBytes(entry.value);
        last = entry.key;
        Decoded<E, I> d = decoded.remove(entry.key);
        if (d == null) {
          try {
            E event = decoder.serde().decode(stored.event());
            d = new Decoded<>(event, decoder.decode(event));
          } catch (RuntimeException e) {
            rejected.add(new Rejected(entry.key, stored, e));
            continue;
          }
        }
        records.add(new Buffered<>(entry.key, stored, d.event(), d.input()));
      }
      if (all.hasNext()) {
        // The oldest that still waits: the part-full rule ages what is left, not what left.
        oldestArrivalMillis = BufferedEvent.fromBytes(all.next().value).arrivedMillis();
      }
    }
    rejected.forEach(r -> store.delete(r.sequence()));
    waiting = Math.max(0, waiting - records.size() - rejected.size());
    lastTaken = last;
    return new Taken<>(records, rejected);
  }

  /** A record's result has left: it no longer needs to survive a crash. */
  void remove(long sequence) {
    store.delete(sequence);
  }

  /** A waiting record: its sequence, what is stored, and its decoded event and input. */
  record Buffered<E, I>(long sequence, BufferedEvent stored, E event, I input) {}

  /** A stored record that no longer decodes, and why. */
  record Rejected(long sequence, BufferedEvent stored, RuntimeException error) {}

  /** What {@link #take} took. */
  record Taken<E, I>(List<Buffered<E, I>> records, List<Rejected> rejected) {}

  private record Decoded<E, I>(E event, I input) {}
}
