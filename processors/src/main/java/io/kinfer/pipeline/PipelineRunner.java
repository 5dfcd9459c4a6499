package io.kinfer.pipeline;

import io.kinfer.batching.ScoringThreads;
import io.kinfer.broker.Topics;
import io.kinfer.config.KafkaClientSettings;
import io.kinfer.config.KinferSettings;
import io.kinfer.config.PipelineSettings;
import io.kinfer.config.RegistrySettings;
import io.kinfer.decode.EventDecoder;
import io.kinfer.decode.EventDecoders;
import io.kinfer.inference.ModelRegistry;
import io.kinfer.inference.ServedModel;
import io.kinfer.wire.WireFormat;
import io.kinfer.deadletter.DeadLetterListener;
import java.util.HashSet;
import java.util.Set;
import io.kinfer.batching.BatchObserver;
import io.kinfer.observe.KinferMetrics;
import io.kinfer.observe.LiveFeed;
import io.kinfer.observe.LiveFeeds;
import io.kinfer.observe.PipelineMetrics;
import io.kinfer.schema.ModelInfo;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one Kafka Streams application per enabled pipeline (its own consumer group, threads,
 * dead-letter topic and model) and stops them. Models are loaded and checked before any stream
 * starts, so a bad model folder fails the start with a clear message.
 */
@Singleton
public class PipelineRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

  private final KinferSettings settings;
  private final RegistrySettings registry;
  private final List<PipelineSettings> pipelines;
  private final KafkaClientSettings kafka;
  private final EventDecoders decoders;
  private final ModelRegistry models;
  private final KinferMetrics metrics;
  private final LiveFeeds live;
  private final Map<String, KafkaStreams> running = new LinkedHashMap<>();
  private final Map<String, ScoringThreads> scorers = new LinkedHashMap<>();
  private final Map<String, DeadLetterListener> deadLetterListeners = new LinkedHashMap<>();
  private final Map<String, ModelInfo> served = new LinkedHashMap<>();
  private final Map<String, RunningPipeline> tracked = new ConcurrentHashMap<>();
  private final List<AutoCloseable> streamsMetrics = new ArrayList<>();
  private String bootstrapServers;
  private WireFormat wire;
  private Map<String, Topology> topologies;

  public PipelineRunner(KinferSettings settings, RegistrySettings registry,
      List<PipelineSettings> pipelines, KafkaClientSettings kafka, EventDecoders decoders,
      ModelRegistry models, KinferMetrics metrics, LiveFeeds live) {
    this.settings = settings;
    this.registry = registry;
    this.pipelines = pipelines;
    this.kafka = kafka;
    this.decoders = decoders;
    this.models = models;
    this.metrics = metrics;
    this.live = live;
  }

  public List<PipelineSettings> enabledPipelines() {
    return pipelines.stream().filter(PipelineSettings::isEnabled).toList();
  }

  /** The Kafka the pipelines were started against; null before {@link #start}. */
  public synchronized String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Loads and checks every enabled pipeline's model, all at once, and builds the topologies:
   * everything that needs no Kafka, so it can run while the broker starts. {@link #start} calls
   * it when nobody did.
   */
  public synchronized void prepare() {
    if (topologies != null) {
      return;
    }
    List<PipelineSettings> enabled = enabledPipelines();
    if (enabled.isEmpty()) {
      throw new IllegalStateException("no pipeline is enabled; configure kinfer.pipelines.*");
    }
    wire = WireFormat.of(settings, registry);
    Map<String, ServedModel<?>> loaded = ModelLoading.all(models, enabled,
        p -> decoders.get(p.getModality()));
    Map<String, Topology> built = new LinkedHashMap<>();
    for (PipelineSettings pipeline : enabled) {
      built.put(pipeline.getName(), topology(pipeline, decoders.get(pipeline.getModality()),
          loaded.get(pipeline.getName()), wire));
    }
    topologies = built;
  }

  /**
   * Creates the missing input, output and dead-letter topics of every enabled pipeline and
   * checks the sizes of those that exist. Needs no model: the service calls it while the
   * models load ({@link #start} calls it when nobody did for these bootstrap servers).
   */
  public void ensureTopics(String bootstrapServers) {
    List<PipelineSettings> enabled = enabledPipelines();
    Map<String, Integer> topics = new LinkedHashMap<>();
    for (PipelineSettings pipeline : enabled) {
      topics.put(pipeline.getInputTopic(), pipeline.getPartitions());
      topics.put(pipeline.getOutputTopic(), pipeline.getPartitions());
      topics.put(pipeline.getDeadLetterTopic(), pipeline.getPartitions());
    }
    Set<String> written = new HashSet<>();
    enabled.forEach(p -> {
      written.add(p.getOutputTopic());
      written.add(p.getDeadLetterTopic());
    });
    Topics.ensure(kafka.clientProperties(bootstrapServers), topics,
        new StreamsProperties(settings, kafka).topicMaxBytes(), written);
    topicsEnsuredFor = bootstrapServers;
  }

  /** The bootstrap servers {@link #ensureTopics} last ran against. */
  private volatile String topicsEnsuredFor;

  public synchronized void start(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    prepare();
    List<PipelineSettings> enabled = enabledPipelines();
    if (!bootstrapServers.equals(topicsEnsuredFor)) {
      ensureTopics(bootstrapServers);
    }
    StreamsProperties properties = new StreamsProperties(settings, kafka);
    for (PipelineSettings pipeline : enabled) {
      wire.check(pipeline.getOutputTopic(), pipeline.getDeadLetterTopic(),
          decoders.get(pipeline.getModality()).serde());
    }
    if (wire != WireFormat.PLAIN) {
      LOG.info("Wire format: registry framing through {}", wire);
    }
    Map<String, Topology> chosen = new LinkedHashMap<>();
    Map<String, Properties> configs = new LinkedHashMap<>();
    for (PipelineSettings pipeline : enabled) {
      chosen.put(pipeline.getName(), topologies.get(pipeline.getName()));
      configs.put(pipeline.getName(), properties.of(pipeline, bootstrapServers,
          deadLetterListeners.get(pipeline.getName())));
    }
    Map<String, KafkaStreams> created = StreamsClients.create(chosen, configs);
    for (PipelineSettings pipeline : enabled) {
      String name = pipeline.getName();
      KafkaStreams streams = created.get(name);
      RunningPipeline status = new RunningPipeline(streams);
      tracked.put(name, status);
      streams.setStateListener((now, before) -> {
        status.moved();
        LOG.info("Pipeline {}: {}", name, now);
      });
      streams.setUncaughtExceptionHandler(e -> {
        if (status.failed(e)) {
          LOG.error("Pipeline {} stopped: {}", name, status.failure);
        } else {
          LOG.error("Pipeline {} stopped by an unexpected error", name, e);
        }
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      running.put(name, streams);
      streamsMetrics.add(metrics.bind(streams, name, () -> serving(name)));
      streams.start();
      LOG.info("Pipeline {}: {} -> {} (dead letters: {}), model {}", name,
          pipeline.getInputTopic(), pipeline.getOutputTopic(), pipeline.getDeadLetterTopic(),
          pipeline.getModel());
    }
  }

  @SuppressWarnings("unchecked")
  private <E extends SpecificRecord, I> Topology topology(PipelineSettings pipeline,
      EventDecoder<E, I> decoder, ServedModel<?> loaded, WireFormat wire) {
    ServedModel<I> model = (ServedModel<I>) loaded;
    ScoringThreads scorer = new ScoringThreads(pipeline.getName(), pipeline.getStreamThreads());
    scorers.put(pipeline.getName(), scorer);
    PipelineMetrics meters = metrics.pipeline(pipeline.getName(), model.info());
    LiveFeed feed = live.pipeline(pipeline.getName(), model.info());
    deadLetterListeners.put(pipeline.getName(),
        DeadLetterListener.all(List.of(meters, feed.hooks())));
    served.put(pipeline.getName(), model.info());
    return PipelineTopology.build(pipeline, decoder, model, Clock.systemUTC(), scorer,
        () -> BatchObserver.all(List.of(meters.taskObserver(), feed)),
        settings.getLimits().getMaxRecordBytes(), wire);
  }

  /** True when every pipeline is RUNNING. */
  public synchronized boolean allRunning() {
    return !running.isEmpty()
        && running.values().stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
  }

  /** Each started pipeline: its Kafka Streams state, since when, its model, why it stopped. */
  public synchronized List<PipelineStatus> statuses() {
    List<PipelineStatus> all = new ArrayList<>();
    running.forEach((name, streams) -> {
      RunningPipeline t = tracked.get(name);
      all.add(new PipelineStatus(name, streams.state(), t.since, served.get(name), t.failure));
    });
    return all;
  }

  /** RUNNING, or rebalancing for less than the management's grace period. */
  private boolean serving(String name) {
    RunningPipeline t = tracked.get(name);
    if (t == null) {
      return false;
    }
    KafkaStreams.State state = t.streams.state();
    return state == KafkaStreams.State.RUNNING || (state == KafkaStreams.State.REBALANCING
        && Duration.between(t.since, Instant.now())
            .compareTo(settings.getManagement().getRebalanceGrace()) < 0);
  }

  /** A pipeline's state as the health endpoints report it. */
  public record PipelineStatus(String name, KafkaStreams.State state, Instant since,
      ModelInfo model, String failure) {}

  @Override
  public synchronized void close() {
    List<Thread> closing = new ArrayList<>();
    running.forEach((name, streams) -> {
      Thread t = new Thread(() -> streams.close(Duration.ofSeconds(30)), "close-" + name);
      t.start();
      closing.add(t);
    });
    for (Thread t : closing) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    scorers.values().forEach(ScoringThreads::close);
    scorers.clear();
    for (AutoCloseable binding : streamsMetrics) {
      try {
        binding.close();
      } catch (Exception e) {
        LOG.debug("closing Kafka Streams metrics", e);
      }
    }
    streamsMetrics.clear();
    if (!running.isEmpty()) {
      LOG.info("Pipelines stopped: {}", running.keySet());
    }
    running.clear();
  }
}
