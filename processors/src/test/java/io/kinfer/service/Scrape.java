package io.kinfer.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition as "name{labels}" → value, with sums by pipeline. */
final class Scrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)");

  private Scrape() {}

  static Map<String, Double> of(String text) {
    Map<String, Double> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.find()) {
        samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)),
            Double.parseDouble(m.group(3)));
      }
    }
    return samples;
  }

  /** The sum of a metric's samples for one pipeline. */
  static double value(Map<String, Double> samples, String name, String pipeline) {
    return samples.entrySet().stream()
        .filter(e -> e.getKey().startsWith(name + "{")
            && e.getKey().contains("pipeline=\"" + pipeline + "\""))
        .mapToDouble(Map.Entry::getValue).sum();
  }

  static double delta(Map<String, Double> before, Map<String, Double> after, String name,
      String pipeline) {
    return value(after, name, pipeline) - value(before, name, pipeline);
  }

  static Map<String, Double> matching(Map<String, Double> samples, String prefix) {
    Map<String, Double> found = new LinkedHashMap<>();
    samples.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        found.put(k, v);
      }
    });
    return found;
  }
}
