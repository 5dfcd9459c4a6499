package io.kinfer.observe;

import io.kinfer.config.KinferSettings;
import io.kinfer.schema.ModelInfo;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live page's feeds, one per pipeline, sampled once a second on one daemon thread. Keeps
 * events (for pictures and text on the page) only when {@code kinfer.management.show-payloads}
 * is true.
 */
@Singleton
public class LiveFeeds implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LiveFeeds.class);
  private final boolean keepPayloads;
  private final Map<String, LiveFeed> feeds = new ConcurrentHashMap<>();
  private ScheduledExecutorService sampler;

  public LiveFeeds(KinferSettings settings) {
    this(settings.getManagement().isShowPayloads());
  }

  LiveFeeds(boolean keepPayloads) {
    this.keepPayloads = keepPayloads;
  }

  public boolean keepsPayloads() {
    return keepPayloads;
  }

  /** A new feed for {@code pipeline} (replacing one of the same name), sampled from now on. */
  public synchronized LiveFeed pipeline(String pipeline, ModelInfo model) {
    LiveFeed feed = new LiveFeed(pipeline, model, keepPayloads);
    feed.sample(Instant.now());
    feeds.put(pipeline, feed);
    if (sampler == null) {
      sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kinfer-live-sampler");
        thread.setDaemon(true);
        return thread;
      });
      sampler.scheduleAtFixedRate(this::sampleAll, 1, 1, TimeUnit.SECONDS);
    }
    return feed;
  }

  private void sampleAll() {
    try {
      Instant now = Instant.now();
      feeds.values().forEach(feed -> feed.sample(now));
    } catch (RuntimeException e) {
      LOG.warn("live page sampling failed", e);
    }
  }

  /** One pipeline's feed. */
  public java.util.Optional<LiveFeed> feed(String pipeline) {
    return java.util.Optional.ofNullable(feeds.get(pipeline));
  }

  /** Every pipeline's view, in name order. */
  public List<LiveFeed.View> views() {
    return feeds.values().stream().map(LiveFeed::view)
        .sorted((a, b) -> a.pipeline().compareTo(b.pipeline())).toList();
  }

  @PreDestroy
  @Override
  public synchronized void close() {
    if (sampler != null) {
      sampler.shutdownNow();
      sampler = null;
    }
  }
}
