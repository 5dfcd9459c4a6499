package io.kinfer.tools.memory;

import io.kinfer.schema.AudioEncoding;
import io.kinfer.schema.AudioEvent;
import io.kinfer.schema.AvroSerde;
import io.kinfer.schema.Envelope;
import io.kinfer.schema.ImageEvent;
import io.kinfer.schema.ImageFormat;
import io.kinfer.schema.TextEvent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Inputs meant to make the service allocate: decompression bombs, headers that lie about their
 * size, records at and over the size limit, the longest audio, the longest text, Avro length
 * attacks. Each is keyed by its id and says whether a result (true) or a dead letter (false) is
 * the right outcome.
 */
final class HostileCorpus {

  /** One hostile record and the outcome it should have. */
  record Input(ProducerRecord<byte[], byte[]> record, boolean valid) {}

  private final int maxRecordBytes;

  HostileCorpus(int maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  List<Input> round(String prefix) {
    List<Input> all = new ArrayList<>();
    // Images.
    add(all, "image", prefix + "png-bomb", image(prefix + "png-bomb", ImageFormat.PNG,
        png(30_000, 30_000, 2, 64)), false);
    add(all, "image", prefix + "png-lying", image(prefix + "png-lying", ImageFormat.PNG,
        png(4000, 4000, 2, 10)), false);
    add(all, "image", prefix + "png-25mpx", image(prefix + "png-25mpx", ImageFormat.PNG,
        png(5000, 5000, 0, 5000)), true);
    add(all, "image", prefix + "raw-lying", AvroSerde.of(ImageEvent.class).encode(
        ImageEvent.newBuilder().setEnvelope(envelope(prefix + "raw-lying", ""))
            .setFormat(ImageFormat.RAW).setWidth(100_000).setHeight(100_000)
            .setImage(ByteBuffer.wrap(new byte[16])).build()), false);
    add(all, "image", prefix + "image-at-limit", padded(prefix + "image-at-limit"), true);
    add(all, "image", prefix + "image-over-limit", Arrays.copyOf(
        padded(prefix + "image-over-limit"), maxRecordBytes + 1), false);
    add(all, "image", prefix + "avro-length", avroLengthAttack(prefix + "avro-length"), false);
    // Audio.
    add(all, "audio", prefix + "wav-lying", audio(prefix + "wav-lying", lyingWav()), false);
    add(all, "audio", prefix + "wav-60s-stereo", audio(prefix + "wav-60s-stereo",
        wav(16_000, 2, 16_000 * 60)), true);
    add(all, "audio", prefix + "wav-long-8khz", audio(prefix + "wav-long-8khz",
        wav(8_000, 1, Math.min(8_000 * 240, (maxRecordBytes - 4096) / 2))), true);
    // Text.
    add(all, "text", prefix + "text-long", AvroSerde.of(TextEvent.class).encode(
        TextEvent.newBuilder().setEnvelope(envelope(prefix + "text-long", ""))
            .setText("many words ".repeat((maxRecordBytes - 4096) / 11)).build()), true);
    add(all, "text", prefix + "text-blank", AvroSerde.of(TextEvent.class).encode(
        TextEvent.newBuilder().setEnvelope(envelope(prefix + "text-blank", "")).setText("  ")
            .build()), false);
    add(all, "text", prefix + "garbage", "\u0000\u00ff not avro".getBytes(StandardCharsets.UTF_8),
        false);
    return all;
  }

  private static void add(List<Input> all, String modality, String id, byte[] value,
      boolean valid) {
    all.add(new Input(new ProducerRecord<>(modality + ".events",
        id.getBytes(StandardCharsets.UTF_8), value), valid));
  }

  private static Envelope envelope(String id, String padding) {
    return Envelope.newBuilder().setEventId(id).setSource("kinfer-memory")
        .setEventTime(Instant.now())
        .setAttributes(padding.isEmpty() ? Map.of() : Map.of("pad", padding)).build();
  }

  private static byte[] image(String id, ImageFormat format, byte[] bytes) {
    return AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder()
        .setEnvelope(envelope(id, "")).setFormat(format).setImage(ByteBuffer.wrap(bytes)).build());
  }

  private static byte[] audio(String id, byte[] wav) {
    return AvroSerde.of(AudioEvent.class).encode(AudioEvent.newBuilder()
        .setEnvelope(envelope(id, "")).setEncoding(AudioEncoding.WAV)
        .setAudio(ByteBuffer.wrap(wav)).build());
  }

  /** A valid small image event padded (in an attribute) to exactly the record limit. */
  private byte[] padded(String id) {
    byte[] small = png(28, 28, 0, 28);
    int pad = maxRecordBytes - image(id, ImageFormat.PNG, small).length;
    for (int attempt = 0; attempt < 8; attempt++) {
      byte[] bytes = AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder()
          .setEnvelope(envelope(id, "x".repeat(Math.max(1, pad)))).setFormat(ImageFormat.PNG)
          .setImage(ByteBuffer.wrap(small)).build());
      if (bytes.length == maxRecordBytes) {
        return bytes;
      }
      pad += maxRecordBytes - bytes.length;
    }
    throw new IllegalStateException("cannot pad an image event to " + maxRecordBytes);
  }

  /** An image event whose image length claims a gigabyte. */
  private static byte[] avroLengthAttack(String id) {
    byte[] valid = image(id, ImageFormat.PNG, new byte[] {1});
    for (int i = 0; i + 1 < valid.length; i++) {
      if (valid[i] == 2 && valid[i + 1] == 1) { // zigzag length 1, then the byte
        byte[] attack = Arrays.copyOf(valid, valid.length + 4);
        byte[] gigabyte = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};
        System.arraycopy(valid, i + 1, attack, i + gigabyte.length, valid.length - i - 1);
        System.arraycopy(gigabyte, 0, attack, i, gigabyte.length);
        return attack;
      }
    }
    throw new IllegalStateException("image length not found");
  }

  private static byte[] wav(int rate, int channels, int frames) {
    ByteBuffer wav = ByteBuffer.allocate(44 + frames * channels * 2)
        .order(ByteOrder.LITTLE_ENDIAN);
    wav.putInt(0x46464952).putInt(36 + frames * channels * 2).putInt(0x45564157)
        .putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) channels)
        .putInt(rate).putInt(rate * channels * 2).putShort((short) (channels * 2))
        .putShort((short) 16).putInt(0x61746164).putInt(frames * channels * 2);
    for (int i = 0; i < frames * channels; i++) {
      wav.putShort((short) (4000 * Math.sin(i * 0.05)));
    }
    return wav.array();
  }

  /** A WAV whose data chunk declares 500 MB and carries 3,200 bytes. */
  private static byte[] lyingWav() {
    byte[] wav = wav(16_000, 1, 1600);
    ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 500_000_000);
    return wav;
  }

  /**
   * A PNG declaring {@code width x height} (colour type 0 grey or 2 RGB) whose data holds
   * {@code rows} rows of zeros: a bomb or a liar when rows is below height.
   */
  static byte[] png(int width, int height, int colourType, int rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8)
        .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
    byte[] row = new byte[1 + width * (colourType == 2 ? 3 : 1)];
    Deflater deflater = new Deflater(9);
    ByteArrayOutputStream idat = new ByteArrayOutputStream();
    byte[] buffer = new byte[65_536];
    for (int r = 0; r < rows; r++) {
      deflater.setInput(row);
      while (!deflater.needsInput()) {
        idat.write(buffer, 0, deflater.deflate(buffer));
      }
    }
    deflater.finish();
    while (!deflater.finished()) {
      idat.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    chunk(out, "IDAT", idat.toByteArray());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
