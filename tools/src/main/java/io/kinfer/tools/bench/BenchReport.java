package io.kinfer.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kinfer.tools.bench.Bench.Pair;
import io.kinfer.tools.bench.Bench.Result;
import io.kinfer.tools.bench.LatencyBench.Point;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a bench run's figures where a reader can keep and compare them: {@code
 * throughput.json} and {@code throughput.png} (events/s by batch size, model alone against
 * pipeline, per modality), {@code latency.json} and {@code latency.png} (p50 and p99 by load,
 * with the p99 bound). The JSON holds every measured figure and the machine it ran on.
 */
public final class BenchReport {

  private final Path dir;
  private final PrintStream out;

  public BenchReport(Path dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
  }

  /** @param events events per figure; {@code repeats} turns per pair */
  public void throughput(List<Result> results, int events, int repeats) {
    List<Map<String, Object>> modalities = results.stream().map(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("modality", r.modality());
      m.put("bestBatch", r.best().batch());
      m.put("pipelineShareOfModel", r.pipelineShareOfModel());
      m.put("gainShare", r.gainShare());
      m.put("pairs", r.pairs().stream().map(p -> pair(p, events)).toList());
      return m;
    }).toList();
    Map<String, Object> json = header("throughput");
    json.put("eventsPerFigure", events);
    json.put("turnsPerPair", repeats);
    json.put("results", modalities);
    write("throughput", json, () -> BenchCharts.throughput(results));
  }

  /** @param commitMs the pipelines' commit interval; {@code perLoadSeconds} sending per load */
  public void latency(List<Point> points, long commitMs, long perLoadSeconds) {
    Map<String, Object> json = header("latency");
    json.put("commitIntervalMs", commitMs);
    json.put("secondsPerLoad", perLoadSeconds);
    json.put("points", points);
    write("latency", json, () -> BenchCharts.latency(points, commitMs));
  }

  /**
   * Draws the charts again from the JSON files in the folder (after a change to how they are
   * drawn, without measuring again).
   */
  public void redraw() throws IOException {
    ObjectMapper json = new ObjectMapper().configure(
        com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    Path throughput = dir.resolve("throughput.json");
    if (Files.exists(throughput)) {
      List<Result> results = new java.util.ArrayList<>();
      for (var m : json.readTree(throughput.toFile()).path("results")) {
        List<Pair> pairs = new java.util.ArrayList<>();
        for (var p : m.path("pairs")) {
          pairs.add(new Pair(p.path("batch").asInt(),
              json.treeToValue(p.path("model"), Bench.Figure.class),
              json.treeToValue(p.path("pipeline"), Bench.Figure.class), Map.of(),
              turnRatios(p.path("turnRatios"))));
        }
        results.add(new Result(m.path("modality").asText(), pairs));
      }
      BenchCharts.save(BenchCharts.throughput(results), dir.resolve("throughput.png"));
      out.println("Drew " + dir.resolve("throughput.png"));
    }
    Path latency = dir.resolve("latency.json");
    if (Files.exists(latency)) {
      var tree = json.readTree(latency.toFile());
      List<Point> points = new java.util.ArrayList<>();
      for (var p : tree.path("points")) {
        points.add(json.treeToValue(p, Point.class));
      }
      BenchCharts.save(BenchCharts.latency(points, tree.path("commitIntervalMs").asLong()),
          dir.resolve("latency.png"));
      out.println("Drew " + dir.resolve("latency.png"));
    }
  }

  /** Writes {@code startup.json} (no chart: a handful of starts reads better as numbers). */
  public void startup(List<StartupBench.Start> starts) {
    Map<String, Object> json = header("startup");
    json.put("starts", starts);
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("startup.json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(),
          json);
      out.println("Wrote " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the bench results to " + dir, e);
    }
  }

  private static List<Double> turnRatios(com.fasterxml.jackson.databind.JsonNode ratios) {
    List<Double> turns = new java.util.ArrayList<>();
    ratios.forEach(r -> turns.add(r.asDouble()));
    return turns;
  }

  private static Map<String, Object> pair(Pair p, int events) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch", p.batch());
    m.put("model", p.model());
    m.put("pipeline", p.pipeline());
    m.put("pipelineShareOfModel", p.pipelineShareOfModel());
    m.put("turnRatios", p.turnRatios());
    m.put("cpuMicrosPerEvent", CpuPerEvent.of(p, events));
    return m;
  }

  private static Map<String, Object> header(String kind) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bench", kind);
    m.put("at", Instant.now().toString());
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memoryBytes", ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : -1);
    machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    machine.put("java", System.getProperty("java.vm.name") + " "
        + System.getProperty("java.version"));
    m.put("machine", machine);
    return m;
  }

  private void write(String name, Map<String, Object> json, ChartDrawing chart) {
    try {
      Files.createDirectories(dir);
      Path jsonFile = dir.resolve(name + ".json");
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(jsonFile.toFile(), json);
      Path png = dir.resolve(name + ".png");
      try {
        BenchCharts.save(chart.draw(), png);
        out.println("Wrote " + jsonFile + " and " + png);
      } catch (Error | RuntimeException e) {
        // Drawing text needs fonts; a bare JRE on a minimal image may have none.
        out.println("Wrote " + jsonFile + "; the chart " + png + " was not drawn (" + e
            + "): install fonts, for example `apt-get install fontconfig fonts-dejavu-core`");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the bench results to " + dir, e);
    }
  }

  @FunctionalInterface
  private interface ChartDrawing {
    org.jfree.chart.JFreeChart draw();
  }
}
