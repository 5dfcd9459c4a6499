package io.kinfer.runtime;

import java.util.Map;

/** Typed reads of a translator's arguments map (serving.properties values are strings). */
final class Arguments {

  private Arguments() {}

  static String string(Map<String, ?> arguments, String key, String fallback) {
    Object value = arguments.get(key);
    return value == null || value.toString().isBlank() ? fallback : value.toString().trim();
  }

  static int integer(Map<String, ?> arguments, String key, int fallback) {
    String value = string(arguments, key, null);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("translator argument " + key + "=" + value
          + " is not a whole number");
    }
  }
}
