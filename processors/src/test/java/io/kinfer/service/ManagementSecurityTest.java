package io.kinfer.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kinfer.Certificates;
import io.kinfer.Events;
import io.kinfer.TestService;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.ImageEvent;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
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
 * The management port with credentials and TLS configured (a certificate made by the JDK's
 * keytool for this test): health answers probes without credentials; the live page, its feed
 * and the metrics answer 401 with no event content without them or with wrong ones; with them
 * the feed carries the pictures. A client that does not trust the certificate gets nowhere.
 */
@Timeout(300)
class ManagementSecurityTest {

  private static final String USER = "operator";
  private static final String PASSWORD = "s3cret-for-the-test";

  @TempDir static Path tmp;
  private static TestService running;
  private static String base;
  private static HttpClient trusting;

  @BeforeAll
  static void start() throws Exception {
    Path keyStore = tmp.resolve("management.p12");
    Certificates.selfSigned(keyStore, "kinfer", "localhost", "dns:localhost,ip:127.0.0.1");
    running = TestService.start(tmp.resolve("state"), Map.of(
        "kinfer.pipelines.audio.enabled", false, "kinfer.pipelines.text.enabled", false,
        "kinfer.management.username", USER, "kinfer.management.password", PASSWORD,
        "micronaut.server.ssl.enabled", true, "micronaut.server.ssl.port", -1,
        "micronaut.server.ssl.key-store.path", "file:" + keyStore,
        "micronaut.server.ssl.key-store.password", Certificates.PASSWORD,
        "micronaut.server.ssl.key-store.type", "PKCS12"));
    base = running.service().managementUrl().orElseThrow().toString();
    trusting = HttpClient.newBuilder().sslContext(trusting(keyStore)).build();
  }

  @AfterAll
  static void stop() {
    if (running != null) {
      running.close();
    }
  }

  @Test
  void theManagementUrlIsHttps() {
    assertTrue(base.startsWith("https://"), base);
  }

  @Test
  void healthAnswersProbesWithoutCredentials() throws Exception {
    HttpResponse<String> ready = get("/health/readiness", null);
    assertEquals(200, ready.statusCode(), ready.body());
    assertTrue(ready.body().contains("\"status\":\"UP\""), ready.body());
    assertEquals(200, get("/health/liveness", null).statusCode());
  }

  @Test
  void withoutTheRightCredentialsNothingButHealthAnswersAndNoPayloadLeaves() throws Exception {
    String id = "secret-image-" + System.nanoTime();
    sendImage(id);
    String authorised = awaitInFeed(id);
    int at = authorised.indexOf("live/content/image/");
    assertTrue(at > 0, "with credentials: a link to the picture: " + authorised);
    String picture = "/" + authorised.substring(at, authorised.indexOf('"', at));
    HttpResponse<String> png = get(picture, USER + ":" + PASSWORD);
    assertEquals(200, png.statusCode());
    assertTrue(png.body().startsWith("\uFFFDPNG"), "with credentials: the picture itself");

    for (String path : List.of("/", "/live/feed", "/live/app.js", picture, "/prometheus")) {
      for (String credentials : new String[] {null, USER + ":wrong", "someone:" + PASSWORD}) {
        HttpResponse<String> response = get(path, credentials);
        assertEquals(401, response.statusCode(), path + " with " + credentials);
        assertFalse(response.body().contains(id), path + " leaks the event id");
        assertFalse(response.body().contains("PNG") || response.body().contains("\"results\"")
            || response.body().contains("kinfer_"), path + " leaks content: " + response.body());
        assertTrue(response.headers().firstValue("WWW-Authenticate").orElse("")
            .startsWith("Basic"), path + " asks for Basic credentials");
      }
    }
    assertEquals(200, get("/prometheus", USER + ":" + PASSWORD).statusCode());
    assertTrue(get("/", USER + ":" + PASSWORD).body().contains("Kinfer"));
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefused() {
    assertThrows(SSLHandshakeException.class, () -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(base + "/health/readiness")).build(),
        HttpResponse.BodyHandlers.ofString()));
  }

  private static String awaitInFeed(String id) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      body = get("/live/feed", USER + ":" + PASSWORD).body();
      if (body.contains(id)) {
        return body;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(id + " not in the live feed within 120 s: " + body);
  }

  private static HttpResponse<String> get(String path, String credentials) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10));
    if (credentials != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return trusting.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void sendImage(String id) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, running.service().bootstrapServers());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props,
        new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("image.events", id.getBytes(StandardCharsets.UTF_8),
          AvroSerde.of(ImageEvent.class).encode(Events.png(id, 7))));
    }
  }

  /** Trusts exactly the test's certificate. */
  private static SSLContext trusting(Path keyStore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, Certificates.PASSWORD.toCharArray());
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("kinfer", store.getCertificate("kinfer"));
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
