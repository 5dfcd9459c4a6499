package io.kinfer.config;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;

/**
 * One pipeline: an input topic of one modality, the model that scores it, and where results
 * and dead letters go. Configured under {@code kinfer.pipelines.<name>}; the name is the
 * modality ({@code image}, {@code audio}, {@code text}) unless {@code modality} says otherwise.
 */
@EachProperty("kinfer.pipelines")
public class PipelineSettings {

  private final String name;
  private boolean enabled = true;
  private String modality;
  private String inputTopic;
  private String outputTopic;
  private String deadLetterTopic;
  @NotBlank private String model;
  @Nullable private String modelVersion;
  @NotBlank private String device = "auto";
  @Min(1) private int topK = 5;
  @Min(1) private int streamThreads = 1;
  @Min(1) private int partitions = 4;
  @Min(1) private int maxBatch = 32;
  private Duration maxDelay = Duration.ofMillis(20);
  private boolean overlap = true;
  private boolean sendWhenIdle = true;
  private boolean earlyCommit = false;
  private boolean punctualCommits = true;
  @Nullable private Duration commitInterval;
  @Min(0) private int outageRetries = 5;
  private Duration outageBackoff = Duration.ofSeconds(1);

  public PipelineSettings(@Parameter String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** image, audio or text; defaults to the pipeline's name. */
  public String getModality() {
    return modality != null ? modality : name;
  }

  public void setModality(String modality) {
    this.modality = modality;
  }

  /** Default {@code <name>.events}. */
  public String getInputTopic() {
    return inputTopic != null ? inputTopic : name + ".events";
  }

  public void setInputTopic(String inputTopic) {
    this.inputTopic = inputTopic;
  }

  /** Default {@code <name>.enriched}. */
  public String getOutputTopic() {
    return outputTopic != null ? outputTopic : name + ".enriched";
  }

  public void setOutputTopic(String outputTopic) {
    this.outputTopic = outputTopic;
  }

  /** Default {@code <name>.dead-letters}. */
  public String getDeadLetterTopic() {
    return deadLetterTopic != null ? deadLetterTopic : name + ".dead-letters";
  }

  public void setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  /** Folder name under the models directory. */
  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  /** A version folder to pin; the highest numeric version when unset. */
  @Nullable
  public String getModelVersion() {
    return modelVersion;
  }

  public void setModelVersion(@Nullable String modelVersion) {
    this.modelVersion = modelVersion;
  }

  /** auto | cpu | gpu | gpu:N. */
  public String getDevice() {
    return device;
  }

  public void setDevice(String device) {
    this.device = device;
  }

  public int getTopK() {
    return topK;
  }

  public void setTopK(int topK) {
    this.topK = topK;
  }

  public int getStreamThreads() {
    return streamThreads;
  }

  public void setStreamThreads(int streamThreads) {
    this.streamThreads = streamThreads;
  }

  /** Partitions of the topics Kinfer creates (embedded broker, or missing topics). */
  public int getPartitions() {
    return partitions;
  }

  public void setPartitions(int partitions) {
    this.partitions = partitions;
  }

  /** Most records scored in one model call. 1 = one call per record. */
  public int getMaxBatch() {
    return maxBatch;
  }

  public void setMaxBatch(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  /** Longest a record waits for batch-mates before its batch is scored anyway. */
  public Duration getMaxDelay() {
    return maxDelay;
  }

  public void setMaxDelay(Duration maxDelay) {
    if (maxDelay.isNegative() || maxDelay.isZero()) {
      throw new IllegalArgumentException("max-delay must be positive, got " + maxDelay);
    }
    this.maxDelay = maxDelay;
  }

  /**
   * Score a full batch on a background thread while the stream thread reads and decodes the
   * next one (true), or score every batch on the stream thread (false).
   */
  public boolean isOverlap() {
    return overlap;
  }

  public void setOverlap(boolean overlap) {
    this.overlap = overlap;
  }

  /**
   * Send what waits at once when the model is idle (true), rather than wait up to max-delay
   * for batch-mates; a backlog still fills whole batches while the model works.
   */
  public boolean isSendWhenIdle() {
    return sendWhenIdle;
  }

  public void setSendWhenIdle(boolean sendWhenIdle) {
    this.sendWhenIdle = sendWhenIdle;
  }

  /**
   * Whether results are committed as soon as they are forwarded while the pipeline keeps up
   * (at most every 20 ms), rather than at the next {@code commit-interval}; under a backlog
   * the commit interval paces commits either way.
   */
  public boolean isEarlyCommit() {
    return earlyCommit;
  }

  public void setEarlyCommit(boolean earlyCommit) {
    this.earlyCommit = earlyCommit;
  }

  /**
   * Under exactly-once, whether the pipeline commits every {@code commit-interval} on a fixed
   * schedule (from the first punctuation of each stream thread) rather than by Kafka Streams'
   * own timer, which starts each interval only when the last commit has finished: at 100 ms its
   * commits came every 110–150 ms. See {@link io.kinfer.batching.CommitSchedule}.
   */
  public boolean isPunctualCommits() {
    return punctualCommits;
  }

  public void setPunctualCommits(boolean punctualCommits) {
    this.punctualCommits = punctualCommits;
  }

  /**
   * How often the pipeline commits (Kafka Streams' {@code commit.interval.ms}): under
   * exactly-once a result becomes visible to read-committed consumers only then, so it bounds
   * latency at low load from below; shorter costs more transactions. Null: Kafka Streams'
   * default (100 ms under exactly-once, 30 s at-least-once).
   */
  public Duration getCommitInterval() {
    return commitInterval;
  }

  public void setCommitInterval(Duration commitInterval) {
    if (commitInterval != null && (commitInterval.isNegative() || commitInterval.isZero())) {
      throw new IllegalArgumentException("commit-interval must be positive, got "
          + commitInterval);
    }
    this.commitInterval = commitInterval;
  }

  /**
   * Retries after the model fails on a known-good input (an engine outage) before the pipeline
   * stops; nothing is dead-lettered meanwhile.
   */
  public int getOutageRetries() {
    return outageRetries;
  }

  public void setOutageRetries(int outageRetries) {
    this.outageRetries = outageRetries;
  }

  /** Wait before the first retry after an outage; doubles at each retry. */
  public Duration getOutageBackoff() {
    return outageBackoff;
  }

  public void setOutageBackoff(Duration outageBackoff) {
    if (outageBackoff.isNegative() || outageBackoff.isZero()) {
      throw new IllegalArgumentException("outage-backoff must be positive, got " + outageBackoff);
    }
    this.outageBackoff = outageBackoff;
  }

  /** Kafka Streams application id: one consumer group per pipeline. */
  public String applicationId(String prefix) {
    return prefix + "-" + name;
  }
}
