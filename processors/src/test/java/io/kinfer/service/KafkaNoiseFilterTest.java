package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Normal-operation Kafka warnings are dropped; real problems and other loggers still show. */
class KafkaNoiseFilterTest {

  @Test
  void dropsOnlyTheExpectedKafkaWarnings() {
    LoggerContext context = new LoggerContext();
    KafkaNoiseFilter filter = new KafkaNoiseFilter();
    filter.start();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(context);
    seen.addFilter(filter);
    seen.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(seen);
    context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);

    Logger producer = context.getLogger("org.apache.kafka.clients.producer.internals.Sender");
    Logger broker = context.getLogger("kafka.server.DefaultAutoTopicCreationManager");
    producer.warn("Got error produce response: {}", "CONCURRENT_TRANSACTIONS");
    broker.warn("Auto topic creation failed for __consumer_offsets: Topic already exists.");
    context.getLogger("org.apache.kafka.controller.QuorumController")
        .warn("[QuorumController id=1] Performing controller activation.");
    producer.warn("Got error produce response: {}", "NOT_LEADER_OR_FOLLOWER");
    producer.error("Got error produce response: {}", "CONCURRENT_TRANSACTIONS");
    context.getLogger("io.kinfer.Other").warn("already exists");
    Logger leaders = context.getLogger(
        "org.apache.kafka.clients.admin.internals.PartitionLeaderStrategy");
    leaders.error("Received unknown topic error for topic {}",
        "kinfer-text-batch-buffer-changelog");
    // As Kafka's LogContext logs it: formatted already, after the client's prefix, no arguments.
    leaders.error("[AdminClient clientId=kinfer-text-admin] Received unknown topic error for"
        + " topic kinfer-text-batch-buffer-changelog",
        new RuntimeException("This server does not host this topic-partition."));
    producer.warn("[Producer clientId=p] Got error produce response: CONCURRENT_TRANSACTIONS");
    leaders.error("Received unknown topic error for topic {}", "text.events");

    List<String> kept = seen.list.stream()
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    assertEquals(List.of("WARN Got error produce response: NOT_LEADER_OR_FOLLOWER",
        "ERROR Got error produce response: CONCURRENT_TRANSACTIONS", "WARN already exists",
        "ERROR Received unknown topic error for topic text.events"),
        kept);
  }

  /**
   * The shipped configuration filters the console appender, with no turbo filter: a turbo
   * filter runs on every logging call, the disabled trace and debug calls on Kafka's hot paths
   * too.
   */
  @Test
  void theShippedConfigurationFiltersTheConsoleOnly() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(KafkaNoiseFilterTest.class.getResource("/logback.xml"));
    assertTrue(context.getTurboFilterList().isEmpty(), "turbo filters: "
        + context.getTurboFilterList());
    var console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    assertTrue(console.getCopyOfAttachedFiltersList().stream()
        .anyMatch(f -> f instanceof KafkaNoiseFilter), "the console appender's filters: "
        + console.getCopyOfAttachedFiltersList());
    context.stop();
  }
}
