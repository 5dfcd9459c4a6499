package io.kinfer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * The schema registry of {@code wire-format: registry}: Apicurio Registry's core API (its
 * serde resolves ids there; Confluent clients use the same registry through its
 * Confluent-compatible API). Secrets can come from the environment
 * ({@code KINFER_REGISTRY_PASSWORD}) or a config file of their own.
 */
@ConfigurationProperties("kinfer.registry")
public class RegistrySettings {
  @Nullable private String url;
  private boolean autoRegister = true;
  @Nullable private String username;
  @Nullable private String password;
  @Nullable private String truststore;
  @Nullable private String truststorePassword;
  @Nullable private String truststoreType;
  @Nullable private String keystore;
  @Nullable private String keystorePassword;
  @Nullable private String keystoreType;

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public boolean isAutoRegister() {
    return autoRegister;
  }

  public void setAutoRegister(boolean autoRegister) {
    this.autoRegister = autoRegister;
  }

  public String getUsername() {
    return username;
  }

  public void setUsername(String username) {
    this.username = username;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getTruststore() {
    return truststore;
  }

  public void setTruststore(String truststore) {
    this.truststore = truststore;
  }

  public String getTruststorePassword() {
    return truststorePassword;
  }

  public void setTruststorePassword(String truststorePassword) {
    this.truststorePassword = truststorePassword;
  }

  public String getTruststoreType() {
    return truststoreType;
  }

  public void setTruststoreType(String truststoreType) {
    this.truststoreType = truststoreType;
  }

  public String getKeystore() {
    return keystore;
  }

  public void setKeystore(String keystore) {
    this.keystore = keystore;
  }

  public String getKeystorePassword() {
    return keystorePassword;
  }

  public void setKeystorePassword(String keystorePassword) {
    this.keystorePassword = keystorePassword;
  }

  public String getKeystoreType() {
    return keystoreType;
  }

  public void setKeystoreType(String keystoreType) {
    this.keystoreType = keystoreType;
  }

  /** The TLS settings given, by their name after {@code apicurio.registry.request.ssl.}. */
  public java.util.Map<String, String> tls() {
    java.util.Map<String, String> tls = new java.util.LinkedHashMap<>();
    put(tls, "truststore.location", truststore);
    put(tls, "truststore.password", truststorePassword);
    put(tls, "truststore.type", truststoreType);
    put(tls, "keystore.location", keystore);
    put(tls, "keystore.password", keystorePassword);
    put(tls, "keystore.type", keystoreType);
    return tls;
  }

  private static void put(java.util.Map<String, String> tls, String key, String value) {
    if (value != null && !value.isBlank()) {
      tls.put(key, value);
    }
  }
}
