package io.kinfer.tools.bench;

import io.kinfer.tools.bench.Bench.Pair;
import io.kinfer.tools.bench.Bench.Result;
import io.kinfer.tools.bench.LatencyBench.Point;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The bench's charts (JFreeChart), one panel per modality, drawn headless. */
final class BenchCharts {

  static final int WIDTH = 900;
  static final int PANEL_HEIGHT = 260;
  private static final Color MODEL = new Color(0x1f77b4);
  private static final Color PIPELINE = new Color(0xd62728);
  private static final Color BOUND = new Color(0x555555);

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private BenchCharts() {}

  /** Events/s by batch size, the model alone against the pipeline. */
  static JFreeChart throughput(List<Result> results) {
    LogAxis batch = new LogAxis("batch size (the pipeline's max-batch)");
    batch.setBase(2);
    batch.setTickUnit(new NumberTickUnit(1));
    batch.setNumberFormatOverride(new DecimalFormat("0"));
    batch.setSmallestValue(0.5);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(batch);
    for (Result r : results) {
      XYSeries model = new XYSeries("model alone");
      XYSeries pipeline = new XYSeries("pipeline (exactly-once)");
      for (Pair p : r.pairs()) {
        model.add(p.batch(), p.model().eventsPerSecond());
        pipeline.add(p.batch(), p.pipeline().eventsPerSecond());
      }
      NumberAxis eventsPerSecond = new NumberAxis(r.modality() + ", events/s");
      eventsPerSecond.setAutoRangeIncludesZero(true);
      XYPlot panel = new XYPlot(collection(model, pipeline), null, eventsPerSecond,
          renderer(MODEL, PIPELINE));
      panel.addAnnotation(note(String.format(Locale.ROOT, "pipeline ÷ model at %d: %.2f",
          r.best().batch(), r.pipelineShareOfModel())));
      plot.add(panel);
    }
    return chart("Throughput by batch size: model alone and pipeline", plot, results.size());
  }

  /** End-to-end p50 and p99 by load, with the p99 bound, per modality. */
  static JFreeChart latency(List<Point> points, long commitMs) {
    NumberAxis load = new NumberAxis("load, % of the pipeline's peak (open loop)");
    load.setRange(0, 100);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(load);
    List<String> modalities = points.stream().map(Point::modality).distinct().toList();
    for (String modality : modalities) {
      XYSeries p50 = new XYSeries("p50");
      XYSeries p99 = new XYSeries("p99");
      XYSeries p50Waiting = new XYSeries("p50, send-when-idle=false");
      XYSeries p99Waiting = new XYSeries("p99, send-when-idle=false");
      XYSeries p50Early = new XYSeries("p50, early-commit=true");
      XYSeries p99Early = new XYSeries("p99, early-commit=true");
      XYSeries p50Timer = new XYSeries("p50, punctual-commits=false");
      XYSeries p99Timer = new XYSeries("p99, punctual-commits=false");
      double bound = 0;
      for (Point p : points) {
        if (p.modality().equals(modality)) {
          boolean early = p.what().contains("early-commit");
          boolean timer = p.what().contains("punctual-commits=false");
          (early ? p50Early : timer ? p50Timer : p.sendWhenIdle() ? p50 : p50Waiting)
              .add(100 * p.load(), p.p50Ms());
          (early ? p99Early : timer ? p99Timer : p.sendWhenIdle() ? p99 : p99Waiting)
              .add(100 * p.load(), p.p99Ms());
          bound = p.boundMs();
        }
      }
      NumberAxis ms = new NumberAxis(modality + ", ms");
      ms.setAutoRangeIncludesZero(true);
      XYLineAndShapeRenderer renderer = renderer(MODEL, PIPELINE, MODEL, PIPELINE, MODEL,
          PIPELINE, MODEL, PIPELINE);
      for (int series = 2; series < 8; series++) {
        renderer.setSeriesLinesVisible(series, false);
      }
      XYPlot panel = new XYPlot(collection(p50, p99, p50Waiting, p99Waiting, p50Early,
          p99Early, p50Timer, p99Timer), null, ms, renderer);
      ValueMarker marker = new ValueMarker(bound, BOUND, new BasicStroke(1.2f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
      marker.setLabel(String.format(Locale.ROOT, "p99 bound at 70%%: %.0f ms", bound));
      marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      marker.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
      panel.addRangeMarker(marker);
      ms.setUpperBound(Math.max(ms.getUpperBound(), bound * 1.15));
      plot.add(panel);
    }
    return chart("End-to-end latency by load (commit interval " + commitMs + " ms)", plot,
        modalities.size());
  }

  static void save(JFreeChart chart, Path png) throws IOException {
    int panels = chart.getPlot() instanceof CombinedDomainXYPlot c ? c.getSubplots().size() : 1;
    ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, 90 + PANEL_HEIGHT * panels);
  }

  private static JFreeChart chart(String title, CombinedDomainXYPlot plot, int panels) {
    plot.setGap(12);
    // Every panel has the same series: the legend names them once.
    if (!plot.getSubplots().isEmpty()) {
      plot.setFixedLegendItems(((XYPlot) plot.getSubplots().get(0)).getLegendItems());
    }
    ValueAxis domain = plot.getDomainAxis();
    domain.setLabelFont(domain.getLabelFont().deriveFont(Font.PLAIN));
    JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
  }

  /** A line of text in the panel's top left corner. */
  private static XYTitleAnnotation note(String text) {
    TextTitle title = new TextTitle(text, new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    title.setBackgroundPaint(new Color(255, 255, 255, 200));
    return new XYTitleAnnotation(0.02, 0.98, title, RectangleAnchor.TOP_LEFT);
  }

  private static XYSeriesCollection collection(XYSeries... series) {
    XYSeriesCollection collection = new XYSeriesCollection();
    for (XYSeries s : series) {
      collection.addSeries(s);
    }
    return collection;
  }

  /** Series 0, 1, ... in these colours, with the same shapes in every panel. */
  private static XYLineAndShapeRenderer renderer(Color... colours) {
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    java.awt.Shape[] shapes = {new java.awt.Rectangle(-3, -3, 6, 6),
        new java.awt.geom.Ellipse2D.Double(-3.5, -3.5, 7, 7),
        new java.awt.Polygon(new int[] {-4, 0, 4}, new int[] {3, -4, 3}, 3),
        new java.awt.Polygon(new int[] {-4, 0, 4, 0}, new int[] {0, -4, 0, 4}, 4),
        new java.awt.Polygon(new int[] {-4, 0, 4}, new int[] {-3, 4, -3}, 3),
        new java.awt.Rectangle(-5, -2, 10, 4),
        new java.awt.Rectangle(-2, -5, 4, 10),
        new java.awt.Polygon(new int[] {-5, -1, -1, 1, 1, 5, 5, 1, 1, -1, -1, -5},
            new int[] {-1, -1, -5, -5, -1, -1, 1, 1, 5, 5, 1, 1}, 12)};
    for (int i = 0; i < colours.length; i++) {
      renderer.setSeriesPaint(i, colours[i]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
      renderer.setSeriesShape(i, shapes[i % shapes.length]);
    }
    return renderer;
  }
}
