package io.kinfer.tools.client;

import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.TextEvent;
import io.kinfer.tools.config.ToolSettings;
import io.kinfer.wire.WireFormat;
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
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
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
@Command(header = "Send files or text lines as events (or raw bytes) to a topic.",
    name = "produce", mixinStandardHelpOptions = true,
    description = {"Send files as events to <modality>.events (text: each line of the files, or",
        "of stdin); prints one eventId<TAB>source line per event. With --raw: send a file's",
        "bytes (or stdin) as one record to TOPIC, unchanged (to see a dead letter).",
        "With KINFER_WIRE_FORMAT=registry and KINFER_REGISTRY_URL, events are framed as",
        "Confluent-compatible serializers frame them (schema registered under <topic>-value)."})
public final class ProduceCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "MODALITY|TOPIC",
      description = "image, audio or text; with --raw, the topic")
  String first;

  @Parameters(index = "1..*", paramLabel = "FILE", description = "files (text: default stdin)")
  List<String> files = new ArrayList<>();

  @Option(names = "--topic", paramLabel = "T", description = "default: <modality>.events")
  String topic;

  @Option(names = "--raw", description = "send bytes as they are")
  boolean raw;

  @Override
  public Integer call() throws IOException {
    try (ToolSettings settings = ToolSettings.load()) {
      return send(settings.clientProperties(), settings.wireFormat(), stdin(), System.out);
    }
  }

  /** Sends plain Avro with these client settings; prints one line per record sent. */
  public int send(Properties clients, BufferedReader stdin, PrintStream out) throws IOException {
    return send(clients, WireFormat.PLAIN, stdin, out);
  }

  /** Sends events framed as {@code wire} says (--raw: as they are); one line per record. */
  public int send(Properties clients, WireFormat wire, BufferedReader stdin, PrintStream out)
      throws IOException {
    String bootstrap = clients.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    if (raw) {
      String target = first;
      if (files.size() > 1) {
        throw new ParameterException(new CommandLine(this), "--raw sends one FILE (or stdin)");
      }
      byte[] bytes = files.isEmpty() ? System.in.readAllBytes()
          : Files.readAllBytes(Path.of(files.get(0)));
      String id = "raw-" + UUID.randomUUID();
      records.add(new ProducerRecord<>(target, id.getBytes(StandardCharsets.UTF_8), bytes));
      lines.add(id + "\t" + bytes.length + " raw bytes");
    } else {
      String modality = first;
      String target = topic != null ? topic : modality + ".events";
      switch (modality) {
        case "image", "audio" -> {
          if (files.isEmpty()) {
            throw new ParameterException(new CommandLine(this), "produce " + modality
                + " needs one or more files");
          }
          for (String file : files) {
            String id = UUID.randomUUID().toString();
            var envelope = EventFiles.envelope(id, file, Map.of("file", file));
            byte[] value = modality.equals("image")
                ? wire.reframe(AvroSerde.of(ImageEvent.class), target)
                    .apply(EventFiles.image(envelope, Path.of(file)))
                : wire.reframe(AvroSerde.of(AudioEvent.class), target)
                    .apply(EventFiles.audio(envelope, Path.of(file)));
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
          UnaryOperator<byte[]> frame = wire.reframe(AvroSerde.of(TextEvent.class), target);
          for (String text : texts) {
            if (text.isBlank()) {
              continue;
            }
            String id = UUID.randomUUID().toString();
            byte[] value = frame.apply(
                EventFiles.text(EventFiles.envelope(id, "kinfer-cli", Map.of()), text));
            records.add(new ProducerRecord<>(target, id.getBytes(StandardCharsets.UTF_8), value));
            lines.add(id + "\t" + text);
          }
        }
        default -> throw new ParameterException(new CommandLine(this), "unknown modality '"
            + modality + "'; use image, audio or text (or --raw TOPIC)");
      }
    }
    Properties props = new Properties();
    props.putAll(clients);
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
