package io.kinfer.trainer.train;

import java.util.ArrayList;
import java.util.List;

/** Evenly spread subsets of a split: for samples, and for smoke runs on a slice. */
public final class Subsets {

  private Subsets() {}

  /** {@code n} evenly spaced elements (all of them when n ≥ size): every class stays in. */
  public static <T> List<T> spread(List<T> list, int n) {
    if (n >= list.size()) {
      return list;
    }
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(list.get(i * list.size() / n));
    }
    return out;
  }

  /** The whole list when {@code limit} is 0, else {@link #spread}. */
  public static <T> List<T> limit(List<T> list, int limit) {
    return limit <= 0 ? list : spread(list, limit);
  }
}
