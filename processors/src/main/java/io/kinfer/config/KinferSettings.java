package io.kinfer.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** Application-wide settings under {@code kinfer.*}; see application.yml and the README. */
@ConfigurationProperties("kinfer")
public class KinferSettings {

  @NotBlank private String modelsDir = "models";
  @Nullable private String cacheDir;
  @NotBlank private String applicationIdPrefix = "kinfer";
  @Pattern(regexp = "exactly_once_v2|at_least_once")
  private String processingGuarantee = "exactly_once_v2";
  @Nullable private String stateDir;
  private Embedded embedded = new Embedded();
  private Management management = new Management();
  private Limits limits = new Limits();
  @Pattern(regexp = "plain|registry",
      message = "kinfer.wire-format is plain or registry")
  private String wireFormat = "plain";

  public String getModelsDir() {
    return modelsDir;
  }

  public void setModelsDir(String modelsDir) {
    this.modelsDir = modelsDir;
  }

  /** Where TensorFlow natives are extracted; $KINFER_CACHE or ~/.cache/kinfer when unset. */
  @Nullable
  public String getCacheDir() {
    return cacheDir;
  }

  public void setCacheDir(@Nullable String cacheDir) {
    this.cacheDir = cacheDir;
  }

  public String getApplicationIdPrefix() {
    return applicationIdPrefix;
  }

  public void setApplicationIdPrefix(String applicationIdPrefix) {
    this.applicationIdPrefix = applicationIdPrefix;
  }

  public String getProcessingGuarantee() {
    return processingGuarantee;
  }

  public void setProcessingGuarantee(String processingGuarantee) {
    this.processingGuarantee = processingGuarantee;
  }

  /** Kafka Streams state directory; a temp folder per run when unset. */
  @Nullable
  public String getStateDir() {
    return stateDir;
  }

  public void setStateDir(@Nullable String stateDir) {
    this.stateDir = stateDir;
  }

  public Embedded getEmbedded() {
    return embedded;
  }

  public void setEmbedded(Embedded embedded) {
    this.embedded = embedded;
  }

  /** {@code plain} (Avro binary of the published schema) or {@code registry} (framed). */
  public String getWireFormat() {
    return wireFormat;
  }

  public void setWireFormat(String wireFormat) {
    this.wireFormat = wireFormat;
  }

  public Limits getLimits() {
    return limits;
  }

  public void setLimits(Limits limits) {
    this.limits = limits;
  }

  public Management getManagement() {
    return management;
  }

  public void setManagement(Management management) {
    this.management = management;
  }

  /**
   * The management port (health, Prometheus metrics, the live page): Micronaut's HTTP server,
   * bound as {@code micronaut.server.host}/{@code port} say (127.0.0.1:8081 by default), TLS
   * through {@code micronaut.server.ssl.*}.
   */
  @ConfigurationProperties("management")
  public static class Management {
    private boolean enabled = true;
    private java.time.Duration rebalanceGrace = java.time.Duration.ofSeconds(60);
    private boolean showPayloads = true;
    @Nullable private String username;
    @Nullable private String password;

    /** Start the management port with the service. */
    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** How long a pipeline may rebalance before readiness reports it DOWN. */
    public java.time.Duration getRebalanceGrace() {
      return rebalanceGrace;
    }

    public void setRebalanceGrace(java.time.Duration rebalanceGrace) {
      this.rebalanceGrace = rebalanceGrace;
    }

    /** Show event content (pictures, text, sound) on the live page; false: labels only. */
    public boolean isShowPayloads() {
      return showPayloads;
    }

    public void setShowPayloads(boolean showPayloads) {
      this.showPayloads = showPayloads;
    }

    /** With {@link #getPassword()}: every path but /health needs these (HTTP Basic). */
    @Nullable
    public String getUsername() {
      return username;
    }

    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    @Nullable
    public String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    /** True when credentials are configured: the live page and metrics need them. */
    public boolean requiresCredentials() {
      return username != null && !username.isBlank() && password != null && !password.isEmpty();
    }
  }

  /**
   * What an input may declare and carry, checked before anything large is allocated. Records
   * over {@code max-record-bytes} are dead-lettered; content over the other limits is refused
   * (images) or cut to the limit (audio, text) as documented in the README.
   */
  @ConfigurationProperties("limits")
  public static class Limits {
    /** 4 MiB: a 60 s 16-bit stereo WAV at 16 kHz (3.8 MB) fits. */
    @Min(65_536) private int maxRecordBytes = 4 << 20;
    @Min(1) private long maxImagePixels = 25_000_000;
    @Min(1) private int maxAudioSeconds = 60;
    @Min(1) private int maxTextChars = 10_000;

    /** Largest input record (value and headers) taken; topics Kinfer creates allow it. */
    public int getMaxRecordBytes() {
      return maxRecordBytes;
    }

    public void setMaxRecordBytes(int maxRecordBytes) {
      this.maxRecordBytes = maxRecordBytes;
    }

    /** Largest image, by the width x height its header declares. */
    public long getMaxImagePixels() {
      return maxImagePixels;
    }

    public void setMaxImagePixels(long maxImagePixels) {
      this.maxImagePixels = maxImagePixels;
    }

    /** Audio beyond this is cut off, not refused. */
    public int getMaxAudioSeconds() {
      return maxAudioSeconds;
    }

    public void setMaxAudioSeconds(int maxAudioSeconds) {
      this.maxAudioSeconds = maxAudioSeconds;
    }

    /** Text beyond this is cut off, not refused (models read far less). */
    public int getMaxTextChars() {
      return maxTextChars;
    }

    public void setMaxTextChars(int maxTextChars) {
      this.maxTextChars = maxTextChars;
    }
  }

  /** The in-JVM broker started when no bootstrap servers are configured. */
  @ConfigurationProperties("embedded")
  public static class Embedded {
    @Min(0) private int port = 9092;
    @Nullable private String dataDir;

    /** Client port; 0 picks a free one. */
    public int getPort() {
      return port;
    }

    public void setPort(int port) {
      this.port = port;
    }

    /** Log folder; a temp folder deleted at exit when unset. */
    @Nullable
    public String getDataDir() {
      return dataDir;
    }

    public void setDataDir(@Nullable String dataDir) {
      this.dataDir = dataDir;
    }
  }
}
