package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
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
    context.addTurboFilter(filter);
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(context);
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
    leaders.error("Received unknown topic error for topic {}", "text.events");

    List<String> kept = seen.list.stream()
        .map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    assertEquals(List.of("WARN Got error produce response: NOT_LEADER_OR_FOLLOWER",
        "ERROR Got error produce response: CONCURRENT_TRANSACTIONS", "WARN already exists",
        "ERROR Received unknown topic error for topic text.events"),
        kept);
  }
}
