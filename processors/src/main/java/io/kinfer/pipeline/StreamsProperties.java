package io.kinfer.pipeline;

import io.kinfer.batching.CommitSchedule;
import io.kinfer.batching.PollPace;
import io.kinfer.broker.Topics;
import io.kinfer.config.KafkaClientSettings;
import io.kinfer.config.KinferSettings;
import io.kinfer.config.PipelineSettings;
import io.kinfer.deadletter.DeadLetterListener;
import io.kinfer.deadletter.DeadLetters;
import io.kinfer.deadletter.DeserializationDeadLetterHandler;
import io.kinfer.deadletter.ProcessingDeadLetterHandler;
import io.kinfer.deadletter.RefusedRecordHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * One pipeline's Kafka Streams configuration: its application id and guarantee, the dead-letter
 * handlers, the timestamp extractor, and sizes that let every record Kinfer takes through.
 */
final class StreamsProperties {

  private final KinferSettings settings;
  private final KafkaClientSettings kafka;

  StreamsProperties(KinferSettings settings, KafkaClientSettings kafka) {
    this.settings = settings;
    this.kafka = kafka;
  }

  /** @param listener told of every dead letter, or null */
  Properties of(PipelineSettings pipeline, String bootstrapServers,
      DeadLetterListener listener) {
    Properties props = kafka.clientProperties(bootstrapServers);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG,
        pipeline.applicationId(settings.getApplicationIdPrefix()));
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, settings.getProcessingGuarantee());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, pipeline.getStreamThreads());
    if (pipeline.isPunctualCommits() && exactlyOnce()) {
      // Commits on a fixed schedule, asked for by the processor's punctuations; Kafka Streams'
      // own timer only as a safety net.
      long every = pipeline.getCommitInterval() == null ? EXACTLY_ONCE_COMMIT_MS
          : pipeline.getCommitInterval().toMillis();
      props.put(CommitSchedule.CONFIG, every);
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, CommitSchedule.backstop(every));
    } else if (pipeline.getCommitInterval() != null) {
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
          pipeline.getCommitInterval().toMillis());
    }
    // The stream thread blocks in poll when no record comes: results scored meanwhile would
    // wait up to poll.ms (100 ms by default) for the punctuation that forwards them. A thread
    // idle for a second polls up to 100 ms again (QuietPolls, PollPace).
    props.put(StreamsConfig.POLL_MS_CONFIG,
        PollPace.punctuationInterval(pipeline.getMaxDelay()).toMillis());
    // A task reads one partition of one topic: there is nothing to align across partitions,
    // so no idling. With Kafka Streams' default (0) a task whose partition has nothing
    // buffered asks the broker for the partition's lag before it may process, formatting a
    // log line each time it looks (7% of the image stream thread under a backlog); and after
    // the first assignment that lag request queued behind the consumer's long-polling fetch
    // for up to fetch.max.wait.ms (500 ms) before the pipeline ran.
    props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // The restore consumer restores one task's buffer, then adds the others: its next request
    // (their start offsets) waited behind its fetch on the caught-up changelog, which a broker
    // holds for fetch.max.wait.ms (500 ms) when there is nothing to return. At start that was
    // half a second before the pipeline ran.
    props.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
        RESTORE_FETCH_WAIT_MS);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(pipeline));
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeserializationDeadLetterHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        ProcessingDeadLetterHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        RefusedRecordHandler.class);
    props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG,
        pipeline.getDeadLetterTopic());
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, EventTimestamps.class);
    // Sizes: inputs up to max-record-bytes are taken, dead letters are cut to it, results stay
    // near their input's size, and the buffer's changelog holds a whole input record.
    int maxRecord = settings.getLimits().getMaxRecordBytes();
    props.put(DeadLetters.MAX_BYTES, String.valueOf(maxRecord));
    props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        changelogMaxBytes());
    props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
        String.valueOf(changelogMaxBytes()));
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        topicMaxBytes());
    if (listener != null) {
      props.put(DeadLetterListener.CONFIG, listener);
    }
    return props;
  }

  /** The longest the broker holds the restore consumer's fetch when it has nothing new. */
  static final int RESTORE_FETCH_WAIT_MS = 50;

  /** Kafka Streams' default commit interval under exactly-once. */
  static final long EXACTLY_ONCE_COMMIT_MS = 100;

  private boolean exactlyOnce() {
    return settings.getProcessingGuarantee().startsWith("exactly_once");
  }

  /** What the topics Kinfer writes must take: an input record and room for a result's own. */
  int topicMaxBytes() {
    return Topics.maxMessageBytes(settings.getLimits().getMaxRecordBytes());
  }

  /** The buffer's changelog holds an input record's key, value and headers at once. */
  int changelogMaxBytes() {
    return Topics.maxMessageBytes(2 * settings.getLimits().getMaxRecordBytes());
  }

  private String stateDir(PipelineSettings pipeline) {
    if (settings.getStateDir() != null) {
      return settings.getStateDir();
    }
    try {
      var dir = Files.createTempDirectory("kinfer-state-" + pipeline.getName() + "-");
      dir.toFile().deleteOnExit();
      return dir.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
