package io.kinfer.batching;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class BufferedEventTest {

  @Test
  void keepsAnyKeyAndHeadersThroughTheBuffer() {
    RecordHeaders headers = new RecordHeaders();
    String longName = "h".repeat(70_000); // over writeUTF's 64 KiB
    headers.add(longName, new byte[] {7});
    headers.add("empty", null);
    headers.add("ünïcode", "v".getBytes(StandardCharsets.UTF_8));
    BufferedEvent event = new BufferedEvent(null, new byte[] {1, 2}, 42, headers, 1000);
    BufferedEvent back = BufferedEvent.fromBytes(event.toBytes());
    assertNull(back.key());
    assertArrayEquals(new byte[] {1, 2}, back.event());
    assertEquals(42, back.timestamp());
    assertEquals(1000, back.arrivedMillis());
    assertArrayEquals(new byte[] {7}, back.headers().lastHeader(longName).value());
    assertNull(back.headers().lastHeader("empty").value());
    assertEquals(3, back.headers().toArray().length);
  }

  @Test
  void readsEntriesWrittenByTheFirstFormat() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeByte(1);
    out.writeLong(5);
    out.writeLong(6);
    out.writeInt(1);
    out.write(9); // key
    out.writeInt(2);
    out.write(new byte[] {3, 4}); // event
    out.writeInt(1);
    out.writeUTF("name");
    out.writeInt(-1);
    BufferedEvent old = BufferedEvent.fromBytes(bytes.toByteArray());
    assertArrayEquals(new byte[] {9}, old.key());
    assertArrayEquals(new byte[] {3, 4}, old.event());
    assertNull(old.headers().lastHeader("name").value());
  }
}
