package io.kinfer.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code kinfer produce image|audio|text [FILE...]} sends files (text: each line of the files, or
 * of stdin) as events to {@code <modality>.events} (or {@code --topic}); prints one
 * {@code eventId<TAB>source} line per event. {@code kinfer produce --raw TOPIC [FILE]} sends a
 * file's bytes (or stdin) as one record, as-is: useful to see a dead letter.
 */
final class ProduceCommand {

  private ProduceCommand() {}

  static int run(List<String> args, String bootstrap, BufferedReader stdin, PrintStream out)
      throws IOException {
    List<String> positional = new ArrayList<>();
    String topic = null;
    boolean raw = false;
    for (int i = 0; i < args.size(); i++) {
      switch (args.get(i)) {
        case "--topic" -> topic = Cli.value(args, ++i, "--topic");
        case "--raw" -> raw = true;
        default -> positional.add(args.get(i));
      }
    }
    if (positional.isEmpty()) {
      throw new Cli.UsageException("produce needs a modality (image, audio, text) or --raw TOPIC");
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    if (raw) {
      String target = positional.get(0);
      byte[] bytes = positional.size() > 1 ? Files.readAllBytes(Path.of(positional.get(1)))
          : System.in.readAllBytes();
      String id = "raw-" + UUID.randomUUID();
      records.add(new ProducerRecord<>(target, id.getBytes(StandardCharsets.UTF_8), bytes));
      lines.add(id + "\t" + bytes.length + " raw bytes");
    } else {
      String modality = positional.get(0);
      String target = topic != null ? topic : modality + ".events";
      List<String> files = positional.subList(1, positional.size());
      switch (modality) {
        case "image", "audio" -> {
          if (files.isEmpty()) {
            throw new Cli.UsageException("produce " + modality + " needs one or more files");
          }
          for (String file : files) {
            String id = UUID.randomUUID().toString();
            var envelope = EventFiles.envelope(id, file, Map.of("file", file));
            byte[] value = modality.equals("image") ? EventFiles.image(envelope, Path.of(file))
                : EventFiles.audio(envelope, Path.of(file));
            records.add(new ProducerRecord<>(target, id.getBytes(StandardCharsets.UTF_8), value));
            lines.add(id + "\t" + file);
          }
        }
        case "text" -> {
          List<String> texts = new ArrayList<>();
          if (files.isEmpty() || files.equals(List.of("-"))) {
            stdin.lines().forEach(texts::add);
          } else {
            for (String file : files) {
              texts.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
            }
          }
          for (String text : texts) {
            if (text.isBlank()) {
              continue;
            }
            String id = UUID.randomUUID().toString();
            byte[] value = EventFiles.text(EventFiles.envelope(id, "kinfer-cli", Map.of()), text);
            records.add(new ProducerRecord<>(target, id.getBytes(StandardCharsets.UTF_8), value));
            lines.add(id + "\t" + text);
          }
        }
        default -> throw new Cli.UsageException("unknown modality '" + modality
            + "'; use image, audio or text (or --raw TOPIC)");
      }
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> record : records) {
        sent.add(producer.send(record));
      }
      producer.flush();
      for (java.util.concurrent.Future<?> future : sent) {
        future.get();
      }
    } catch (java.util.concurrent.ExecutionException | org.apache.kafka.common.KafkaException e) {
      Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("could not send to Kafka at " + bootstrap + ": "
          + cause.getMessage() + " (is ./kinfer run running, or KAFKA_BOOTSTRAP_SERVERS set?)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending", e);
    }
    lines.forEach(out::println);
    System.err.println("sent " + records.size() + " record(s) to "
        + records.stream().map(ProducerRecord::topic).distinct().toList() + " at " + bootstrap);
    return 0;
  }

  static BufferedReader stdin() {
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
  }
}
