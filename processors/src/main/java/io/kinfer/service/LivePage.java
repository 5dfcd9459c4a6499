package io.kinfer.service;

import io.kinfer.config.KinferSettings;
import io.kinfer.observe.EventContent;
import io.kinfer.observe.LiveFeed;
import io.kinfer.observe.LiveFeeds;
import io.kinfer.pipeline.PipelineRunner;
import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.ModelInfo;
import io.kinfer.schema.Prediction;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live page on the management port: {@code /} (HTML, script and style from the jar, no
 * CDN) and {@code /live/feed}, the JSON the page polls once a second: per pipeline its state,
 * model, one sample per second of the last minutes, the latest results (with the event's
 * picture, text or sound when {@code kinfer.management.show-payloads} is on) and the latest
 * dead letters with their reasons.
 */
@Controller
public class LivePage {

  private static final Map<String, MediaType> ASSETS = Map.of(
      "app.js", MediaType.of("text/javascript; charset=utf-8"),
      "style.css", MediaType.of("text/css; charset=utf-8"));

  private final LiveFeeds feeds;
  private final PipelineRunner runner;
  private final KinferSettings settings;

  public LivePage(LiveFeeds feeds, PipelineRunner runner, KinferSettings settings) {
    this.feeds = feeds;
    this.runner = runner;
    this.settings = settings;
  }

  @Get(produces = MediaType.TEXT_HTML)
  public HttpResponse<byte[]> index() {
    return asset("index.html", MediaType.TEXT_HTML_TYPE);
  }

  @Get("/live/{name}")
  public HttpResponse<byte[]> asset(@PathVariable String name) {
    MediaType type = ASSETS.get(name);
    return type == null ? HttpResponse.notFound() : asset(name, type);
  }

  private static HttpResponse<byte[]> asset(String name, MediaType type) {
    try (InputStream in = LivePage.class.getResourceAsStream("/live/" + name)) {
      if (in == null) {
        return HttpResponse.notFound();
      }
      return HttpResponse.ok(in.readAllBytes()).contentType(type)
          .header("Cache-Control", "no-cache");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The picture or clip of one of a pipeline's latest results; 404 once it has left them. */
  @Get("/live/content/{pipeline}/{number}")
  @ExecuteOn(TaskExecutors.BLOCKING)
  public HttpResponse<byte[]> content(@PathVariable String pipeline, @PathVariable long number) {
    return feeds.feed(pipeline).flatMap(feed -> feed.result(number))
        .filter(r -> r.event() != null).flatMap(r -> EventContent.media(r.event()))
        .<HttpResponse<byte[]>>map(media -> HttpResponse.ok(media.bytes())
            .contentType(MediaType.of(media.type()))
            .header("Cache-Control", "private, max-age=600"))
        .orElseGet(HttpResponse::notFound);
  }

  @Get(value = "/live/feed", produces = MediaType.APPLICATION_JSON)
  @ExecuteOn(TaskExecutors.BLOCKING)
  public Map<String, Object> feed() {
    Map<String, PipelineHealth.Verdict> verdicts = PipelineHealth.of(runner, settings);
    List<Object> pipelines = new ArrayList<>();
    for (LiveFeed.View view : feeds.views()) {
      Map<String, Object> pipeline = new LinkedHashMap<>();
      pipeline.put("name", view.pipeline());
      PipelineHealth.Verdict verdict = verdicts.get(view.pipeline());
      pipeline.put("up", verdict != null && verdict.up());
      pipeline.put("state", verdict == null ? "NOT STARTED" : verdict.details().get("state"));
      pipeline.put("reason", verdict == null ? null : verdict.details().get("reason"));
      pipeline.put("model", model(view.model()));
      pipeline.put("consumed", view.consumed());
      pipeline.put("enriched", view.enriched());
      pipeline.put("deadLettered", view.deadLettered());
      pipeline.put("samples", view.samples().stream().map(LivePage::sample).toList());
      pipeline.put("results", view.results().stream()
          .map(r -> result(view.pipeline(), r)).toList());
      pipeline.put("deadLetters", view.deadLetters().stream().map(LivePage::deadLetter).toList());
      pipelines.add(pipeline);
    }
    Map<String, Object> feed = new LinkedHashMap<>();
    feed.put("at", Instant.now().toString());
    feed.put("payloads", feeds.keepsPayloads());
    feed.put("pipelines", pipelines);
    return feed;
  }

  private static Map<String, Object> model(ModelInfo model) {
    return Map.of("name", model.getName(), "version", model.getVersion(),
        "device", model.getDevice(), "engine", model.getEngine());
  }

  private static Map<String, Object> sample(LiveFeed.Sample s) {
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("at", s.at());
    sample.put("in", round(s.consumedPerSecond()));
    sample.put("out", round(s.enrichedPerSecond()));
    sample.put("dead", round(s.deadLetteredPerSecond()));
    sample.put("p50", round(s.p50Millis()));
    sample.put("p99", round(s.p99Millis()));
    sample.put("batch", round(s.meanBatchSize()));
    return sample;
  }

  private static Map<String, Object> result(String pipeline, LiveFeed.Result r) {
    EnrichedEvent result = r.result();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("number", r.number());
    view.put("eventId", result.getEnvelope().getEventId());
    view.put("source", result.getEnvelope().getSource());
    view.put("eventTime", result.getEnvelope().getEventTime().toString());
    view.put("topLabel", result.getTopLabel());
    List<Map<String, Object>> predictions = new ArrayList<>();
    for (Prediction p : result.getPredictions()) {
      predictions.add(Map.of("label", p.getLabel(), "score", round(p.getScore())));
    }
    view.put("predictions", predictions);
    view.put("endToEndMs", round(r.endToEndMillis()));
    view.put("batchSize", result.getTimings().getBatchSize());
    view.put("inferenceMs", round(result.getTimings().getInferenceMs()));
    Map<String, String> content = new LinkedHashMap<>();
    if (r.event() != null) {
      content.putAll(EventContent.of(r.event()));
      if (content.containsKey("media")) {
        content.put("src", "live/content/" + pipeline + "/" + r.number());
      }
    }
    view.put("content", content);
    return view;
  }

  private static Map<String, Object> deadLetter(LiveFeed.DeadLetter d) {
    return Map.of("at", d.at().toString(), "stage", d.stage(),
        "reason", d.reason() == null ? "" : d.reason(), "origin", d.origin());
  }

  /** Three significant decimals; null for NaN (JSON has no NaN). */
  private static Double round(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? null
        : Math.round(value * 1000) / 1000.0;
  }
}
