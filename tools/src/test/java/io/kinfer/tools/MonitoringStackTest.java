package io.kinfer.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.ImageEvent;
import io.kinfer.service.KinferService;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker-compose monitoring stack, checked without a Docker engine against a running
 * Kinfer: the stack's files validate (docker-compose, promtool, JSON/YAML), every metric the
 * dashboard and the alert rules use is exposed, Kinfer's compose healthcheck passes, and a real
 * Prometheus (Debian's binary) scrapes it and sees events flow.
 */
@Timeout(300)
class MonitoringStackTest {

  private static final Path DOCKER = Path.of("../docker").toAbsolutePath().normalize();
  /** Series Prometheus makes itself, not the target. */
  private static final Set<String> PROMETHEUS_OWN = Set.of("up");

  @TempDir static Path tmp;
  private static TestService running;
  private static KinferService kinfer;
  private static String management;

  @BeforeAll
  static void start() throws Exception {
    running = TestService.start(tmp.resolve("state"), Map.of(
        "kinfer.pipelines.audio.enabled", false, "kinfer.pipelines.text.enabled", false));
    kinfer = running.service();
    management = kinfer.managementUrl().orElseThrow().toString();
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void theStackFilesValidate() throws Exception {
    Result result = run(List.of("bash", DOCKER.resolve("validate.sh").toString()),
        Duration.ofMinutes(3));
    assertEquals(0, result.exit(), result.output());
    for (String expected : List.of("docker-compose.yml is valid",
        "with docker-compose.gpu.yml is valid", "SUCCESS: 5 rules found",
        "Grafana dashboard and provisioning files parse", "the sample producer compiles")) {
      assertTrue(result.output().contains(expected), expected + " in " + result.output());
    }
  }

  @Test
  void everyMetricTheDashboardAndTheAlertRulesUseIsExposed() throws Exception {
    Set<String> used = new TreeSet<>();
    JsonNode dashboard = new ObjectMapper().readTree(
        DOCKER.resolve("grafana/dashboards/kinfer.json").toFile());
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.get("targets")) {
        used.addAll(metricNames(target.get("expr").asText()));
      }
    }
    Matcher exprs = Pattern.compile("expr: (\\|\\n(?:\\s{10,}.*\\n)+|.*)")
        .matcher(Files.readString(DOCKER.resolve("prometheus/alerts.yml")));
    int rules = 0;
    while (exprs.find()) {
      used.addAll(metricNames(exprs.group(1)));
      rules++;
    }
    assertEquals(5, rules, "alert rules read");
    assertTrue(used.size() >= 8, "metric names found: " + used);
    String exposed = get(management + "/prometheus").body();
    Set<String> missing = new TreeSet<>();
    for (String name : used) {
      if (!PROMETHEUS_OWN.contains(name)
          && !Pattern.compile("(?m)^" + name + "[{ ]").matcher(exposed).find()) {
        missing.add(name);
      }
    }
    assertEquals(Set.of(), missing, "used in docker/ but not exposed by Kinfer");
  }

  @Test
  void theComposeHealthcheckPassesAgainstAReadyKinfer() throws Exception {
    String compose = Files.readString(DOCKER.resolve("docker-compose.yml"));
    Matcher m = Pattern.compile("\"CMD\", \"bash\", \"-c\", \"(exec 3<>/dev/tcp/[^\\n]*)\"\\]")
        .matcher(compose);
    assertTrue(m.find(), "Kinfer's healthcheck in docker-compose.yml");
    String port = String.valueOf(URI.create(management).getPort());
    String command = m.group(1).replace("\\\\", "\\").replace("8081", port);
    Result result = run(List.of("bash", "-c", command), Duration.ofSeconds(20));
    assertEquals(0, result.exit(), command + ": " + result.output());
  }

  @Test
  void aRealPrometheusScrapesKinferAndSeesEventsFlow() throws Exception {
    Result binaries = run(List.of("bash", DOCKER.resolve("prometheus-binaries.sh").toString()),
        Duration.ofMinutes(3));
    assertEquals(0, binaries.exit(), binaries.output());
    Path bin = Path.of(binaries.output().trim().lines().reduce((a, b) -> b).orElseThrow());
    URI target = URI.create(management);
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, """
        global:
          scrape_interval: 1s
        scrape_configs:
          - job_name: kinfer
            metrics_path: /prometheus
            static_configs:
              - targets: ["%s:%d"]
        """.formatted(target.getHost(), target.getPort()));
    int port = freePort();
    Process prometheus = new ProcessBuilder(bin.resolve("prometheus").toString(),
        "--config.file=" + config, "--storage.tsdb.path=" + tmp.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true).redirectOutput(tmp.resolve("prometheus.log").toFile())
        .start();
    try {
      String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
      awaitQuery(api, "up{job=\"kinfer\"}", v -> v == 1.0, "the scrape target is up");
      try (KafkaProducer<byte[], byte[]> producer = producer()) {
        for (int i = 0; i < 20; i++) {
          producer.send(new ProducerRecord<>("image.events", ("prom-" + i).getBytes(
              StandardCharsets.UTF_8), AvroSerde.of(ImageEvent.class).encode(
                  Events.png("prom-" + i, i))));
        }
      }
      awaitQuery(api, "sum(rate(kinfer_events_consumed_total{pipeline=\"image\"}[15s]))",
          v -> v > 0, "a rate over the throughput counter is above zero");
    } finally {
      prometheus.destroy();
      prometheus.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static void awaitQuery(String api, String query,
      java.util.function.DoublePredicate ok, String what) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        last = get(api + URLEncoder.encode(query, StandardCharsets.UTF_8)).body();
        JsonNode result = new ObjectMapper().readTree(last).path("data").path("result");
        if (result.size() > 0 && ok.test(result.get(0).get("value").get(1).asDouble())) {
          return;
        }
      } catch (IOException starting) {
        last = starting.toString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError(what + ": " + query + " gave " + last);
  }

  /** Metric names in a PromQL expression (function names and label names left out). */
  static Set<String> metricNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\b(?!\\s*\\()").matcher(
        expr.replaceAll("\\{[^}]*\\}", "{}").replaceAll("by \\([^)]*\\)", "")
            .replaceAll("\\[[^]]*\\]", ""));
    while (m.find()) {
      String name = m.group(1);
      if (name.startsWith("kinfer_") || name.startsWith("kafka_") || name.equals("up")) {
        names.add(name);
      }
    }
    return names;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kinfer.bootstrapServers());
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(List<String> command, Duration timeout) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within " + timeout);
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
