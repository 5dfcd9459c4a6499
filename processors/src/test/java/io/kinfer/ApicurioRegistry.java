package io.kinfer;

import io.kinfer.broker.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real schema registry for tests: Apicurio Registry's server (the build unpacks its
 * distribution into {@code target/apicurio-registry}), in its own JVM on a free loopback port
 * with in-memory storage. It serves its own API and the Confluent-compatible one.
 */
public final class ApicurioRegistry implements AutoCloseable {

  /** Unpacked by the processors module's build; the tools module's tests use that copy. */
  private static final Path DISTRIBUTION = Files.isDirectory(Path.of("target/apicurio-registry"))
      ? Path.of("target/apicurio-registry") : Path.of("../processors/target/apicurio-registry");
  private static final Duration START = Duration.ofSeconds(90);

  private final Process process;
  private final int port;
  private final Path log;
  private final Tls tls;

  private ApicurioRegistry(Process process, int port, Path log, Tls tls) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.tls = tls;
  }

  /** HTTPS only, with this PKCS12 key store; clients trust {@code trustStore}. */
  public record Tls(Path keyStore, Path trustStore, String password) {}

  /** Starts a registry and waits until it answers; its log goes to {@code logDir}. */
  public static ApicurioRegistry start(Path logDir) throws IOException, InterruptedException {
    return start(logDir, null);
  }

  /** Starts a registry (over HTTPS when {@code tls} is given) and waits until it answers. */
  public static ApicurioRegistry start(Path logDir, Tls tls)
      throws IOException, InterruptedException {
    Path jar;
    try (Stream<Path> files = Files.exists(DISTRIBUTION) ? Files.list(DISTRIBUTION)
        : Stream.empty()) {
      jar = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no Apicurio Registry server in "
              + DISTRIBUTION.toAbsolutePath() + ": run the tests through Maven"
              + " (./mvnw verify), which unpacks it"));
    }
    int port = EmbeddedKafkaBroker.freePort();
    Files.createDirectories(logDir);
    Path log = logDir.resolve("apicurio-registry-" + port + ".log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-Dquarkus.http.host=127.0.0.1"));
    if (tls == null) {
      command.add("-Dquarkus.http.port=" + port);
    } else {
      command.addAll(List.of("-Dquarkus.http.port=" + EmbeddedKafkaBroker.freePort(),
          "-Dquarkus.http.ssl-port=" + port, "-Dquarkus.http.insecure-requests=disabled",
          "-Dquarkus.http.ssl.certificate.key-store-file=" + tls.keyStore().toAbsolutePath(),
          "-Dquarkus.http.ssl.certificate.key-store-password=" + tls.password()));
    }
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    ApicurioRegistry registry = new ApicurioRegistry(process, port, log, tls);
    registry.awaitReady();
    return registry;
  }

  private void awaitReady() throws IOException, InterruptedException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
    if (tls != null) {
      builder.sslContext(trusting(tls));
    }
    HttpClient http = builder.build();
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue()
            + "; see " + log);
      }
      try {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                URI.create(confluentApi() + "/subjects")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    close();
    throw new IllegalStateException("Apicurio Registry did not answer within " + START
        + "; see " + log);
  }

  private static SSLContext trusting(Tls tls) throws IOException {
    try (InputStream in = Files.newInputStream(tls.trustStore())) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, tls.password().toCharArray());
      TrustManagerFactory trust = TrustManagerFactory.getInstance(
          TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read " + tls.trustStore(), e);
    }
  }

  private String base() {
    return (tls == null ? "http" : "https") + "://127.0.0.1:" + port;
  }

  /** Apicurio's own API, which Kinfer's serde (kinfer.registry.url) uses. */
  public String coreApi() {
    return base() + "/apis/registry/v2";
  }

  /** The Confluent-compatible API, which Confluent's clients use. */
  public String confluentApi() {
    return base() + "/apis/ccompat/v7";
  }

  /** Stops the server (its in-memory schemas are gone). */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
