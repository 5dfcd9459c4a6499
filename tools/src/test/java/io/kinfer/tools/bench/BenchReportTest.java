package io.kinfer.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kinfer.tools.bench.LatencyBench.Point;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency results as JSON and as a chart. (The throughput report is written from a real
 * bench run in {@link BenchTest}.)
 */
class BenchReportTest {

  @Test
  void writesLatencyPointsAsJsonAndAChartWithAPanelPerModality(@TempDir Path out)
      throws Exception {
    List<Point> points = List.of(
        new Point("image", "10% of peak", 0.1, true, 280, 80, 150, 142),
        new Point("image", "70% of peak", 0.7, true, 1960, 101, 139, 142),
        new Point("image", "10%, send-when-idle=false", 0.1, false, 280, 86, 157, 142),
        new Point("text", "10% of peak", 0.1, true, 190, 76, 141, 161),
        new Point("text", "70% of peak", 0.7, true, 1330, 128, 259, 161));
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    new BenchReport(out, new PrintStream(printed, true, StandardCharsets.UTF_8))
        .latency(points, 100, 10);

    JsonNode json = new ObjectMapper().readTree(out.resolve("latency.json").toFile());
    assertEquals("latency", json.get("bench").asText());
    assertEquals(100, json.get("commitIntervalMs").asInt());
    assertEquals(5, json.get("points").size());
    assertEquals(259, json.at("/points/4/p99Ms").asDouble());
    assertEquals(false, json.at("/points/2/sendWhenIdle").asBoolean());
    assertTrue(json.at("/machine/cores").asInt() > 0, json.toString());
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("latency.png"),
        printed.toString(StandardCharsets.UTF_8));
    assertChart(out.resolve("latency.png"), 2);

    java.nio.file.Files.delete(out.resolve("latency.png"));
    new BenchReport(out, new PrintStream(printed, true, StandardCharsets.UTF_8)).redraw();
    assertChart(out.resolve("latency.png"), 2);
  }

  /** A PNG as tall as {@code panels} panels, with the series' colours drawn on it. */
  static void assertChart(Path png, int panels) throws Exception {
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(BenchCharts.WIDTH, image.getWidth(), png.toString());
    assertEquals(90 + BenchCharts.PANEL_HEIGHT * panels, image.getHeight(), png.toString());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y) & 0xffffff);
      }
    }
    assertTrue(colours.contains(0x1f77b4) && colours.contains(0xd62728),
        "both series are drawn in " + png);
  }
}
