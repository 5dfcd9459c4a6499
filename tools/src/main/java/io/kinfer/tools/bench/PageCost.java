package io.kinfer.tools.bench;

import io.kinfer.tools.bench.Bench.Figure;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code kinfer bench --page-cost}: what an open live page costs the pipeline. Per modality,
 * one pipeline (max-batch B) is measured in turns without the page and with it open — a reader
 * that asks for {@code /live/feed} once a second, as the page does, and each new picture or clip
 * once, as the browser does — and the ratio of the medians is printed. Which side goes first
 * alternates from turn to turn. The browser's own drawing is not charged: it runs wherever
 * the browser runs.
 */
public final class PageCost {

  private final Path modelsDir;
  private final int events;
  private final int batch;
  private final int repeats;
  private final PrintStream out;

  public PageCost(Path modelsDir, int events, int batch, int repeats, PrintStream out) {
    this.modelsDir = modelsDir;
    this.events = events;
    this.batch = batch;
    this.repeats = repeats;
    this.out = out;
  }

  /** The with-page ÷ without-page throughput ratio per modality, in order. */
  public List<Double> run(List<String> modalities) throws Exception {
    List<Double> ratios = new ArrayList<>();
    for (String modality : modalities) {
      out.printf("%n%s: %,d events, max-batch %d, without and with the live page open, in turns"
          + " %d times%n", modality, events, batch, repeats);
      List<byte[]> encoded = BenchEvents.encoded(modelsDir, modality, events);
      try (BenchPipeline pipeline = new BenchPipeline(modelsDir, modality, batch, true)) {
        List<byte[]> round = encoded.subList(0, Bench.warmUpSize(encoded.size()));
        // Warmed up with the page open, so the JIT compiles its paths before either side runs.
        try (PageReader reader = new PageReader(pipeline.managementUrl())) {
          Bench.warmUp(out, "pipeline with the page open, max-batch " + batch,
              i -> pipeline.run(round, "warm-up-" + i + "-"));
        }
        List<Figure> closed = new ArrayList<>();
        List<Figure> open = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
          // Which side goes first alternates, so a drift within the run favours neither.
          if (r % 2 == 1) {
            closed.add(pipeline.run(encoded, "closed-" + r + "-"));
          }
          try (PageReader reader = new PageReader(pipeline.managementUrl())) {
            open.add(pipeline.run(encoded, "open-" + r + "-"));
            if (r % 2 == 0) {
              reader.close();
              closed.add(pipeline.run(encoded, "closed-" + r + "-"));
            }
            out.printf(Locale.ROOT, "  turn %d: page closed %.0f events/s, page open %.0f events/s"
                + " (%d feed reads, %.0f KB each, %d pictures or clips): %.3f%n", r,
                closed.get(r - 1).eventsPerSecond(), open.get(r - 1).eventsPerSecond(),
                reader.reads(), reader.meanKilobytes(), reader.media(),
                open.get(r - 1).eventsPerSecond() / closed.get(r - 1).eventsPerSecond());
          }
        }
        double ratio = Bench.median(open).eventsPerSecond()
            / Bench.median(closed).eventsPerSecond();
        out.printf(Locale.ROOT, "%s: page open ÷ page closed (medians) = %.3f%n", modality, ratio);
        ratios.add(ratio);
      }
    }
    out.println("\nA ratio near 1 means the page costs nothing measurable; compare it with how"
        + " far the turns of one side spread.");
    return ratios;
  }

  /** Reads {@code /live/feed} once a second, like the page, until closed. */
  static final class PageReader implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong media = new AtomicLong();
    private final Set<String> seen = new HashSet<>();
    private final Thread thread;
    private static final Pattern CONTENT = Pattern.compile("\"(live/content/[^\"]+)\"");

    PageReader(String managementUrl) {
      HttpClient client = HttpClient.newHttpClient();
      HttpRequest feed = HttpRequest.newBuilder(URI.create(managementUrl + "/live/feed"))
          .timeout(Duration.ofSeconds(10)).build();
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            byte[] body = client.send(feed, HttpResponse.BodyHandlers.ofByteArray()).body();
            reads.incrementAndGet();
            bytes.addAndGet(body.length);
            // Like the browser: each picture or clip not seen before, once.
            Matcher links = CONTENT.matcher(new String(body, StandardCharsets.UTF_8));
            while (links.find()) {
              if (seen.add(links.group(1))) {
                client.send(HttpRequest.newBuilder(URI.create(managementUrl + "/"
                    + links.group(1))).build(), HttpResponse.BodyHandlers.discarding());
                media.incrementAndGet();
              }
            }
            Thread.sleep(1000);
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            throw new IllegalStateException("the live feed did not answer", e);
          }
        }
      }, "bench-page-reader");
      thread.setDaemon(true);
      thread.start();
    }

    long reads() {
      return reads.get();
    }

    long media() {
      return media.get();
    }

    double meanKilobytes() {
      long n = reads.get();
      return n == 0 ? 0 : bytes.get() / 1024.0 / n;
    }

    @Override
    public void close() throws InterruptedException {
      if (!running.get()) {
        return;
      }
      running.set(false);
      thread.interrupt();
      thread.join(5000);
    }
  }
}
