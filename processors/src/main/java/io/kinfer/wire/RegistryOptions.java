package io.kinfer.wire;

import java.util.Map;

/**
 * Where the schema registry is and how to talk to it ({@code kinfer.registry.*}).
 *
 * @param url Apicurio Registry's core API, e.g. {@code http://registry:8080/apis/registry/v2}
 * @param autoRegister register Kinfer's result and dead-letter schemas when missing; {@code
 *     false}: they must be registered already (under {@code <topic>-value})
 * @param username HTTP Basic user, or null
 * @param password HTTP Basic password, or null
 * @param tls {@code apicurio.registry.request.ssl.*} settings (trust store, key store), may be
 *     empty
 */
public record RegistryOptions(String url, boolean autoRegister, String username,
    String password, Map<String, String> tls) {

  public RegistryOptions {
    if (url == null || url.isBlank()) {
      throw new IllegalStateException("kinfer.wire-format=registry needs kinfer.registry.url"
          + " (Apicurio Registry's API, e.g. http://registry:8080/apis/registry/v2)");
    }
    tls = Map.copyOf(tls);
  }

  @Override
  public String toString() {
    return "registry " + url + (username == null ? "" : " as " + username)
        + (autoRegister ? "" : " (schemas pre-registered)");
  }
}
