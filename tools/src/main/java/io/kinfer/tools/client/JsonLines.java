package io.kinfer.tools.client;

import io.kinfer.schema.EnrichedEvent;
import io.kinfer.schema.Prediction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** One JSON object per record, for {@code kinfer consume}. */
final class JsonLines {

  private JsonLines() {}

  static String enriched(ConsumerRecord<byte[], byte[]> record, EnrichedEvent e) {
    StringBuilder json = new StringBuilder(256);
    json.append("{\"eventId\":").append(quote(e.getEnvelope().getEventId()))
        .append(",\"source\":").append(quote(e.getEnvelope().getSource()))
        .append(",\"eventTime\":").append(quote(e.getEnvelope().getEventTime().toString()))
        .append(",\"modality\":").append(quote(e.getModality().name()))
        .append(",\"topLabel\":").append(quote(e.getTopLabel()))
        .append(e.getLabels() == null ? "" : ",\"labels\":" + e.getLabels().stream()
            .map(l -> quote(l.toString())).toList())
        .append(",\"predictions\":[");
    for (int i = 0; i < e.getPredictions().size(); i++) {
      Prediction p = e.getPredictions().get(i);
      json.append(i == 0 ? "" : ",").append("{\"label\":").append(quote(p.getLabel()))
          .append(",\"score\":").append(p.getScore()).append('}');
    }
    json.append("],\"model\":{\"name\":").append(quote(e.getModel().getName()))
        .append(",\"version\":").append(quote(e.getModel().getVersion()))
        .append(",\"engine\":").append(quote(e.getModel().getEngine()))
        .append(",\"device\":").append(quote(e.getModel().getDevice())).append('}')
        .append(",\"timings\":{\"queueWaitMs\":").append(e.getTimings().getQueueWaitMs())
        .append(",\"inferenceMs\":").append(e.getTimings().getInferenceMs())
        .append(",\"batchSize\":").append(e.getTimings().getBatchSize()).append('}');
    if (e.getSegments() != null) {
      json.append(",\"segments\":[");
      for (int i = 0; i < e.getSegments().size(); i++) {
        var g = e.getSegments().get(i);
        json.append(i == 0 ? "" : ",").append("{\"start\":").append(g.getStart())
            .append(",\"label\":").append(quote(g.getLabel().toString()))
            .append(",\"score\":").append(g.getScore()).append('}');
      }
      json.append(']');
    }
    if (e.getEmbedding() != null) {
      json.append(",\"embedding\":").append(e.getEmbedding());
    }
    json.append(",\"attributes\":").append(object(new TreeMap<>(e.getEnvelope().getAttributes())))
        .append(",\"partition\":").append(record.partition())
        .append(",\"offset\":").append(record.offset()).append('}');
    return json.toString();
  }

  static String raw(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new TreeMap<>();
    for (Header h : record.headers()) {
      headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
    }
    return "{\"topic\":" + quote(record.topic()) + ",\"partition\":" + record.partition()
        + ",\"offset\":" + record.offset() + ",\"timestamp\":" + record.timestamp()
        + ",\"key\":" + (record.key() == null ? "null"
            : quote(new String(record.key(), StandardCharsets.UTF_8)))
        + ",\"headers\":" + object(headers)
        + ",\"valueBytes\":" + (record.value() == null ? 0 : record.value().length)
        + ",\"valueBase64\":" + (record.value() == null ? "null"
            : quote(Base64.getEncoder().encodeToString(record.value()))) + "}";
  }

  private static String object(Map<String, String> map) {
    StringBuilder json = new StringBuilder("{");
    map.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(quote(k)).append(':')
        .append(v == null ? "null" : quote(v)));
    return json.append('}').toString();
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
